package io.freshforever.transforms;

import static io.freshforever.transforms.TestEvents.at;
import static io.freshforever.transforms.TestEvents.copy;
import static io.freshforever.transforms.TestEvents.event;
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
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

public class DedupByEventIdTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** "id@partition/offset" of each event that passed: shows which copy survived. */
  private static PCollection<String> survivors(PCollection<Event> events) {
    return events.apply(
        "Survivors",
        MapElements.into(TypeDescriptors.strings())
            .via((Event e) -> e.eventId() + "@" + e.kafkaPartition() + "/" + e.kafkaOffset()));
  }

  @Test
  public void dropsCopiesInOneBundleAndAcrossPartitions() {
    PCollection<Event> deduped =
        pipeline
            .apply(
                Create.of(
                        copy("a", "click", "10:00:01", 0, 10),
                        copy("a", "click", "10:00:01", 0, 11),
                        copy("a", "click", "10:00:01", 2, 7),
                        copy("b", "click", "10:00:02", 1, 3))
                    .withCoder(EventCoder.of()))
            .apply(DedupByEventId.create().withBuckets(4));

    PAssert.that(
            deduped.apply(
                MapElements.into(TypeDescriptors.strings()).via((Event e) -> e.eventId())))
        .containsInAnyOrder("a", "b");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(2, FreshMetrics.counter(result.metrics(), FreshMetrics.DUPLICATES_DROPPED));
  }

  @Test
  public void rememberedUntilTheWindowClosesThenTooLate() {
    // The 10:00 window closes at 10:11 (10 minutes of grace): a copy within grace is a duplicate;
    // after the close, a copy and a new id of that window alike are dropped as too late.
    PCollection<Event> deduped =
        pipeline
            .apply(
                stream()
                    .advanceWatermarkTo(at("10:00:00"))
                    .addElements(stamped(copy("a", "click", "10:00:01", 0, 1)))
                    .advanceWatermarkTo(at("10:10:59"))
                    .addElements(stamped(copy("a", "click", "10:00:01", 1, 2)))
                    .advanceWatermarkTo(at("10:11:01"))
                    .addElements(
                        stamped(copy("a", "click", "10:00:01", 2, 3)),
                        stamped(copy("b", "click", "10:00:02", 0, 4)))
                    .advanceWatermarkToInfinity())
            .apply(DedupByEventId.create().withBuckets(1));

    PAssert.that(survivors(deduped)).containsInAnyOrder("a@0/1");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, FreshMetrics.counter(result.metrics(), FreshMetrics.DUPLICATES_DROPPED));
    assertEquals(2, FreshMetrics.tooLateForLiveView(result.metrics()));
  }

  @Test
  public void aClosedWindowIsForgottenAfterItsTime() {
    // By then the live view's grouping has long seen the watermark pass the window and drops
    // anything of it; dedup need not hold even the closed mark any longer.
    PCollection<Event> deduped =
        pipeline
            .apply(
                stream()
                    .advanceWatermarkTo(at("10:00:00"))
                    .addElements(stamped(copy("a", "click", "10:00:01", 0, 1)))
                    .advanceWatermarkTo(at("10:13:00"))
                    .addElements(stamped(copy("a", "click", "10:00:01", 1, 2)))
                    .advanceWatermarkTo(at("10:14:02"))
                    .addElements(stamped(copy("a", "click", "10:00:01", 2, 3)))
                    .advanceWatermarkToInfinity())
            .apply(
                DedupByEventId.create()
                    .withBuckets(1)
                    .withForgetClosedAfter(Duration.standardMinutes(3)));

    PAssert.that(survivors(deduped)).containsInAnyOrder("a@0/1", "a@2/3");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, FreshMetrics.tooLateForLiveView(result.metrics()));
  }

  @Test
  public void oneIdWithTwoEventTimesPassesOncePerWindow() {
    // Copies of one event share its event_time; an id reused with another event_time is a
    // producer bug that the live view counts in each window (the warehouse keeps one row).
    PCollection<Event> deduped =
        pipeline
            .apply(
                stream()
                    .advanceWatermarkTo(at("10:00:00"))
                    .addElements(
                        stamped(copy("a", "click", "10:00:01", 0, 1)),
                        stamped(copy("a", "click", "10:00:59", 0, 2)),
                        stamped(copy("a", "click", "10:01:00", 0, 3)))
                    .advanceWatermarkToInfinity())
            .apply(DedupByEventId.perWindow(Duration.standardMinutes(1), Duration.ZERO));

    PAssert.that(survivors(deduped)).containsInAnyOrder("a@0/1", "a@0/3");
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
    PCollection<Event> deduped =
        pipeline
            .apply(Create.of(copies).withCoder(EventCoder.of()))
            .apply(DedupByEventId.create().withBuckets(7));
    PAssert.that(
            deduped
                .apply(MapElements.into(TypeDescriptors.strings()).via((Event e) -> e.eventId()))
                .apply(org.apache.beam.sdk.transforms.Count.globally()))
        .containsInAnyOrder(2_000L);
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
