package io.freshforever.transforms;

import static io.freshforever.transforms.TestEvents.at;
import static io.freshforever.transforms.TestEvents.copy;
import static io.freshforever.transforms.TestEvents.stamped;
import static io.freshforever.transforms.TestEvents.stream;
import static org.junit.Assert.assertEquals;

import io.freshforever.contract.WindowCount;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/** Dedup then counts, as the live path chains them: no pane ever counts a duplicate. */
public class LiveViewTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final IntervalWindow TEN = new IntervalWindow(at("10:00:00"), at("10:01:00"));
  private static final Duration TICK = Duration.standardSeconds(2);

  private static WindowCount click(long count, String newest, Timing timing, long index) {
    return new WindowCount("click", TEN.start(), TEN.end(), count, at(newest), timing, index, false);
  }

  @Test
  public void duplicatesWithinAndAcrossPanesPartitionsAndLateFiringsAreNeverCounted() {
    PCollection<WindowCount> counts =
        pipeline
            .apply(
                stream()
                    .advanceWatermarkTo(at("10:00:00"))
                    // Within one pane, and across partitions.
                    .addElements(
                        stamped(copy("a", "click", "10:00:01", 0, 1)),
                        stamped(copy("a", "click", "10:00:01", 1, 1)),
                        stamped(copy("b", "click", "10:00:02", 0, 2)))
                    .advanceProcessingTime(TICK)
                    // After the pane that counted "a" fired.
                    .addElements(
                        stamped(copy("a", "click", "10:00:01", 2, 1)),
                        stamped(copy("c", "click", "10:00:03", 0, 3)))
                    .advanceProcessingTime(TICK)
                    .advanceWatermarkTo(at("10:05:00"))
                    // Late within grace.
                    .addElements(stamped(copy("d", "click", "10:00:04", 0, 4)))
                    .advanceProcessingTime(TICK)
                    // Copies arriving after the late firing that counted "d".
                    .addElements(
                        stamped(copy("d", "click", "10:00:04", 3, 9)),
                        stamped(copy("b", "click", "10:00:02", 1, 9)))
                    .advanceProcessingTime(TICK)
                    // Too late: the 10:00 window closed at 10:11.
                    .advanceWatermarkTo(at("10:12:00"))
                    .addElements(stamped(copy("e", "click", "10:00:05", 0, 5)))
                    .advanceProcessingTime(TICK)
                    .advanceWatermarkToInfinity())
            .apply(DedupByEventId.create().withBuckets(8))
            .apply(WindowedEventCounts.create());

    PAssert.that(counts)
        .containsInAnyOrder(
            click(2, "10:00:02", Timing.EARLY, 0),
            click(3, "10:00:03", Timing.EARLY, 1),
            click(3, "10:00:03", Timing.ON_TIME, 2),
            click(4, "10:00:04", Timing.LATE, 3));

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(4, FreshMetrics.counter(result.metrics(), FreshMetrics.DUPLICATES_DROPPED));
    assertEquals(1, FreshMetrics.tooLateForLiveView(result.metrics()));
    assertEquals(1, FreshMetrics.counter(result.metrics(), FreshMetrics.LATE_UPDATES));
  }
}
