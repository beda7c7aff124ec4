package io.freshforever.transforms;

import static io.freshforever.transforms.TestEvents.at;
import static io.freshforever.transforms.TestEvents.event;
import static io.freshforever.transforms.TestEvents.stamped;
import static io.freshforever.transforms.TestEvents.stream;
import static org.junit.Assert.assertEquals;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.WindowCount;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;

/**
 * The live view's bound on types: known types keep their places through a flood, new types take
 * free places first come, first served, the rest are counted as one overflow row, and a type gone
 * quiet for the type memory (an hour) frees its place. Each addElements is a bundle of its own, so
 * the arrival order is the test's.
 */
public class BoundTypesPerWindowTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String OTHER = EventContract.OTHER_TYPES;

  /** The one (on-time) pane of a window of a minute starting at {@code start}. */
  private static WindowCount onTime(String type, String start, long count, String newest) {
    return pane(type, start, count, newest, false);
  }

  /** As {@link #onTime}, in a window the watermark closed for good with one step. */
  private static WindowCount onTimeAndLast(String type, String start, long count, String newest) {
    return pane(type, start, count, newest, true);
  }

  private static WindowCount pane(String type, String start, long count, String newest, boolean last) {
    return new WindowCount(
        type, at(start), at(start).plus(60_000), count, at(newest), Timing.ON_TIME, 0, last);
  }

  private long eventsOverLimit(TestStream<Event> events, int maxTypes, WindowCount... expected) {
    PCollection<WindowCount> counts =
        pipeline.apply(events).apply(TestEvents.types()).apply(WindowedEventCounts.create().withMaxTypes(maxTypes));
    PAssert.that(counts).containsInAnyOrder(expected);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return FreshMetrics.counter(result.metrics(), FreshMetrics.EVENTS_OVER_TYPE_LIMIT);
  }

  @Test
  public void aFloodOfNewTypesCannotPushOutTheTypesAlreadyCounted() {
    TestStream<Event> events =
        stream()
            .advanceWatermarkTo(at("10:00:00"))
            .addElements(stamped(event("c1", "click", "10:00:05")))
            .addElements(stamped(event("v1", "view", "10:00:10")))
            // The flood: the first new type takes the one free place, the others find none.
            .addElements(stamped(event("f1", "flood-1", "10:00:20")))
            .addElements(
                stamped(event("f2", "flood-2", "10:00:30")),
                stamped(event("f3", "flood-3", "10:00:40")))
            .advanceWatermarkTo(at("10:01:00"))
            // The next minute: the flood comes first, the known types still have their places.
            .addElements(
                stamped(event("f4", "flood-4", "10:01:01")),
                stamped(event("f5", "flood-5", "10:01:02")),
                stamped(event("f6", "flood-1", "10:01:03")))
            .addElements(
                stamped(event("c2", "click", "10:01:10")),
                stamped(event("v2", "view", "10:01:20")),
                stamped(event("v3", "view", "10:01:30")))
            .addElements(stamped(event("f7", "flood-2", "10:01:40")))
            .advanceWatermarkToInfinity();

    long overLimit =
        eventsOverLimit(
            events,
            3,
            onTime("click", "10:00:00", 1, "10:00:05"),
            onTime("view", "10:00:00", 1, "10:00:10"),
            onTime("flood-1", "10:00:00", 1, "10:00:20"),
            onTime(OTHER, "10:00:00", 2, "10:00:40"),
            onTimeAndLast("click", "10:01:00", 1, "10:01:10"),
            onTimeAndLast("view", "10:01:00", 2, "10:01:30"),
            onTimeAndLast("flood-1", "10:01:00", 1, "10:01:03"),
            onTimeAndLast(OTHER, "10:01:00", 3, "10:01:40"));
    assertEquals(5, overLimit);
  }

  @Test
  public void aTypeQuietForAnHourFreesItsPlace() {
    TestStream<Event> events =
        stream()
            .advanceWatermarkTo(at("10:00:00"))
            .addElements(stamped(event("c1", "click", "10:00:05")))
            .advanceWatermarkTo(at("10:30:00"))
            .addElements(stamped(event("v1", "view", "10:30:05")))
            // click was counted in the window of 10:00, less than an hour before 11:00: still its.
            .advanceWatermarkTo(at("11:00:00"))
            .addElements(stamped(event("v2", "view", "11:00:30")))
            .advanceWatermarkTo(at("11:01:00"))
            .addElements(stamped(event("v3", "view", "11:01:30")))
            .advanceWatermarkTo(at("11:02:00"))
            .addElements(stamped(event("c2", "click", "11:02:05")))
            .advanceWatermarkToInfinity();

    long overLimit =
        eventsOverLimit(
            events,
            1,
            onTimeAndLast("click", "10:00:00", 1, "10:00:05"),
            onTimeAndLast(OTHER, "10:30:00", 1, "10:30:05"),
            onTime(OTHER, "11:00:00", 1, "11:00:30"),
            onTime("view", "11:01:00", 1, "11:01:30"),
            onTimeAndLast(OTHER, "11:02:00", 1, "11:02:05"));
    assertEquals(3, overLimit);
  }

  @Test
  public void aWindowCountedInTheOverflowRowForATypeStaysThereWhenTheTypeGetsAPlace() {
    TestStream<Event> events =
        stream()
            .advanceWatermarkTo(at("09:00:00"))
            .addElements(stamped(event("q1", "quiet", "09:00:05")))
            .advanceWatermarkTo(at("10:00:00"))
            // No place for late-comer yet: quiet was counted less than an hour ago.
            .addElements(stamped(event("l1", "late-comer", "10:00:10")))
            .advanceWatermarkTo(at("10:01:00"))
            // Now quiet's hour is over and its window long closed: late-comer takes its place ...
            .addElements(stamped(event("l2", "late-comer", "10:01:20")))
            // ... but its window of 10:00 stays in the overflow row, where its first event is.
            .addElements(stamped(event("l3", "late-comer", "10:00:50")))
            .advanceWatermarkToInfinity();

    long overLimit =
        eventsOverLimit(
            events,
            1,
            onTimeAndLast("quiet", "09:00:00", 1, "09:00:05"),
            onTime(OTHER, "10:00:00", 1, "10:00:10"),
            new WindowCount(OTHER, at("10:00:00"), at("10:01:00"), 2, at("10:00:50"), Timing.LATE, 1, true),
            onTimeAndLast("late-comer", "10:01:00", 1, "10:01:20"));
    assertEquals(2, overLimit);
  }
}
