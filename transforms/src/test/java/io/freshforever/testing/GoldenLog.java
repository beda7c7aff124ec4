package io.freshforever.testing;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventParser;
import io.freshforever.contract.InvalidEventException;
import io.freshforever.contract.RawRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** testdata/golden as testdata/golden/README.md replays it, for the tests of every module. */
public final class GoldenLog {
  private GoldenLog() {}

  public static final Path DIR = Paths.get(System.getProperty("fresh.testdata", "../testdata"), "golden");
  /** Processing time of the replay, for the future-skew check. */
  public static final Instant NOW = Instant.parse("2026-11-29T10:30:00Z");
  private static final Instant FIRST_INGEST = Instant.parse("2026-11-29T10:00:10Z");
  private static final Duration ACCEPTED_AFTER_NEWEST = Duration.standardSeconds(10);
  private static final int PARTITIONS = 4;

  /**
   * Line n is offset n of partition n % 4, accepted by Kafka as in a live log: 10 seconds after the
   * newest event time of the lines so far (at the earliest 10:00:10Z), plus n milliseconds.
   */
  public static List<RawRecord> records() {
    List<RawRecord> records = new ArrayList<>();
    List<String> lines = lines("events.jsonl");
    Instant newestAccepted = FIRST_INGEST;
    for (int n = 0; n < lines.size(); n++) {
      byte[] value = lines.get(n).getBytes(StandardCharsets.UTF_8);
      Instant eventTime = EventParser.eventTimeOf(value);
      if (eventTime != null && !eventTime.isAfter(NOW) && eventTime.plus(ACCEPTED_AFTER_NEWEST).isAfter(newestAccepted)) {
        newestAccepted = eventTime.plus(ACCEPTED_AFTER_NEWEST);
      }
      records.add(RawRecord.of(value, newestAccepted.plus(n), n % PARTITIONS, n));
    }
    return records;
  }

  /** Every valid record parsed, duplicates included: what the lake holds. */
  public static List<Event> lakeEvents() {
    List<Event> events = new ArrayList<>();
    EventParser parser = EventParser.withContractLimits();
    for (RawRecord record : records()) {
      try {
        events.add(parser.parse(record));
      } catch (InvalidEventException deadLetter) {
        // the lake keeps those under dlq/, not events/
      }
    }
    return events;
  }

  /** An expected-counts CSV as {@code "type,windowStart" -> count}. */
  public static Map<String, Long> expectedCounts(String file) {
    Map<String, Long> counts = new TreeMap<>();
    List<String> lines = lines(file);
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      counts.put(cells[0] + "," + Instant.parse(cells[1]), Long.parseLong(cells[2]));
    }
    return counts;
  }

  /** A CSV's lines without its header. */
  public static List<String> rows(String file) {
    List<String> lines = lines(file);
    return lines.subList(1, lines.size());
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(DIR.resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
