package io.freshforever.contract;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** A record that could not become an {@link Event}, with why, kept whole so nothing is lost. */
@AutoValue
@DefaultCoder(DeadLetterCoder.class)
public abstract class DeadLetter {
  /** The original bytes; null for a Kafka tombstone. */
  @SuppressWarnings("mutable")
  public abstract byte @Nullable [] payload();

  /** A {@link RejectReason} name. */
  public abstract String reason();

  /** For a person: what was wrong, naming the field. */
  public abstract String message();

  public abstract Instant ingestTime();

  public abstract int kafkaPartition();

  public abstract long kafkaOffset();

  public static DeadLetter of(RawRecord record, RejectReason reason, String message) {
    return of(
        record.payload(),
        reason.name(),
        message,
        record.ingestTime(),
        record.kafkaPartition(),
        record.kafkaOffset());
  }

  public static DeadLetter of(
      byte @Nullable [] payload,
      String reason,
      String message,
      Instant ingestTime,
      int kafkaPartition,
      long kafkaOffset) {
    return new AutoValue_DeadLetter(
        payload, reason, message, ingestTime, kafkaPartition, kafkaOffset);
  }
}
