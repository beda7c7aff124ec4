package io.freshforever.runners;

import io.freshforever.pipelines.live.LiveStore;
import io.freshforever.pipelines.options.LiveViewOptions;
import io.freshforever.runners.dashboard.Dashboard;
import io.freshforever.runners.dashboard.PipelineHealth;
import io.freshforever.runners.live.LiveCounts;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.joda.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    modelTransformer = PipelineFlags.class,
    description = {
      "Serves the ops dashboard (the page and its read-only JSON API) over the live view in Bigtable,",
      "the emulator or a real instance, until Ctrl-C. It only reads. /api/health answers 503",
      "(\"stale\", with the reason) when the newest counted event is older than --staleAfterSeconds:",
      "point a probe at it. Without --bigtableProject it reads the local stack's emulator."
    })
final class DashboardCommand implements Callable<Integer>, PipelineFlags.Command {
  @Spec CommandSpec spec;

  @Option(names = "--host", description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  String host = "localhost";

  @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port = 8080;

  @Option(
      names = "--staleAfterSeconds",
      description = "Health is stale when the newest counted event is older than this (default: ${DEFAULT-VALUE}).")
  long staleAfterSeconds = Dashboard.DEFAULT_STALE_AFTER.getStandardSeconds();

  @Option(
      names = "--metricsUrl",
      description =
          "The streaming job's metrics endpoint (fresh stream --metricsPort, or a Flink task manager's"
              + " Prometheus reporter), e.g. http://localhost:9249/metrics: the page's pipeline-health strip.")
  URI metricsUrl;

  @Override
  public Class<LiveViewOptions> optionsType() {
    return LiveViewOptions.class;
  }

  @Override
  public Integer call() throws Exception {
    LiveViewOptions view;
    try {
      view = LiveViewFlags.parse(spec);
    } catch (IllegalArgumentException e) {
      System.err.println("fresh dashboard: " + e.getMessage());
      return 2;
    }
    if (staleAfterSeconds < 1 || port < 0 || port > 65535) {
      System.err.println("fresh dashboard: --staleAfterSeconds must be at least 1 and --port from 0 to 65535");
      return 2;
    }
    if (metricsUrl != null && !List.of("http", "https").contains(String.valueOf(metricsUrl.getScheme()))) {
      System.err.println("fresh dashboard: --metricsUrl must be an http(s) URL, was '" + metricsUrl + "'");
      return 2;
    }
    LiveStore store = LiveStore.from(view);
    try (LiveCounts live = LiveCounts.connect(store);
        PipelineHealth pipeline = metricsUrl == null ? null : PipelineHealth.scraping(metricsUrl)) {
      Dashboard dashboard;
      try {
        dashboard =
            Dashboard.start(
                host, port, live, Duration.standardSeconds(view.getAllowedLatenessSeconds()), Duration.standardSeconds(staleAfterSeconds),
                pipeline);
      } catch (IOException e) {
        System.err.println("fresh dashboard: cannot listen on " + host + ":" + port + ": " + e.getMessage());
        return 2;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        dashboard.close();
        stopped.countDown();
      }, "fresh-dashboard-stop"));
      System.out.printf(
          "fresh dashboard: http://%s:%d  (health: /api/health, stale after %d s)%n"
              + "  reading Bigtable %s/%s table %s%s%s; Ctrl-C stops%n",
          host, dashboard.port(), staleAfterSeconds, store.project(), store.instance(), store.table(),
          store.emulatorHost() == null ? "" : " on the emulator at " + store.emulatorHost(),
          metricsUrl == null ? "" : ", the pipeline's metrics from " + metricsUrl);
      stopped.await();
    }
    return 0;
  }
}
