package io.freshforever.contract;

import static java.util.Objects.requireNonNull;

import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A valid user-interaction event: the contract's fields, plus the ingest-log coordinates of the copy
 * it came from. Duplicates of one {@link #eventId()} differ only in those coordinates (and maybe in
 * the payload's bytes).
 *
 * @param propertiesJson the {@code properties} object re-serialized as compact JSON, or null when
 *     absent
 * @param payload the original Kafka value, decoded as UTF-8 (which parsing verified); unknown
 *     fields live here
 */
@DefaultCoder(EventCoder.class)
public record Event(
    String eventId,
    String eventType,
    Instant eventTime,
    @Nullable String userId,
    @Nullable String propertiesJson,
    Instant ingestTime,
    int kafkaPartition,
    long kafkaOffset,
    String payload) {

  public Event {
    requireNonNull(eventId, "eventId");
    requireNonNull(eventType, "eventType");
    requireNonNull(eventTime, "eventTime");
    requireNonNull(ingestTime, "ingestTime");
    requireNonNull(payload, "payload");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .eventId(eventId)
        .eventType(eventType)
        .eventTime(eventTime)
        .userId(userId)
        .propertiesJson(propertiesJson)
        .ingestTime(ingestTime)
        .kafkaPartition(kafkaPartition)
        .kafkaOffset(kafkaOffset)
        .payload(payload);
  }

  /** Named fields for the parser and tests: nine positional arguments would be easy to swap. */
  public static final class Builder {
    private String eventId;
    private String eventType;
    private Instant eventTime;
    private @Nullable String userId;
    private @Nullable String propertiesJson;
    private Instant ingestTime;
    private int kafkaPartition;
    private long kafkaOffset;
    private String payload;

    private Builder() {}

    public Builder eventId(String eventId) {
      this.eventId = eventId;
      return this;
    }

    public Builder eventType(String eventType) {
      this.eventType = eventType;
      return this;
    }

    public Builder eventTime(Instant eventTime) {
      this.eventTime = eventTime;
      return this;
    }

    public Builder userId(@Nullable String userId) {
      this.userId = userId;
      return this;
    }

    public Builder propertiesJson(@Nullable String propertiesJson) {
      this.propertiesJson = propertiesJson;
      return this;
    }

    public Builder ingestTime(Instant ingestTime) {
      this.ingestTime = ingestTime;
      return this;
    }

    public Builder kafkaPartition(int kafkaPartition) {
      this.kafkaPartition = kafkaPartition;
      return this;
    }

    public Builder kafkaOffset(long kafkaOffset) {
      this.kafkaOffset = kafkaOffset;
      return this;
    }

    public Builder payload(String payload) {
      this.payload = payload;
      return this;
    }

    public Event build() {
      return new Event(
          eventId, eventType, eventTime, userId, propertiesJson, ingestTime, kafkaPartition, kafkaOffset, payload);
    }
  }
}
