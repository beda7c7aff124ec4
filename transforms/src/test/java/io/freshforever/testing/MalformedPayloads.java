package io.freshforever.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated corpus of Kafka values that break the event contract in every way we know of, each
 * with a label saying how: random bytes, every truncation of a valid event, nesting 100,000 levels
 * deep, strings past the payload limit, lone surrogates, NUL and BOM, numbers and objects where
 * strings belong, repeated keys, huge numbers, null fields. Seeded, so a failure repeats.
 */
public final class MalformedPayloads {
  private MalformedPayloads() {}

  public record Payload(String label, byte[] bytes) {}

  static final String VALID =
      "{\"event_id\":\"e-1\",\"event_type\":\"click\",\"event_time\":\"2026-11-29T10:00:00Z\","
          + "\"user_id\":\"u\",\"properties\":{\"a\":[1,2]}}";

  public static List<Payload> corpus(long seed) {
    Random random = new Random(seed);
    List<Payload> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] bytes = new byte[1 + random.nextInt(400)];
      random.nextBytes(bytes);
      if (bytes[0] == '{') {
        bytes[0] = '}';
      }
      all.add(new Payload("random bytes #" + i, bytes));
    }
    for (int cut = 0; cut < VALID.length(); cut++) {
      all.add(text("truncated at " + cut, VALID.substring(0, cut)));
    }
    for (String open : List.of("[", "{\"a\":")) {
      all.add(text("nested 100,000 deep in " + open, open.repeat(100_000)));
      all.add(text("nested 100,000 deep, closed, in " + open, open.repeat(100_000) + "1" + (open.equals("[") ? "]" : "}").repeat(100_000)));
      all.add(text("nested 100,000 deep in properties, " + open,
          "{\"event_id\":\"e\",\"event_type\":\"t\",\"event_time\":\"2026-11-29T10:00:00Z\",\"properties\":{\"x\":"
              + open.repeat(100_000)));
    }
    String mebibyte = "x".repeat(1024 * 1024);
    all.add(text("1 MiB event_id", event("\"" + mebibyte + "\"", "\"t\"", "\"2026-11-29T10:00:00Z\"")));
    all.add(text("1 MiB property", event("\"e\"", "\"t\"", "\"2026-11-29T10:00:00Z\"").replace("}", ",\"properties\":{\"p\":\"" + mebibyte + "\"}}")));
    all.add(text("an event_id of 129 characters", event("\"" + "i".repeat(129) + "\"", "\"t\"", "\"2026-11-29T10:00:00Z\"")));
    for (String surrogate : List.of("\\ud800", "\\udfff", "a\\ud83d", "\\ude00b")) {
      all.add(text("lone surrogate " + surrogate + " in event_id", event("\"" + surrogate + "\"", "\"t\"", "\"2026-11-29T10:00:00Z\"")));
      all.add(text("lone surrogate " + surrogate + " in user_id", VALID.replace("\"u\"", "\"" + surrogate + "\"")));
      all.add(text("lone surrogate " + surrogate + " in properties", VALID.replace("\"a\"", "\"" + surrogate + "\"")));
    }
    all.add(new Payload("UTF-8 encoded surrogate", concat(VALID.substring(0, 13).getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, VALID.substring(16).getBytes(StandardCharsets.UTF_8))));
    all.add(new Payload("UTF-8 BOM before a valid event", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, VALID.getBytes(StandardCharsets.UTF_8))));
    all.add(new Payload("UTF-16 BOM and text", concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, VALID.getBytes(StandardCharsets.UTF_16BE))));
    for (int at = 0; at < VALID.length(); at += 7) {
      byte[] withNul = VALID.getBytes(StandardCharsets.UTF_8);
      withNul[at] = 0;
      all.add(new Payload("NUL at " + at, withNul));
    }
    all.add(text("NUL only", "\u0000"));
    all.add(text("escaped NUL in event_type", event("\"e\"", "\"cl\\u0000ick\"", "\"2026-11-29T10:00:00Z\"")));
    List<String> wrongTypes = List.of("1", "-0.5", "1e400", "true", "false", "{}", "[]", "{\"a\":1}", "[\"e\"]",
        "12345678901234567890123456789012345678901234567890", "\"\"");
    for (String value : wrongTypes) {
      all.add(text("event_id " + value, event(value, "\"t\"", "\"2026-11-29T10:00:00Z\"")));
      all.add(text("event_type " + value, event("\"e\"", value, "\"2026-11-29T10:00:00Z\"")));
      all.add(text("event_time " + value, event("\"e\"", "\"t\"", value)));
      if (!value.equals("\"\"")) { // an empty user id is allowed
        all.add(text("user_id " + value, VALID.replace("\"u\"", value)));
      }
      if (!value.startsWith("{")) {
        all.add(text("properties " + value, VALID.replace("{\"a\":[1,2]}", value)));
      }
    }
    for (String time : List.of("2026-11-29", "10:00:00Z", "2026-11-29T10:00:00", "2026-13-01T00:00:00Z",
        "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "now", "1764410400000",
        "2026-11-29T10:00:00Z[Mars/Olympus]", "2026-11-29T25:00:00Z")) {
      all.add(text("event_time \"" + time + "\"", event("\"e\"", "\"t\"", "\"" + time + "\"")));
    }
    for (String field : List.of("event_id", "event_type", "event_time")) {
      all.add(text("repeated " + field, VALID.replace("{", "{\"" + field + "\":\"x\",")));
      all.add(text("null " + field, VALID.replaceFirst("\"" + field + "\":\"[^\"]*\"", "\"" + field + "\":null")));
      all.add(text("missing " + field, VALID.replaceFirst("\"" + field + "\":\"[^\"]*\",?", "")));
    }
    all.add(text("every field null", "{\"event_id\":null,\"event_type\":null,\"event_time\":null,\"user_id\":null,\"properties\":null}"));
    all.add(text("huge number in properties", VALID.replace("[1,2]", "1" + "0".repeat(100_000))));
    all.add(text("huge exponent in properties", VALID.replace("[1,2]", "1e99999999999")));
    for (String json : List.of("", " ", "null", "1", "\"s\"", "[]", "[" + VALID + "]", VALID + VALID, VALID + " x",
        VALID.replace(":", "="), VALID.replace("\"", "'"), "{,}", "{\"a\"}", "{\"event_id\"::\"e\"}")) {
      all.add(text("not one object: " + (json.length() > 30 ? json.substring(0, 30) : json), json));
    }
    for (int i = 0; all.size() < 1_200; i++) {
      byte[] bytes = VALID.getBytes(StandardCharsets.UTF_8);
      int at = 1 + random.nextInt(bytes.length - 2);
      bytes[at] = (byte) (0x80 | random.nextInt(0x40)); // a lone continuation byte: not UTF-8
      all.add(new Payload("stray continuation byte #" + i + " at " + at, bytes));
    }
    return all;
  }

  private static String event(String id, String type, String time) {
    return "{\"event_id\":" + id + ",\"event_type\":" + type + ",\"event_time\":" + time + "}";
  }

  private static Payload text(String label, String text) {
    return new Payload(label, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
