package io.freshforever.contract;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

public class EventParserTest {
  private static final Instant INGEST = Instant.parse("2026-11-29T10:29:59.500Z");
  private final EventParser parser = new EventParser(Duration.standardMinutes(5), EventContract.DEFAULT_MAX_EVENT_AGE);

  private Event parse(String json) throws InvalidEventException {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private Event parse(byte[] bytes) throws InvalidEventException {
    return parser.parse(RawRecord.of(bytes, INGEST, 3, 42L));
  }

  private void assertRejected(RejectReason reason, String messagePart, byte[] bytes) {
    InvalidEventException e = assertThrows(InvalidEventException.class, () -> parse(bytes));
    assertEquals(reason, e.reason());
    assertThat(e.getMessage(), containsString(messagePart));
  }

  private void assertRejected(RejectReason reason, String messagePart, String json) {
    assertRejected(reason, messagePart, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void parsesEveryFieldAndKeepsUnknownOnesInThePayload() throws Exception {
    String json =
        "{\"event_id\":\"e-1\",\"event_type\":\"page.view_2\",\"event_time\":\"2026-11-29T10:00:00.123Z\","
            + "\"user_id\":\"u-9\",\"properties\":{\"path\":\"/a\",\"n\":[1,2]},\"campaign\":\"x\"}";
    Event event = parse(json);
    assertEquals("e-1", event.eventId());
    assertEquals("page.view_2", event.eventType());
    assertEquals(Instant.parse("2026-11-29T10:00:00.123Z"), event.eventTime());
    assertEquals("u-9", event.userId());
    assertEquals("{\"path\":\"/a\",\"n\":[1,2]}", event.propertiesJson());
    assertEquals(INGEST, event.ingestTime());
    assertEquals(3, event.kafkaPartition());
    assertEquals(42L, event.kafkaOffset());
    assertEquals(json, event.payload());
  }

  @Test
  public void optionalFieldsMayBeAbsentOrNull() throws Exception {
    Event event =
        parse(
            "{\"event_id\":\"e\",\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\","
                + "\"user_id\":null,\"properties\":null}");
    assertNull(event.userId());
    assertNull(event.propertiesJson());
  }

  @Test
  public void eventTimeWithAnOffsetOrRegionIsConvertedToUtc() throws Exception {
    assertEquals(
        Instant.parse("2026-11-29T09:00:00Z"),
        parse(valid("2026-11-29T10:00:00+01:00")).eventTime());
    assertEquals(
        Instant.parse("2026-11-29T09:00:00Z"),
        parse(valid("2026-11-29T10:00:00+01:00[Europe/Paris]")).eventTime());
    assertEquals(
        "sub-millisecond digits are truncated",
        Instant.parse("2026-11-29T10:00:00.123Z"),
        parse(valid("2026-11-29T10:00:00.123987Z")).eventTime());
  }

  @Test
  public void emptyPayloads() {
    assertRejected(RejectReason.EMPTY_PAYLOAD, "empty", (byte[]) null);
    assertRejected(RejectReason.EMPTY_PAYLOAD, "empty", new byte[0]);
  }

  @Test
  public void payloadOverOneMebibyteIsRejectedAndOneMebibyteIsNot() throws Exception {
    String head = "{\"event_id\":\"e\",\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\",\"pad\":\"";
    String tail = "\"}";
    int padding = EventContract.MAX_PAYLOAD_BYTES - head.length() - tail.length();
    String exactlyAtLimit = head + "x".repeat(padding) + tail;
    assertEquals(EventContract.MAX_PAYLOAD_BYTES, exactlyAtLimit.length());
    assertEquals("e", parse(exactlyAtLimit).eventId());
    assertRejected(
        RejectReason.PAYLOAD_TOO_LARGE,
        "1048577 bytes",
        head + "x".repeat(padding + 1) + tail);
  }

  @Test
  public void invalidUtf8() {
    byte[] bytes = valid("2026-11-29T10:00:00Z").getBytes(StandardCharsets.UTF_8);
    byte[] broken = Arrays.copyOf(bytes, bytes.length);
    broken[16] = (byte) 0xff;
    assertRejected(RejectReason.NOT_UTF8, "UTF-8", broken);
  }

  @Test
  public void notJson() {
    assertRejected(RejectReason.NOT_JSON, "", "not json");
    assertRejected(RejectReason.NOT_JSON, "", "{\"event_id\":");
    assertRejected(RejectReason.NOT_JSON, "", valid("2026-11-29T10:00:00Z") + " {}");
    assertRejected(RejectReason.NOT_JSON, "no JSON", "   ");
    assertRejected(
        RejectReason.NOT_JSON,
        "Duplicate field 'event_id'",
        "{\"event_id\":\"a\",\"event_id\":\"b\",\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\"}");
  }

  @Test
  public void notAnObject() {
    assertRejected(RejectReason.NOT_AN_OBJECT, "array", "[1,2]");
    assertRejected(RejectReason.NOT_AN_OBJECT, "number", "42");
    assertRejected(RejectReason.NOT_AN_OBJECT, "string", "\"event\"");
    assertRejected(RejectReason.NOT_AN_OBJECT, "null", "null");
  }

  @Test
  public void missingRequiredFields() {
    assertRejected(
        RejectReason.MISSING_FIELD,
        "event_id",
        "{\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\"}");
    assertRejected(
        RejectReason.MISSING_FIELD,
        "event_id",
        "{\"event_id\":null,\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\"}");
    assertRejected(
        RejectReason.MISSING_FIELD,
        "event_type",
        "{\"event_id\":\"e\",\"event_time\":\"2026-11-29T10:00:00Z\"}");
    assertRejected(
        RejectReason.MISSING_FIELD, "event_time", "{\"event_id\":\"e\",\"event_type\":\"t\"}");
  }

  @Test
  public void malformedFields() {
    assertRejected(
        RejectReason.INVALID_FIELD,
        "event_id must be a string",
        "{\"event_id\":7,\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\"}");
    assertRejected(
        RejectReason.INVALID_FIELD,
        "event_id must be 1 to 128 characters, is 0",
        "{\"event_id\":\"\",\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\"}");
    assertRejected(
        RejectReason.INVALID_FIELD,
        "is 129",
        "{\"event_id\":\"" + "i".repeat(129) + "\",\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\"}");
    assertRejected(
        RejectReason.INVALID_FIELD,
        "event_type must match",
        "{\"event_id\":\"e\",\"event_type\":\"Click\",\"event_time\":\"2026-11-29T10:00:00Z\"}");
    assertRejected(
        RejectReason.INVALID_FIELD,
        "event_type must match",
        "{\"event_id\":\"e\",\"event_type\":\"" + "t".repeat(65) + "\",\"event_time\":\"2026-11-29T10:00:00Z\"}");
    assertRejected(RejectReason.INVALID_FIELD, "event_time must be an ISO-8601", valid("yesterday"));
    assertRejected(
        RejectReason.INVALID_FIELD, "event_time must be an ISO-8601", valid("2026-11-29T10:00:00"));
    assertRejected(
        RejectReason.INVALID_FIELD,
        "event_time must be a string",
        "{\"event_id\":\"e\",\"event_type\":\"t\",\"event_time\":1764410400000}");
    assertRejected(
        RejectReason.INVALID_FIELD,
        "user_id must be a string",
        "{\"event_id\":\"e\",\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\",\"user_id\":5}");
    assertRejected(
        RejectReason.INVALID_FIELD,
        "properties must be an object",
        "{\"event_id\":\"e\",\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\",\"properties\":[1]}");
  }

  @Test
  public void eventIdLengthCountsCharactersNotBytes() throws Exception {
    String id = "é".repeat(128); // 256 UTF-8 bytes, 128 characters
    assertEquals(
        id,
        parse("{\"event_id\":\"" + id + "\",\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\"}")
            .eventId());
  }

  @Test
  public void eventTimeMayBeUpToTheSkewAheadOfTheTimeTheLogAcceptedTheRecord() throws Exception {
    assertEquals(
        INGEST.plus(Duration.standardMinutes(5)), parse(valid("2026-11-29T10:34:59.500Z")).eventTime());
    assertRejected(
        RejectReason.EVENT_TIME_IN_FUTURE,
        "is more than 300s ahead of the time the log accepted the record, 2026-11-29T10:29:59.500Z",
        valid("2026-11-29T10:34:59.501Z"));
  }

  @Test
  public void eventTimeMayBeUpToTheHorizonBehindTheTimeTheLogAcceptedTheRecord() throws Exception {
    assertEquals(
        INGEST.minus(Duration.standardDays(1_095)), parse(valid("2023-11-30T10:29:59.500Z")).eventTime());
    assertRejected(
        RejectReason.EVENT_TIME_TOO_OLD,
        "event_time 2023-11-30T10:29:59.499Z is more than 1095 days before the time the log accepted the record,"
            + " 2026-11-29T10:29:59.500Z",
        valid("2023-11-30T10:29:59.499Z"));
    assertRejected(RejectReason.EVENT_TIME_TOO_OLD, "more than 1095 days before", valid("1971-01-01T00:00:00Z"));
  }

  private static String valid(String eventTime) {
    return "{\"event_id\":\"e\",\"event_type\":\"t\",\"event_time\":\"" + eventTime + "\"}";
  }

  @Test
  public void eventTimeOfPeeksWithoutFullParsing() {
    assertEquals(
        Instant.parse("2026-11-29T09:00:00Z"),
        EventParser.eventTimeOf(
            "{\"properties\":{\"event_time\":\"nested, ignored\"},\"event_time\":\"2026-11-29T10:00:00+01:00\",\"x\":"
                .concat("[1,2]}")
                .getBytes(StandardCharsets.UTF_8)));
    assertNull(EventParser.eventTimeOf(null));
    assertNull(EventParser.eventTimeOf("[1]".getBytes(StandardCharsets.UTF_8)));
    assertNull(EventParser.eventTimeOf("{\"event_time\":5}".getBytes(StandardCharsets.UTF_8)));
    assertNull(EventParser.eventTimeOf("{\"event_time\":\"soon\"}".getBytes(StandardCharsets.UTF_8)));
    assertNull(EventParser.eventTimeOf("{\"a\":".getBytes(StandardCharsets.UTF_8)));
  }
}
