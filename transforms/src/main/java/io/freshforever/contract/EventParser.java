package io.freshforever.contract;

import static io.freshforever.contract.EventContract.FIELD_EVENT_ID;
import static io.freshforever.contract.EventContract.FIELD_EVENT_TIME;
import static io.freshforever.contract.EventContract.FIELD_EVENT_TYPE;
import static io.freshforever.contract.EventContract.FIELD_PROPERTIES;
import static io.freshforever.contract.EventContract.FIELD_USER_ID;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.Serializable;
import java.time.format.DateTimeParseException;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Turns one Kafka value into an {@link Event}, or says exactly why it cannot: every rule of the
 * contract's event format lives here, so the streaming path, the batch path and the tests agree.
 */
public final class EventParser implements Serializable {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  /** Reads one value inside an object: what follows it is the object's, not trailing tokens. */
  private static final ObjectReader SUBTREE =
      JSON.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Duration maxFutureSkew;
  private final Duration maxAge;

  /**
   * @param maxFutureSkew how far {@code event_time} may lie ahead of the time the log accepted the record
   * @param maxAge how far {@code event_time} may lie behind it
   */
  public EventParser(Duration maxFutureSkew, Duration maxAge) {
    this.maxFutureSkew = maxFutureSkew;
    this.maxAge = maxAge;
  }

  /** The contract's own limits. */
  public static EventParser withContractLimits() {
    return new EventParser(EventContract.DEFAULT_MAX_FUTURE_SKEW, EventContract.DEFAULT_MAX_EVENT_AGE);
  }

  /**
   * Judges {@code event_time} against the record's ingest time, the time the log accepted it (the
   * broker's clock, not a producer's): the same verdict whoever reads the record, and whenever.
   */
  public Event parse(RawRecord record) throws InvalidEventException {
    byte[] bytes = record.payload();
    if (bytes == null || bytes.length == 0) {
      throw new InvalidEventException(RejectReason.EMPTY_PAYLOAD, "the Kafka value is empty");
    }
    if (bytes.length > EventContract.MAX_PAYLOAD_BYTES) {
      throw new InvalidEventException(
          RejectReason.PAYLOAD_TOO_LARGE,
          "the value is "
              + bytes.length
              + " bytes; the limit is "
              + EventContract.MAX_PAYLOAD_BYTES);
    }
    String text = decodeUtf8(bytes);
    TopLevel fields = TopLevel.stream(text);
    if (fields == null) {
      fields = TopLevel.of(readJson(text));
    }
    String eventId = requiredText(fields.eventId, FIELD_EVENT_ID);
    int idChars = eventId.codePointCount(0, eventId.length());
    if (idChars < 1 || idChars > EventContract.MAX_EVENT_ID_CHARS) {
      throw invalid(
          FIELD_EVENT_ID,
          "must be 1 to " + EventContract.MAX_EVENT_ID_CHARS + " characters, is " + idChars);
    }
    String eventType = requiredText(fields.eventType, FIELD_EVENT_TYPE);
    if (!EventContract.EVENT_TYPE_PATTERN.matcher(eventType).matches()) {
      throw invalid(
          FIELD_EVENT_TYPE,
          "must match " + EventContract.EVENT_TYPE_PATTERN.pattern() + ", is " + quoted(eventType));
    }
    Instant eventTime = parseInstant(requiredText(fields.eventTime, FIELD_EVENT_TIME));
    Instant accepted = record.ingestTime();
    if (eventTime.isAfter(accepted.plus(maxFutureSkew))) {
      throw new InvalidEventException(
          RejectReason.EVENT_TIME_IN_FUTURE,
          "event_time " + eventTime + " is more than " + maxFutureSkew.getStandardSeconds()
              + "s ahead of the time the log accepted the record, " + accepted);
    }
    if (eventTime.isBefore(accepted.minus(maxAge))) {
      throw new InvalidEventException(
          RejectReason.EVENT_TIME_TOO_OLD,
          "event_time " + eventTime + " is more than " + maxAge.getStandardDays()
              + " days before the time the log accepted the record, " + accepted);
    }
    return Event.builder()
        .eventId(eventId)
        .eventType(eventType)
        .eventTime(eventTime)
        .userId(optionalText(fields.userId, FIELD_USER_ID))
        .propertiesJson(optionalObject(fields.properties, FIELD_PROPERTIES))
        .ingestTime(record.ingestTime())
        .kafkaPartition(record.kafkaPartition())
        .kafkaOffset(record.kafkaOffset())
        .payload(text)
        .build();
  }

  /**
   * Just the {@code event_time} of a Kafka value, or null when it has none that parses: cheap
   * enough to run on every record in a watermark policy, which must not wait for full parsing.
   * Streams the top level of the object and stops at the field.
   */
  public static @Nullable Instant eventTimeOf(byte @Nullable [] payload) {
    if (payload == null || payload.length == 0 || payload.length > EventContract.MAX_PAYLOAD_BYTES) {
      return null;
    }
    try (JsonParser json = JSON.getFactory().createParser(payload)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (FIELD_EVENT_TIME.equals(field)) {
          return value == JsonToken.VALUE_STRING ? parseInstant(json.getText()) : null;
        }
        json.skipChildren();
      }
      return null;
    } catch (IOException | InvalidEventException e) {
      return null;
    }
  }

  private static String decodeUtf8(byte[] bytes) throws InvalidEventException {
    String text = StrictUtf8.decode(bytes);
    if (text == null) {
      throw new InvalidEventException(RejectReason.NOT_UTF8, "the value is not valid UTF-8");
    }
    return text;
  }

  /**
   * The contract's top-level fields of one value, absent ones null. Read by streaming over the
   * object, building a tree only of a field that is not a string (the properties object; any other
   * is an error): a tree of the whole value was the largest cost of parsing.
   */
  private static final class TopLevel {
    @Nullable JsonNode eventId;
    @Nullable JsonNode eventType;
    @Nullable JsonNode eventTime;
    @Nullable JsonNode userId;
    @Nullable JsonNode properties;

    static TopLevel of(JsonNode root) throws InvalidEventException {
      if (!root.isObject()) {
        throw new InvalidEventException(
            RejectReason.NOT_AN_OBJECT,
            "the value is a JSON " + root.getNodeType().name().toLowerCase() + ", not an object");
      }
      TopLevel fields = new TopLevel();
      fields.eventId = root.get(FIELD_EVENT_ID);
      fields.eventType = root.get(FIELD_EVENT_TYPE);
      fields.eventTime = root.get(FIELD_EVENT_TIME);
      fields.userId = root.get(FIELD_USER_ID);
      fields.properties = root.get(FIELD_PROPERTIES);
      return fields;
    }

    /**
     * The fields of a well-formed JSON object, or null for anything else (not JSON, not an object,
     * trailing tokens, a repeated field): those are left to {@link #of} on the whole tree, so every
     * verdict and message stays exactly the tree's.
     */
    static @Nullable TopLevel stream(String text) {
      try (JsonParser json = JSON.getFactory().createParser(text)) {
        if (json.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        TopLevel fields = new TopLevel();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String name = json.currentName();
          JsonToken token = json.nextToken();
          switch (name) {
            case FIELD_EVENT_ID -> fields.eventId = valueOf(json, token);
            case FIELD_EVENT_TYPE -> fields.eventType = valueOf(json, token);
            case FIELD_EVENT_TIME -> fields.eventTime = valueOf(json, token);
            case FIELD_USER_ID -> fields.userId = valueOf(json, token);
            case FIELD_PROPERTIES -> fields.properties = valueOf(json, token);
            default -> json.skipChildren();
          }
        }
        return json.nextToken() == null ? fields : null;
      } catch (IOException e) {
        return null;
      }
    }

    private static JsonNode valueOf(JsonParser json, JsonToken token) throws IOException {
      if (token == JsonToken.VALUE_STRING) {
        return TextNode.valueOf(json.getText());
      }
      if (token == JsonToken.VALUE_NULL) {
        return NullNode.getInstance();
      }
      return SUBTREE.readTree(json);
    }
  }

  private static JsonNode readJson(String text) throws InvalidEventException {
    try {
      JsonNode root = JSON.readTree(text);
      if (root == null || root.isMissingNode()) {
        throw new InvalidEventException(RejectReason.NOT_JSON, "the value holds no JSON");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(RejectReason.NOT_JSON, e.getOriginalMessage());
    }
  }

  private static String requiredText(@Nullable JsonNode node, String field) throws InvalidEventException {
    if (node == null || node.isNull()) {
      throw new InvalidEventException(
          RejectReason.MISSING_FIELD, "required field " + field + " is missing");
    }
    if (!node.isTextual()) {
      throw invalid(field, "must be a string, is a " + node.getNodeType().name().toLowerCase());
    }
    return wellFormed(field, node.textValue());
  }

  /**
   * A JSON escape can spell a lone UTF-16 surrogate (backslash, u, d800), which no UTF-8 file can hold:
   * the lake would store it as "?", and two different ids could become one.
   */
  private static String wellFormed(String field, String text) throws InvalidEventException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw invalid(field, "holds a lone UTF-16 surrogate (\\u" + Integer.toHexString(c) + " at " + i + "), not Unicode text");
      }
    }
    return text;
  }

  private static @Nullable String optionalText(@Nullable JsonNode node, String field)
      throws InvalidEventException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalid(field, "must be a string, is a " + node.getNodeType().name().toLowerCase());
    }
    return wellFormed(field, node.textValue());
  }

  private static @Nullable String optionalObject(@Nullable JsonNode node, String field)
      throws InvalidEventException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw invalid(field, "must be an object, is a " + node.getNodeType().name().toLowerCase());
    }
    String json = wellFormed(field, node.toString());
    // A number beyond double's range reads as Infinity, which is not JSON: the lake must not hold it.
    if ((json.contains("Infinity") || json.contains("NaN")) && hasNonFiniteNumber(node)) {
      throw invalid(field, "holds a number beyond the range of a 64-bit float");
    }
    return json;
  }

  private static boolean hasNonFiniteNumber(JsonNode node) {
    if (node.isFloatingPointNumber()) {
      return !Double.isFinite(node.doubleValue());
    }
    for (JsonNode child : node) {
      if (hasNonFiniteNumber(child)) {
        return true;
      }
    }
    return false;
  }

  private static Instant parseInstant(String text) throws InvalidEventException {
    try {
      return Instant.ofEpochMilli(IsoInstants.toEpochMillis(text));
    } catch (DateTimeParseException | ArithmeticException e) {
      throw invalid(
          FIELD_EVENT_TIME,
          "must be an ISO-8601 instant with a zone such as 2026-11-29T10:00:00.123Z, is "
              + quoted(text));
    }
  }

  private static InvalidEventException invalid(String field, String problem) {
    return new InvalidEventException(RejectReason.INVALID_FIELD, field + " " + problem);
  }

  private static String quoted(String value) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return "\"" + shown + "\"";
  }
}
