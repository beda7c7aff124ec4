package io.freshforever.runners.metrics;

import io.freshforever.runners.flink.EmbeddedFlinkConf;
import io.freshforever.runners.stack.BeamFlags;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A streaming job's metrics at {@code http://localhost:<port>/metrics} in Prometheus' text format,
 * served the way each runner can. On Flink it is Flink's own Prometheus reporter, configured into
 * the embedded cluster (every operator's Beam counters as {@code
 * flink_taskmanager_job_task_operator_fresh_<name>}, one series per subtask, plus Flink's own
 * metrics); a Flink cluster configures the same reporter itself. The DirectRunner has no
 * reporter, so this process serves the job's Beam metrics ({@link BeamMetricsCollector}).
 *
 * <p>Two steps, because Flink reads its reporter from the configuration the job starts with:
 * {@link #configure} before the start, {@link #serve} after it.
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** Flink's metrics, named as Flink's own Prometheus reporter names them, on localhost only. */
  private static final String FLINK_REPORTER =
      "metrics.reporter.prom.factory.class: " + LoopbackPrometheusReporter.Factory.class.getName() + "\n"
          + "metrics.reporter.prom.port: %d\n";

  private final int port;
  private final @Nullable HTTPServer server;

  private MetricsEndpoint(int port, @Nullable HTTPServer server) {
    this.port = port;
    this.server = server;
  }

  /**
   * {@code args} of a job that runs in this process, with Flink's reporter on {@code port} added to
   * the embedded cluster's configuration (to a copy of the {@code --flinkConfDir} given, if any).
   *
   * @throws IllegalArgumentException when {@code port} is taken
   */
  public static List<String> configure(List<String> args, int port) {
    requireFree(port);
    return onFlink(args) ? EmbeddedFlinkConf.with(args, String.format(FLINK_REPORTER, port)) : args;
  }

  /** Serves {@code job}'s metrics on {@code port}, unless Flink's reporter already does. */
  public static MetricsEndpoint serve(List<String> args, int port, PipelineResult job) {
    if (onFlink(args)) {
      return new MetricsEndpoint(port, null);
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new BeamMetricsCollector(job::metrics));
    try {
      return new MetricsEndpoint(port, HTTPServer.builder().hostname("localhost").port(port).registry(registry).buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port, e);
    }
  }

  public URI uri() {
    return uri(port);
  }

  /** Where a job run here with {@code --metricsPort port} serves its metrics. */
  public static URI uri(int port) {
    return URI.create("http://localhost:" + port + "/metrics");
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  private static boolean onFlink(List<String> args) {
    String runner = BeamFlags.runner(args);
    return runner != null && runner.startsWith("Flink");
  }

  /** @throws IllegalArgumentException when {@code port} is taken, saying so for {@code --metricsPort} */
  public static void requireFree(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(port));
    } catch (IOException e) {
      throw new IllegalArgumentException("--metricsPort " + port + " is taken: " + e.getMessage());
    }
  }
}
