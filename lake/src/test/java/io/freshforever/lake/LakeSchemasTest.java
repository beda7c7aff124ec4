package io.freshforever.lake;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshforever.contract.DeadLetter;
import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.joda.time.Instant;
import org.junit.Test;

public class LakeSchemasTest {
  private static final Event EVENT =
      Event.builder()
          .eventId("e-1")
          .eventType("click")
          .eventTime(Instant.parse("2026-11-29T23:59:59.999Z"))
          .userId("u")
          .propertiesJson("{\"k\":1}")
          .ingestTime(Instant.parse("2026-11-30T00:00:01Z"))
          .kafkaPartition(2)
          .kafkaOffset(99L)
          .payload("{\"raw\":true}")
          .build();

  @Test
  public void eventRowsRoundTrip() {
    GenericRecord row = LakeSchemas.toRecord(EVENT);
    assertEquals(EVENT.eventTime().getMillis(), row.get("event_time"));
    assertEquals(EVENT, LakeSchemas.toEvent(row));
  }

  @Test
  public void eventsArePartitionedByEventTimeAndDeadLettersByIngestTime() {
    assertEquals("events/dt=2026-11-29/hr=23", LakeLayout.eventPartition(EVENT.eventTime()));
    assertEquals("dlq/dt=2026-11-30", LakeLayout.deadLetterPartition(EVENT.ingestTime()));
  }

  @Test
  public void deadLetterKeepsExactBytesEvenWhenTheyAreNotText() {
    byte[] bytes = {'{', (byte) 0xff, '}'};
    GenericRecord row =
        LakeSchemas.toRecord(
            new DeadLetter(bytes, "NOT_UTF8", "not UTF-8", Instant.parse("2026-11-29T10:00:00Z"), 1, 5L));
    assertEquals("{\uFFFD}", row.get("payload").toString());
    assertEquals(Base64.getEncoder().encodeToString(bytes), row.get("payload_base64"));
    assertEquals("NOT_UTF8", row.get("reason"));

    GenericRecord text =
        LakeSchemas.toRecord(
            new DeadLetter("[]".getBytes(StandardCharsets.UTF_8), "NOT_AN_OBJECT", "m", Instant.EPOCH, 0, 0L));
    assertEquals("[]", text.get("payload").toString());
    assertNull(text.get("payload_base64"));
  }

  /** The warehouse table is the lake row minus the payload: one schema cannot drift from the other. */
  @Test
  public void warehouseEventsSchemaIsTheLakeSchemaWithoutThePayload() throws Exception {
    List<String> lake = new ArrayList<>();
    for (Schema.Field field : LakeSchemas.EVENT.getFields()) {
      if (!field.name().equals("payload")) {
        lake.add(field.name() + ":" + bigQueryType(field.schema()) + ":" + mode(field.schema()));
      }
    }
    List<String> warehouse = new ArrayList<>();
    for (JsonNode field : readJson("warehouse_events.json")) {
      warehouse.add(field.get("name").asText() + ":" + field.get("type").asText() + ":" + field.get("mode").asText());
    }
    assertEquals(lake, warehouse);
  }

  @Test
  public void warehouseCountsSchemaMatchesTheContract() throws Exception {
    List<String> columns = new ArrayList<>();
    for (JsonNode field : readJson("warehouse_event_counts_minute.json")) {
      columns.add(field.get("name").asText() + ":" + field.get("type").asText());
    }
    assertEquals(List.of("event_type:STRING", "window_start:TIMESTAMP", "count:INTEGER"), columns);
  }

  private static JsonNode readJson(String file) throws Exception {
    try (InputStream in = LakeSchemas.class.getResourceAsStream(EventContract.SCHEMA_FILES + file)) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static String bigQueryType(Schema schema) {
    Schema s = nonNull(schema);
    if (s.getLogicalType() != null && s.getLogicalType().getName().equals("timestamp-millis")) {
      return "TIMESTAMP";
    }
    switch (s.getType()) {
      case STRING:
        return "STRING";
      case INT:
      case LONG:
        return "INTEGER";
      default:
        throw new AssertionError("no warehouse type for " + s);
    }
  }

  private static String mode(Schema schema) {
    return schema.isNullable() ? "NULLABLE" : "REQUIRED";
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    for (Schema branch : schema.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        return branch;
      }
    }
    throw new AssertionError(schema);
  }
}
