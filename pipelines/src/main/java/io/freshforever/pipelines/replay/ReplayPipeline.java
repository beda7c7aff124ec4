package io.freshforever.pipelines.replay;

import io.freshforever.contract.Event;
import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.live.LiveStore;
import io.freshforever.pipelines.live.ReplaceLiveCounts;
import io.freshforever.pipelines.options.WindowBoundary;
import io.freshforever.transforms.ExactDedup;
import io.freshforever.transforms.WindowedEventCounts;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Filter;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Repairs the live view from the system of record: the lake's events of a time range, deduplicated
 * exactly and counted per window with the same transforms as the warehouse, replace what Bigtable
 * holds for that range (events too late for the live view included: after a replay Bigtable holds
 * the exact counts).
 *
 * <pre>
 * ReadLakeEvents (days of the range) ─► ExactDedup ─► in range ─► WindowedEventCounts.exact() ─► ReplaceLiveCounts
 * </pre>
 */
public final class ReplayPipeline {
  private ReplayPipeline() {}

  public static void main(String[] args) {
    Launch.runToEnd(args, ReplayPipelineOptions.class, ReplayPipeline::build);
  }

  /** Wires a replay into {@code pipeline}; tests build the very same graph. */
  public static void build(Pipeline pipeline, ReplayPipelineOptions options) {
    Duration window = Duration.standardSeconds(options.getWindowSeconds());
    Instant from = WindowBoundary.parse("--from", options.getFrom(), window);
    Instant to = WindowBoundary.parse("--to", options.getTo(), window);
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("--to must be after --from: the range is [from, to)");
    }
    pipeline
        .apply("ReadLakeEvents", ReadLakeEvents.forDays(options.getLake(), daysCovering(from, to)))
        .get(ReadLakeEvents.EVENTS)
        .apply("ExactDedup", ExactDedup.create())
        .apply(
            "InRange",
            Filter.by((Event e) -> !e.eventTime().isBefore(from) && e.eventTime().isBefore(to)))
        .apply("CountPerWindow", WindowedEventCounts.exact().withWindow(window))
        .apply("ReplaceLiveCounts", new ReplaceLiveCounts(LiveStore.forPipeline(options), from, to));
  }

  /** The lake days a replay with {@code options} reads. */
  public static List<LocalDate> days(ReplayPipelineOptions options) {
    Duration window = Duration.standardSeconds(options.getWindowSeconds());
    return daysCovering(
        WindowBoundary.parse("--from", options.getFrom(), window), WindowBoundary.parse("--to", options.getTo(), window));
  }

  /** The UTC days whose lake partitions hold the events of [from, to). */
  static List<LocalDate> daysCovering(Instant from, Instant to) {
    List<LocalDate> days = new ArrayList<>();
    LocalDate last = java.time.Instant.ofEpochMilli(to.getMillis() - 1).atOffset(ZoneOffset.UTC).toLocalDate();
    for (LocalDate day = java.time.Instant.ofEpochMilli(from.getMillis()).atOffset(ZoneOffset.UTC).toLocalDate();
        !day.isAfter(last);
        day = day.plusDays(1)) {
      days.add(day);
    }
    return days;
  }
}
