package io.freshforever.transforms;


import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The namespace and names of the pipeline's own Beam metrics, so dashboards, tests and the {@code
 * fresh} command query one spelling.
 */
public final class FreshMetrics {
  private FreshMetrics() {}

  public static final String NAMESPACE = "fresh";

  public static final String RECORDS_READ = "records_read";
  public static final String EVENTS_PARSED = "events_parsed";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String DUPLICATES_DROPPED = "duplicates_dropped";
  public static final String LATE_UPDATES = "late_updates";

  /** Events the live view counted as {@code ~other}: their type found no place (BoundTypesPerWindow). */
  public static final String EVENTS_OVER_TYPE_LIMIT = "events_over_type_limit";

  /** Copies that reached {@link DedupByEventId} after their window had closed. */
  public static final String TOO_LATE_AT_DEDUP = "too_late_at_dedup";

  /**
   * The runner's count of events dropped because their window had closed, spelled {@code
   * droppedDueToLateness} or {@code DroppedDueToLateness} depending on the runner, each in a
   * namespace of its own.
   */
  private static final String DROPPED_DUE_TO_LATENESS = "droppedDueToLateness";

  /** One of the pipeline's own counters, summed over steps (attempted values: every runner has them). */
  public static long counter(MetricResults metrics, String name) {
    return sum(metrics.queryMetrics(
        MetricsFilter.builder().addNameFilter(MetricNameFilter.named(NAMESPACE, name)).build()));
  }

  /**
   * Events the live view dropped as too late, whichever runner ran the pipeline: those the live
   * view's grouping dropped, plus the copies that {@link DedupByEventId} dropped itself.
   */
  public static long tooLateForLiveView(MetricResults metrics) {
    long total = counter(metrics, TOO_LATE_AT_DEDUP);
    for (MetricResult<Long> counter : metrics.allMetrics().getCounters()) {
      if (counter.getName().getName().equalsIgnoreCase(DROPPED_DUE_TO_LATENESS)) {
        total += counter.getAttempted();
      }
    }
    return total;
  }

  private static long sum(MetricQueryResults results) {
    long total = 0;
    for (MetricResult<Long> counter : results.getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }
}
