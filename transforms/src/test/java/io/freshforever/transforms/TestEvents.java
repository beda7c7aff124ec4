package io.freshforever.transforms;

import io.freshforever.contract.DeadLetter;
import io.freshforever.contract.Event;
import io.freshforever.contract.RawRecord;
import io.freshforever.contract.RawRecordCoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/** Builders for the events and records the tests feed in, all on 2026-11-29 UTC. */
final class TestEvents {
  private TestEvents() {}

  /** What parsing made of some raw records: the events and the dead letters. */
  record Parsed(PCollection<Event> events, PCollection<DeadLetter> deadLetters) {}

  /** {@code records} parsed as the live path parses them, with processing time fixed at {@code now}. */
  static Parsed parse(TestPipeline pipeline, List<RawRecord> records) {
    BadRecordErrorHandler<PCollection<DeadLetter>> deadLetters =
        pipeline.registerBadRecordErrorHandler(ToDeadLetters.create());
    PCollection<Event> events =
        pipeline
            .apply(Create.of(records).withCoder(RawRecordCoder.of()))
            .apply(ParseEvents.withDeadLetters(deadLetters));
    deadLetters.close();
    return new Parsed(events, deadLetters.getOutput());
  }

  static final String DAY = "2026-11-29T";

  /** {@code at("10:00:05")} is 2026-11-29T10:00:05Z. */
  static Instant at(String time) {
    return Instant.parse(DAY + time + "Z");
  }

  static Event event(String id, String type, String time) {
    return copy(id, type, time, 0, 0);
  }

  /** One copy of an event as it arrived at a given log position. */
  static Event copy(String id, String type, String time, int partition, long offset) {
    String payload =
        "{\"event_id\":\""
            + id
            + "\",\"event_type\":\""
            + type
            + "\",\"event_time\":\""
            + DAY
            + time
            + "Z\"}";
    return Event.builder()
        .eventId(id)
        .eventType(type)
        .eventTime(at(time))
        .ingestTime(at(time).plus(1000))
        .kafkaPartition(partition)
        .kafkaOffset(offset)
        .payload(payload)
        .build();
  }

  static TimestampedValue<Event> stamped(Event event) {
    return TimestampedValue.of(event, event.eventTime());
  }

  /** Each event's type, keeping its timestamp: what the live view counts after dedup. */
  static MapElements<Event, String> types() {
    return MapElements.into(TypeDescriptors.strings()).via(Event::eventType);
  }

  static TestStream.Builder<Event> stream() {
    return TestStream.create(io.freshforever.contract.EventCoder.of());
  }

  static RawRecord raw(String value, long offset) {
    return raw(value == null ? null : value.getBytes(StandardCharsets.UTF_8), offset);
  }

  static RawRecord raw(byte[] value, long offset) {
    return RawRecord.of(value, at("10:30:00"), 0, offset);
  }
}
