package io.freshforever.transforms;

import static io.freshforever.transforms.TestEvents.at;
import static io.freshforever.transforms.TestEvents.event;
import static io.freshforever.transforms.TestEvents.stamped;
import static io.freshforever.transforms.TestEvents.stream;
import static org.junit.Assert.assertEquals;

import io.freshforever.contract.WindowCount;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/** Every lateness class of the live view, pane by pane, with the contract's default settings. */
public class WindowedEventCountsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final IntervalWindow TEN_OH_OH = new IntervalWindow(at("10:00:00"), at("10:01:00"));
  private static final IntervalWindow TEN_OH_ONE = new IntervalWindow(at("10:01:00"), at("10:02:00"));

  private static WindowCount count(
      String type, IntervalWindow w, long count, String newest, Timing timing, long index, boolean last) {
    return new WindowCount(type, w.start(), w.end(), count, at(newest), timing, index, last);
  }

  @Test
  public void earlyOnTimeLateWithinGraceAndTooLatePanes() {
    TestStream<io.freshforever.contract.Event> events =
        stream()
            .advanceWatermarkTo(at("10:00:00"))
            .addElements(
                stamped(event("c1", "click", "10:00:05")),
                stamped(event("c2", "click", "10:00:10")),
                stamped(event("v1", "view", "10:00:20")))
            // Early panes: the count moves before the window closes. (The DirectRunner's test clock
            // fires a processing-time trigger (100 ms) reliably only once it has moved past it.)
            .advanceProcessingTime(Duration.standardSeconds(2))
            .addElements(stamped(event("c3", "click", "10:00:30")))
            .advanceProcessingTime(Duration.standardSeconds(2))
            // On-time pane for 10:00; the next minute opens.
            .advanceWatermarkTo(at("10:01:00"))
            .addElements(stamped(event("c4", "click", "10:01:02")))
            // Late, but within the 10-minute grace: a late pane, batched per firing period.
            .advanceWatermarkTo(at("10:05:00"))
            .addElements(
                stamped(event("c5", "click", "10:00:40")),
                stamped(event("c6", "click", "10:00:41")))
            .advanceProcessingTime(Duration.standardSeconds(2))
            // Past 10:11, the 10:00 window is closed: c7 is too late for the live view.
            .advanceWatermarkTo(at("10:11:30"))
            .addElements(stamped(event("c7", "click", "10:00:50")))
            .advanceProcessingTime(Duration.standardSeconds(2))
            .advanceWatermarkToInfinity();

    PCollection<WindowCount> counts =
        pipeline.apply(events).apply(TestEvents.types()).apply(WindowedEventCounts.create());

    PAssert.that(counts)
        .containsInAnyOrder(
            count("click", TEN_OH_OH, 2, "10:00:10", Timing.EARLY, 0, false),
            count("view", TEN_OH_OH, 1, "10:00:20", Timing.EARLY, 0, false),
            count("click", TEN_OH_OH, 3, "10:00:30", Timing.EARLY, 1, false),
            count("click", TEN_OH_OH, 3, "10:00:30", Timing.ON_TIME, 2, false),
            count("view", TEN_OH_OH, 1, "10:00:20", Timing.ON_TIME, 1, false),
            // c5 and c6 arrive late within the grace period: one batched late pane.
            count("click", TEN_OH_OH, 5, "10:00:41", Timing.LATE, 3, false),
            // c4 arrived just before the watermark passed 10:02: straight to on-time.
            count("click", TEN_OH_ONE, 1, "10:01:02", Timing.ON_TIME, 0, false));
            // c7 arrived after 10:00 + 1 min + 10 min of grace: no pane at all.
    PAssert.that(counts)
        .inEarlyPane(TEN_OH_OH)
        .containsInAnyOrder(
            count("click", TEN_OH_OH, 2, "10:00:10", Timing.EARLY, 0, false),
            count("view", TEN_OH_OH, 1, "10:00:20", Timing.EARLY, 0, false),
            count("click", TEN_OH_OH, 3, "10:00:30", Timing.EARLY, 1, false));
    // Nothing new for view since its early pane: the on-time pane still marks the watermark.
    PAssert.that(counts)
        .inOnTimePane(TEN_OH_OH)
        .containsInAnyOrder(
            count("click", TEN_OH_OH, 3, "10:00:30", Timing.ON_TIME, 2, false),
            count("view", TEN_OH_OH, 1, "10:00:20", Timing.ON_TIME, 1, false));
    PAssert.that(counts)
        .inLatePane(TEN_OH_OH)
        .containsInAnyOrder(count("click", TEN_OH_OH, 5, "10:00:41", Timing.LATE, 3, false));

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, FreshMetrics.tooLateForLiveView(result.metrics()));
    assertEquals(1, FreshMetrics.counter(result.metrics(), FreshMetrics.LATE_UPDATES));
  }
}
