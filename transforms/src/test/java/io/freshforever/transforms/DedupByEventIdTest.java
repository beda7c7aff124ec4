package io.freshforever.transforms;

import static io.freshforever.transforms.TestEvents.at;
import static io.freshforever.transforms.TestEvents.copy;
import static io.freshforever.transforms.TestEvents.stamped;
import static io.freshforever.transforms.TestEvents.stream;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventCoder;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * Dedup passes on an event's type only: these tests give the copies of an id types of their own (a
 * producer bug the contract does not stop), so the types that pass show which copies survived.
 */
public class DedupByEventIdTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void dropsCopiesInOneBundleAndAcrossPartitions() {
    PCollection<String> deduped =
        pipeline
            .apply(
                Create.of(
                        copy("a", "a", "10:00:01", 0, 10),
                        copy("a", "a", "10:00:01", 0, 11),
                        copy("a", "a", "10:00:01", 2, 7),
                        copy("b", "b", "10:00:02", 1, 3))
                    .withCoder(EventCoder.of()))
            .apply(DedupByEventId.create().withBuckets(4));

    // Which copy of "a" passes depends on the order the runner hands them over: one of them.
    PAssert.that(deduped).containsInAnyOrder("a", "b");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(2, FreshMetrics.counter(result.metrics(), FreshMetrics.DUPLICATES_DROPPED));
  }

  @Test
  public void rememberedUntilTheWindowClosesThenTooLate() {
    // The 10:00 window closes at 10:11 (10 minutes of grace): a copy within grace is a duplicate;
    // after the close, a copy and a new id of that window alike are dropped as too late.
    PCollection<String> deduped =
        pipeline
            .apply(
                stream()
                    .advanceWatermarkTo(at("10:00:00"))
                    .addElements(stamped(copy("a", "a_1", "10:00:01", 0, 1)))
                    .advanceWatermarkTo(at("10:10:59"))
                    .addElements(stamped(copy("a", "a_2", "10:00:01", 1, 2)))
                    .advanceWatermarkTo(at("10:11:01"))
                    .addElements(
                        stamped(copy("a", "a_3", "10:00:01", 2, 3)),
                        stamped(copy("b", "b_1", "10:00:02", 0, 4)))
                    .advanceWatermarkToInfinity())
            .apply(DedupByEventId.create().withBuckets(1));

    PAssert.that(deduped).containsInAnyOrder("a_1");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, FreshMetrics.counter(result.metrics(), FreshMetrics.DUPLICATES_DROPPED));
    assertEquals(2, FreshMetrics.tooLateForLiveView(result.metrics()));
  }

  @Test
  public void aClosedWindowIsForgottenAfterItsTime() {
    // By then the live view's grouping has long seen the watermark pass the window and drops
    // anything of it; dedup need not hold even the closed mark any longer.
    PCollection<String> deduped =
        pipeline
            .apply(
                stream()
                    .advanceWatermarkTo(at("10:00:00"))
                    .addElements(stamped(copy("a", "a_1", "10:00:01", 0, 1)))
                    .advanceWatermarkTo(at("10:13:00"))
                    .addElements(stamped(copy("a", "a_2", "10:00:01", 1, 2)))
                    .advanceWatermarkTo(at("10:14:02"))
                    .addElements(stamped(copy("a", "a_3", "10:00:01", 2, 3)))
                    .advanceWatermarkToInfinity())
            .apply(
                DedupByEventId.create()
                    .withBuckets(1)
                    .withForgetClosedAfter(Duration.standardMinutes(3)));

    PAssert.that(deduped).containsInAnyOrder("a_1", "a_3");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, FreshMetrics.tooLateForLiveView(result.metrics()));
  }

  @Test
  public void oneIdWithTwoEventTimesPassesOncePerWindow() {
    // Copies of one event share its event_time; an id reused with another event_time is a
    // producer bug that the live view counts in each window (the warehouse keeps one row).
    PCollection<String> deduped =
        pipeline
            .apply(
                stream()
                    .advanceWatermarkTo(at("10:00:00"))
                    .addElements(
                        stamped(copy("a", "a_in_10_00", "10:00:01", 0, 1)),
                        stamped(copy("a", "a_in_10_00", "10:00:59", 0, 2)),
                        stamped(copy("a", "a_in_10_01", "10:01:00", 0, 3)))
                    .advanceWatermarkToInfinity())
            .apply(DedupByEventId.perWindow(Duration.standardMinutes(1), Duration.ZERO));

    PAssert.that(deduped).containsInAnyOrder("a_in_10_00", "a_in_10_01");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void manyIdsInFewBucketsStayExact() {
    java.util.List<Event> copies = new java.util.ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      copies.add(copy("id-" + i, "click", "10:00:01", i % 4, i));
      if (i % 3 == 0) {
        copies.add(copy("id-" + i, "click", "10:00:01", (i + 1) % 4, 10_000 + i));
      }
    }
    PCollection<String> deduped =
        pipeline
            .apply(Create.of(copies).withCoder(EventCoder.of()))
            .apply(DedupByEventId.create().withBuckets(7));
    PAssert.that(deduped.apply(Count.globally())).containsInAnyOrder(2_000L);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(667, FreshMetrics.counter(result.metrics(), FreshMetrics.DUPLICATES_DROPPED));
  }

  @Test
  public void rejectsSettingsThatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> DedupByEventId.create().withBuckets(0));
    assertThrows(IllegalArgumentException.class, () -> DedupByEventId.create().withBucketSecret("0123"));
    assertThrows(IllegalArgumentException.class, () -> DedupByEventId.create().withBucketSecret("x".repeat(32)));
  }
}
