package io.freshforever.runners.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import org.joda.time.Instant;

/**
 * What the pipelines must end up with for everything a generator produced, known exactly because
 * the generator decides every record's fate: the live counts (distinct events within grace), the
 * warehouse counts (all distinct events), lake rows and dead letters by reason.
 */
public final class Expectations {
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

  private final Map<String, Long> live = new TreeMap<>();
  private final Map<String, Long> warehouse = new TreeMap<>();
  private final Map<String, Long> deadLetters = new TreeMap<>();
  private long produced;
  private long lakeRows;
  private long duplicates;
  private long tooLate;

  synchronized void distinctEvent(String type, Instant eventTime, boolean withinGrace) {
    produced++;
    lakeRows++;
    String key = type + "," + MINUTE.format(java.time.Instant.ofEpochMilli(eventTime.getMillis()));
    warehouse.merge(key, 1L, Long::sum);
    if (withinGrace) {
      live.merge(key, 1L, Long::sum);
    } else {
      tooLate++;
    }
  }

  synchronized void duplicate() {
    produced++;
    lakeRows++;
    duplicates++;
  }

  synchronized void deadLetter(String reason) {
    produced++;
    deadLetters.merge(reason, 1L, Long::sum);
  }

  public synchronized long produced() {
    return produced;
  }

  /** "type,yyyy-MM-ddTHH:mmZ" to the count the live view must show. */
  public synchronized Map<String, Long> live() {
    return new TreeMap<>(live);
  }

  public synchronized Map<String, Long> warehouse() {
    return new TreeMap<>(warehouse);
  }

  public synchronized Map<String, Long> deadLetters() {
    return new TreeMap<>(deadLetters);
  }

  public synchronized long lakeRows() {
    return lakeRows;
  }

  public synchronized long duplicates() {
    return duplicates;
  }

  public synchronized long tooLate() {
    return tooLate;
  }

  /** The minute key used by {@link #live()} and {@link #warehouse()}. */
  public static String minuteKey(String type, Instant windowStart) {
    return type + "," + MINUTE.format(java.time.Instant.ofEpochMilli(windowStart.getMillis()));
  }

  /** Replaces {@code file} atomically, so a reader never sees half a file. */
  public synchronized void writeTo(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("produced", produced);
    root.put("lake_rows", lakeRows);
    root.put("duplicates", duplicates);
    root.put("too_late_for_live_view", tooLate);
    root.set("dead_letters", json.valueToTree(deadLetters));
    root.set("live_counts", json.valueToTree(live));
    root.set("warehouse_counts", json.valueToTree(warehouse));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
