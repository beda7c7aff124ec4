package io.freshforever.contract;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One record exactly as it arrived on the ingest log, before any parsing: the bytes of the Kafka
 * value and where they came from. Everything downstream can be traced back to these coordinates.
 *
 * @param payload the Kafka value; null for a tombstone
 * @param ingestTime when the log accepted the record (the Kafka record timestamp)
 */
@DefaultCoder(RawRecordCoder.class)
public record RawRecord(byte @Nullable [] payload, Instant ingestTime, int kafkaPartition, long kafkaOffset) {
  public RawRecord {
    requireNonNull(ingestTime, "ingestTime");
  }

  public static RawRecord of(
      byte @Nullable [] payload, Instant ingestTime, int kafkaPartition, long kafkaOffset) {
    return new RawRecord(payload, ingestTime, kafkaPartition, kafkaOffset);
  }

  // The payload is compared by content: two reads of one record are equal.
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof RawRecord that
        && Arrays.equals(payload, that.payload)
        && ingestTime.equals(that.ingestTime)
        && kafkaPartition == that.kafkaPartition
        && kafkaOffset == that.kafkaOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(payload), ingestTime, kafkaPartition, kafkaOffset);
  }

  @Override
  public String toString() {
    // The size, not the bytes: Beam's BadRecord keeps this text beside the encoded record, and the
    // live job rendered every rejected 1 MB value as ~4 MB of numbers (18% of its CPU, profiled).
    return "RawRecord[payload=" + (payload == null ? "null" : payload.length + " bytes") + ", ingestTime=" + ingestTime
        + ", kafkaPartition=" + kafkaPartition + ", kafkaOffset=" + kafkaOffset + "]";
  }
}
