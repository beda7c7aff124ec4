package io.freshforever.runners.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;

/**
 * A running job's Beam metrics as Prometheus metrics, read at each scrape: {@code
 * <namespace>_<name>} (e.g. {@code fresh_records_read_total}) with one series per step, the
 * spelling Flink's reporter ends its names with, so one query reads both runners.
 */
final class BeamMetricsCollector implements MultiCollector {
  private final Supplier<MetricResults> metrics;

  BeamMetricsCollector(Supplier<MetricResults> metrics) {
    this.metrics = metrics;
  }

  @Override
  public MetricSnapshots collect() {
    MetricQueryResults results = metrics.get().allMetrics();
    Map<String, CounterSnapshot.Builder> counters = new TreeMap<>();
    for (MetricResult<Long> counter : results.getCounters()) {
      counters.computeIfAbsent(name(counter.getName()), n -> CounterSnapshot.builder().name(n).help("Beam counter"))
          .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
              .labels(step(counter)).value(counter.getAttempted()).build());
    }
    Map<String, GaugeSnapshot.Builder> gauges = new TreeMap<>();
    for (MetricResult<GaugeResult> gauge : results.getGauges()) {
      gauges.computeIfAbsent(name(gauge.getName()), n -> GaugeSnapshot.builder().name(n).help("Beam gauge"))
          .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(step(gauge)).value(gauge.getAttempted().getValue()).build());
    }
    Map<String, SummarySnapshot.Builder> distributions = new TreeMap<>();
    for (MetricResult<DistributionResult> distribution : results.getDistributions()) {
      DistributionResult d = distribution.getAttempted();
      distributions.computeIfAbsent(name(distribution.getName()), n -> SummarySnapshot.builder().name(n).help("Beam distribution"))
          .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
              .labels(step(distribution)).count(d.getCount()).sum(d.getSum()).build());
      // A summary has no extremes; the worst freshness is what an alert wants.
      gauges.computeIfAbsent(name(distribution.getName()) + "_max", n -> GaugeSnapshot.builder().name(n).help("Beam distribution's maximum"))
          .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(step(distribution)).value(d.getCount() == 0 ? 0 : d.getMax()).build());
    }
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    counters.values().forEach(b -> all.metricSnapshot(b.build()));
    gauges.values().forEach(b -> all.metricSnapshot(b.build()));
    distributions.values().forEach(b -> all.metricSnapshot(b.build()));
    return all.build();
  }

  static String name(MetricName name) {
    // Beam namespaces are often class names; Flink's reporter turns their dots into underscores too.
    return PrometheusNaming.sanitizeMetricName(
        (name.getNamespace() + "_" + name.getName()).replaceAll("[^A-Za-z0-9_]", "_"));
  }

  private static Labels step(MetricResult<?> result) {
    return Labels.of("step", result.getKey().stepName());
  }
}
