package io.freshforever.pipelines.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.pipelines.kafka.ReadIngestLog.EventTimePolicy;
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

  /** When Kafka took every record of these tests, unless one says otherwise. */
  private static final Instant WRITTEN = Instant.parse("2026-11-29T10:01:00Z");

  private static KafkaRecord<byte[], byte[]> record(String value) {
    return record(value, WRITTEN);
  }

  private static KafkaRecord<byte[], byte[]> record(String value, Instant written) {
    return new KafkaRecord<>(
        "events", 0, 0L, written.getMillis(), KafkaTimestampType.CREATE_TIME, null,
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
  public void aBadRecordTakesTheNewestEventTimeAndAFutureOneItsKafkaTime() {
    EventTimePolicy policy = new EventTimePolicy(DELAY, Optional.empty());
    PartitionContext busy = context(500, Instant.now());
    policy.getTimestampForRecord(busy, record(event("2026-11-29T10:00:30Z")));
    assertEquals(
        "a bad record takes the newest event time",
        Instant.parse("2026-11-29T10:00:30Z"),
        policy.getTimestampForRecord(busy, record("not json")));
    assertEquals(
        "an event time ahead of the time Kafka took the record is capped there",
        WRITTEN,
        policy.getTimestampForRecord(busy, record(event("2999-01-01T00:00:00Z"))));
    assertEquals(WRITTEN.minus(DELAY), policy.getWatermark(busy));
  }

  @Test
  public void aFutureEventReadLongAfterItWasWrittenDoesNotCloseTheBacklogsWindows() {
    // A job catching up on ten minutes of backlog: the reader's clock is ten minutes ahead of the
    // records it reads. Capped at the reader's clock, one bad record would move the watermark past
    // every window the backlog still holds.
    EventTimePolicy policy = new EventTimePolicy(DELAY, Optional.empty());
    Instant written = Instant.now().minus(Duration.standardMinutes(10));
    PartitionContext catchingUp = context(3_000_000, Instant.now());
    policy.getTimestampForRecord(catchingUp, record(event(written.minus(Duration.standardSeconds(1)).toString()), written));
    policy.getTimestampForRecord(catchingUp, record(event("2999-01-01T00:00:00Z"), written));
    assertEquals(written.minus(DELAY), policy.getWatermark(catchingUp));
  }

  @Test
  public void aRecordWrittenByAClockAheadIsCappedAtProcessingTime() {
    EventTimePolicy policy = new EventTimePolicy(DELAY, Optional.empty());
    Instant before = Instant.now();
    Instant stamped =
        policy.getTimestampForRecord(
            context(500, Instant.now()),
            record(event("2999-01-01T00:00:00Z"), Instant.parse("2998-01-01T00:00:00Z")));
    assertTrue("capped at processing time: " + stamped, !stamped.isBefore(before) && !stamped.isAfter(Instant.now()));
  }
}
