package io.freshforever.lake;

import io.freshforever.contract.DeadLetter;
import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.StrictUtf8;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The lake's Avro schemas (read from the {@code .avsc} files beside this class, the single source
 * of truth for code, tests and infrastructure) and the conversions between rows and contract types.
 */
public final class LakeSchemas {
  private LakeSchemas() {}

  public static final Schema EVENT = load("lake_event.avsc");
  public static final Schema DEAD_LETTER = load("lake_dead_letter.avsc");

  /**
   * Strings go in as Avro {@link Utf8}: Parquet stores UTF-8, and {@code String.getBytes} makes it
   * several times faster than the charset encoder Parquet runs on a {@code String}.
   */
  public static GenericRecord toRecord(Event event) {
    GenericData.Record row = new GenericData.Record(EVENT);
    row.put("event_id", new Utf8(event.eventId()));
    row.put("event_type", new Utf8(event.eventType()));
    row.put("event_time", event.eventTime().getMillis());
    row.put("user_id", utf8OrNull(event.userId()));
    row.put("properties", utf8OrNull(event.propertiesJson()));
    row.put("ingest_time", event.ingestTime().getMillis());
    row.put("kafka_partition", event.kafkaPartition());
    row.put("kafka_offset", event.kafkaOffset());
    row.put("payload", new Utf8(event.payload()));
    return row;
  }

  private static @Nullable Utf8 utf8OrNull(@Nullable String text) {
    return text == null ? null : new Utf8(text);
  }

  /** The inverse of {@link #toRecord(Event)}, for the batch path reading the lake. */
  public static Event toEvent(GenericRecord row) {
    return Event.builder()
        .eventId(text(row, "event_id"))
        .eventType(text(row, "event_type"))
        .eventTime(new Instant((long) row.get("event_time")))
        .userId(optionalText(row, "user_id"))
        .propertiesJson(optionalText(row, "properties"))
        .ingestTime(new Instant((long) row.get("ingest_time")))
        .kafkaPartition((int) row.get("kafka_partition"))
        .kafkaOffset((long) row.get("kafka_offset"))
        .payload(text(row, "payload"))
        .build();
  }

  public static GenericRecord toRecord(DeadLetter deadLetter) {
    GenericData.Record row = new GenericData.Record(DEAD_LETTER);
    byte[] payload = deadLetter.payload();
    if (payload != null) {
      if (StrictUtf8.decode(payload) != null) {
        // The received bytes are the text: Parquet stores them as they are, with no re-encoding
        // (an oversized record's megabyte was the lake writer's largest cost per byte).
        row.put("payload", new Utf8(payload));
      } else {
        row.put("payload", new String(payload, StandardCharsets.UTF_8));
        row.put("payload_base64", Base64.getEncoder().encodeToString(payload));
      }
    }
    row.put("reason", deadLetter.reason());
    row.put("message", deadLetter.message());
    row.put("ingest_time", deadLetter.ingestTime().getMillis());
    row.put("kafka_partition", deadLetter.kafkaPartition());
    row.put("kafka_offset", deadLetter.kafkaOffset());
    return row;
  }

  /** The lake folder of a dead-letter row: {@code dlq/dt=...} of its ingest time. */
  public static String deadLetterPartitionOf(GenericRecord row) {
    return LakeLayout.deadLetterPartition(new Instant((long) row.get("ingest_time")));
  }

  private static String text(GenericRecord row, String field) {
    return row.get(field).toString(); // Avro may hand back a Utf8, not a String
  }

  private static @Nullable String optionalText(GenericRecord row, String field) {
    Object value = row.get(field);
    return value == null ? null : value.toString();
  }

  private static Schema load(String file) {
    try (InputStream in = LakeSchemas.class.getResourceAsStream(EventContract.SCHEMA_FILES + file)) {
      if (in == null) {
        throw new IllegalStateException("schema file missing from the classpath: " + file);
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
