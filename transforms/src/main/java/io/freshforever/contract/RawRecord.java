package io.freshforever.contract;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One record exactly as it arrived on the ingest log, before any parsing: the bytes of the Kafka
 * value and where they came from. Everything downstream can be traced back to these coordinates.
 */
@AutoValue
@DefaultCoder(RawRecordCoder.class)
public abstract class RawRecord {
  /** The Kafka value; null for a tombstone. */
  @SuppressWarnings("mutable")
  public abstract byte @Nullable [] payload();

  /** When the log accepted the record (the Kafka record timestamp). */
  public abstract Instant ingestTime();

  public abstract int kafkaPartition();

  public abstract long kafkaOffset();

  public static RawRecord of(
      byte @Nullable [] payload, Instant ingestTime, int kafkaPartition, long kafkaOffset) {
    return new AutoValue_RawRecord(payload, ingestTime, kafkaPartition, kafkaOffset);
  }
}
