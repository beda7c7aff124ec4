package io.freshforever.contract;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A valid user-interaction event: the contract's fields, plus the ingest-log coordinates of the copy
 * it came from. Duplicates of one {@link #eventId()} differ only in those coordinates (and maybe in
 * the payload's bytes).
 */
@AutoValue
@DefaultCoder(EventCoder.class)
public abstract class Event {
  public abstract String eventId();

  public abstract String eventType();

  public abstract Instant eventTime();

  public abstract @Nullable String userId();

  /** The {@code properties} object re-serialized as compact JSON, or null when absent. */
  public abstract @Nullable String propertiesJson();

  public abstract Instant ingestTime();

  public abstract int kafkaPartition();

  public abstract long kafkaOffset();

  /** The original Kafka value, decoded as UTF-8 (which parsing verified); unknown fields live here. */
  public abstract String payload();

  public abstract Builder toBuilder();

  public static Builder builder() {
    return new AutoValue_Event.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder eventId(String eventId);

    public abstract Builder eventType(String eventType);

    public abstract Builder eventTime(Instant eventTime);

    public abstract Builder userId(@Nullable String userId);

    public abstract Builder propertiesJson(@Nullable String propertiesJson);

    public abstract Builder ingestTime(Instant ingestTime);

    public abstract Builder kafkaPartition(int kafkaPartition);

    public abstract Builder kafkaOffset(long kafkaOffset);

    public abstract Builder payload(String payload);

    public abstract Event build();
  }
}
