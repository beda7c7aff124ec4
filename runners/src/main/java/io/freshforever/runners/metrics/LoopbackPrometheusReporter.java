package io.freshforever.runners.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's metrics for Prometheus as Flink's own {@code PrometheusReporter} names them ({@code
 * flink_<logical scope>_<name>}, the scope's variables as labels: {@code
 * flink_taskmanager_job_task_operator_fresh_records_read{subtask_index="0",...}}), served on
 * localhost only: Flink's reporter binds every interface and has no setting for it. The embedded
 * cluster of a {@code fresh} command reports through this one ({@link MetricsEndpoint#configure}).
 * Counters, number gauges and meters (as their rate) are exported, all as gauges like Flink's;
 * histograms are not.
 */
public final class LoopbackPrometheusReporter implements MetricReporter {
  /** Flink's reporter's: in names, label names and label values alike. */
  private static final CharacterFilter NAME_CHARACTERS = text -> text.replaceAll("[^a-zA-Z0-9:_]", "_");

  /** Flink instantiates reporters through their factories, named in its configuration. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new LoopbackPrometheusReporter(Integer.parseInt(properties.getProperty("port")));
    }
  }

  private record Series(String name, String help, Labels labels) {}

  private final int port;
  private final Map<Series, Metric> metrics = new ConcurrentHashMap<>();
  private HTTPServer server;

  LoopbackPrometheusReporter(int port) {
    this.port = port;
  }

  @Override
  public void open(MetricConfig config) {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register((MultiCollector) this::collect);
    try {
      server = HTTPServer.builder().hostname("localhost").port(port).registry(registry).buildAndStart();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve Flink's metrics on localhost:" + port, e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    String scope = LogicalScopeProvider.castFrom(group).getLogicalScope(NAME_CHARACTERS, '_');
    String name = "flink_" + scope + "_" + NAME_CHARACTERS.filterCharacters(metricName);
    metrics.put(new Series(name, metricName + " (scope: " + scope + ")", labels(group)), metric);
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    metrics.values().remove(metric);
  }

  private static Labels labels(MetricGroup group) {
    Map<String, String> variables = new TreeMap<>();
    group.getAllVariables().forEach((key, value) ->
        variables.put(NAME_CHARACTERS.filterCharacters(key.substring(1, key.length() - 1)), NAME_CHARACTERS.filterCharacters(value)));
    List<String> names = new ArrayList<>(variables.keySet());
    return Labels.of(names, names.stream().map(variables::get).toList());
  }

  private MetricSnapshots collect() {
    Map<String, GaugeSnapshot.Builder> gauges = new TreeMap<>();
    metrics.forEach((series, metric) -> {
      Double value = valueOf(metric);
      if (value != null) {
        gauges.computeIfAbsent(series.name(), n -> GaugeSnapshot.builder().name(n).help(series.help()))
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(series.labels()).value(value).build());
      }
    });
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    gauges.values().forEach(b -> all.metricSnapshot(b.build()));
    return all.build();
  }

  private static Double valueOf(Metric metric) {
    if (metric instanceof Counter counter) {
      return (double) counter.getCount();
    }
    if (metric instanceof Meter meter) {
      return meter.getRate();
    }
    if (metric instanceof Gauge<?> gauge) {
      Object value = gauge.getValue();
      if (value instanceof Number number) {
        return number.doubleValue();
      }
      if (value instanceof Boolean flag) {
        return flag ? 1.0 : 0.0;
      }
    }
    return null;
  }
}
