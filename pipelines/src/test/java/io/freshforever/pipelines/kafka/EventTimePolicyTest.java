package io.freshforever.pipelines.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

public class EventTimePolicyTest {
  private static final Duration DELAY = Duration.standardSeconds(10);

  private static PartitionContext context(long backlog, Instant checkedAt) {
    return new PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return backlog;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return checkedAt;
      }
    };
  }

  private static KafkaRecord<byte[], byte[]> record(String value) {
    return new KafkaRecord<>(
        "events", 0, 0L, 0L, KafkaTimestampType.CREATE_TIME, null,
        new byte[0], value.getBytes(StandardCharsets.UTF_8));
  }

  private static String event(String time) {
    return "{\"event_id\":\"e\",\"event_type\":\"t\",\"event_time\":\"" + time + "\"}";
  }

  @Test
  public void timestampsAreEventTimesAndTheWatermarkTrailsTheNewestByTheDelay() {
    EventTimePolicy policy = new EventTimePolicy(DELAY, Optional.empty());
    PartitionContext busy = context(500, Instant.now());
    assertEquals(
        Instant.parse("2026-11-29T10:00:30Z"),
        policy.getTimestampForRecord(busy, record(event("2026-11-29T10:00:30Z"))));
    policy.getTimestampForRecord(busy, record(event("2026-11-29T10:00:20Z"))); // out of order
    assertEquals(Instant.parse("2026-11-29T10:00:20Z"), policy.getWatermark(busy));
  }

  @Test
  public void aPartitionThatNeverHadARecordAdvancesOnceCaughtUp() {
    EventTimePolicy policy = new EventTimePolicy(DELAY, Optional.empty());
    Instant checkedAt = Instant.parse("2026-11-29T10:05:00Z");
    assertEquals(
        "backlog unknown: no advance",
        BoundedWindow.TIMESTAMP_MIN_VALUE,
        policy.getWatermark(context(-1, checkedAt)));
    assertEquals(checkedAt.minus(DELAY), policy.getWatermark(context(0, checkedAt)));
  }

  @Test
  public void theWatermarkNeverMovesBack() {
    EventTimePolicy policy =
        new EventTimePolicy(DELAY, Optional.of(Instant.parse("2026-11-29T11:00:00Z")));
    policy.getTimestampForRecord(context(5, Instant.now()), record(event("2026-11-29T10:00:00Z")));
    assertEquals(
        Instant.parse("2026-11-29T11:00:00Z"), policy.getWatermark(context(5, Instant.now())));
  }

  @Test
  public void badRecordsAndFutureTimesDoNotMoveTheWatermark() {
    EventTimePolicy policy = new EventTimePolicy(DELAY, Optional.empty());
    PartitionContext busy = context(500, Instant.now());
    policy.getTimestampForRecord(busy, record(event("2026-11-29T10:00:30Z")));
    assertEquals(
        "a bad record takes the newest event time",
        Instant.parse("2026-11-29T10:00:30Z"),
        policy.getTimestampForRecord(busy, record("not json")));
    Instant before = Instant.now();
    Instant future = policy.getTimestampForRecord(busy, record(event("2999-01-01T00:00:00Z")));
    assertTrue("capped at processing time", !future.isBefore(before) && !future.isAfter(Instant.now()));
    Instant watermark = policy.getWatermark(busy);
    assertTrue("the cap moves the watermark to now - delay at most: " + watermark,
        !watermark.isAfter(Instant.now().minus(DELAY)) && !watermark.isBefore(before.minus(DELAY)));
  }
}
