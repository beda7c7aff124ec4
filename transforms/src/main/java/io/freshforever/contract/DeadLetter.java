package io.freshforever.contract;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A record that could not become an {@link Event}, with why, kept whole so nothing is lost.
 *
 * @param payload the original bytes; null for a Kafka tombstone
 * @param reason a {@link RejectReason} name
 * @param message for a person: what was wrong, naming the field
 */
@DefaultCoder(DeadLetterCoder.class)
public record DeadLetter(
    byte @Nullable [] payload,
    String reason,
    String message,
    Instant ingestTime,
    int kafkaPartition,
    long kafkaOffset) {
  public DeadLetter {
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
    requireNonNull(ingestTime, "ingestTime");
  }

  public static DeadLetter of(RawRecord record, RejectReason reason, String message) {
    return new DeadLetter(
        record.payload(),
        reason.name(),
        message,
        record.ingestTime(),
        record.kafkaPartition(),
        record.kafkaOffset());
  }


  // The payload is compared by content: two dead letters of one record are equal.
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof DeadLetter that
        && Arrays.equals(payload, that.payload)
        && reason.equals(that.reason)
        && message.equals(that.message)
        && ingestTime.equals(that.ingestTime)
        && kafkaPartition == that.kafkaPartition
        && kafkaOffset == that.kafkaOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(payload), reason, message, ingestTime, kafkaPartition, kafkaOffset);
  }

  @Override
  public String toString() {
    return "DeadLetter[reason=" + reason + ", message=" + message + ", payload=" + Arrays.toString(payload)
        + ", ingestTime=" + ingestTime + ", kafkaPartition=" + kafkaPartition + ", kafkaOffset=" + kafkaOffset + "]";
  }
}
