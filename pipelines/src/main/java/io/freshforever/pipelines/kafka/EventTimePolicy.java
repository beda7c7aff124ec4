package io.freshforever.pipelines.kafka;

import io.freshforever.contract.EventParser;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event-time timestamps and watermark for one Kafka partition.
 *
 * <ul>
 *   <li>A record's timestamp is its {@code event_time} (at most processing time). A record without a usable one (it will be a
 *       dead letter) takes the partition's newest event time, so it neither counts as late nor
 *       moves the watermark.
 *   <li>The watermark trails the newest event time by {@code delay}: the out-of-orderness the live
 *       view tolerates before calling an event late. Event times ahead of the time Kafka took the
 *       record (or of processing time, if that is earlier) are capped there, so a producer with a
 *       broken clock cannot race the watermark. The record's own Kafka time, not the reader's
 *       clock: a job catching up on minutes of backlog reads an event stamped a day ahead (a dead
 *       letter) long after it was written, and capped at the reader's clock it would move the
 *       watermark past every window the backlog still holds, closing them minutes early.
 *   <li>An idle partition must not hold the watermark back: whenever the reader has caught up
 *       with a partition (backlog 0), its watermark may advance to processing time minus {@code
 *       delay}, including a partition that has never had a record. (KafkaIO's own {@code
 *       CustomTimestampPolicyWithLimitedDelay} waits for a first record, so a never-used partition
 *       stalls the watermark forever.)
 * </ul>
 *
 * The watermark never moves backwards.
 */
public final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  private final Duration delay;
  private Instant newestEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant watermark;

  EventTimePolicy(Duration delay, Optional<Instant> previousWatermark) {
    this.delay = delay;
    this.watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  public static TimestampPolicyFactory<byte[], byte[]> factory(Duration delay) {
    return (TopicPartition partition, Optional<Instant> previousWatermark) ->
        new EventTimePolicy(delay, previousWatermark);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    Instant eventTime = EventParser.eventTimeOf(record.getKV().getValue());
    if (eventTime == null) {
      return newestEventTime.isAfter(watermark) ? newestEventTime : watermark;
    }
    Instant cap = new Instant(Math.min(record.getTimestamp(), System.currentTimeMillis()));
    Instant capped = eventTime.isAfter(cap) ? cap : eventTime;
    if (capped.isAfter(newestEventTime)) {
      newestEventTime = capped;
    }
    // Parsing re-stamps valid events with their exact event time; a capped one is a dead letter.
    return capped;
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    Instant candidate =
        newestEventTime.equals(BoundedWindow.TIMESTAMP_MIN_VALUE)
            ? BoundedWindow.TIMESTAMP_MIN_VALUE
            : newestEventTime.minus(delay);
    if (ctx.getMessageBacklog() == 0) {
      Instant idle = ctx.getBacklogCheckTime().minus(delay);
      if (idle.isAfter(candidate)) {
        candidate = idle;
      }
    }
    if (candidate.isAfter(watermark)) {
      watermark = candidate;
    }
    return watermark;
  }
}
