package io.freshforever.pipelines.warehouse;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The SQL both warehouses load with (DuckDB's and BigQuery's dialects agree on all of it): one row
 * per {@code event_id}, the copy the log accepted first, merged into what the warehouse holds.
 */
final class WarehouseSql {
  private WarehouseSql() {}

  /**
   * The warehouse's columns of {@code source}'s rows, one row per {@code event_id}: the first
   * accepted copy. ({@code WHERE TRUE}: BigQuery takes {@code QUALIFY} only after a filter.)
   */
  static String firstCopies(String source) {
    String columns =
        WarehouseTable.EVENTS.columns().stream()
            .map(c -> c.type().equals("TIMESTAMP") ? "CAST(" + c.name() + " AS TIMESTAMP) AS " + c.name() : c.name())
            .collect(Collectors.joining(", "));
    return "SELECT " + columns + " FROM " + source + " WHERE TRUE"
        + " QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY ingest_time, kafka_partition, kafka_offset) = 1";
  }

  /**
   * Merges table {@code incoming} (first copies, see {@link #firstCopies}) into {@code events}: an
   * incoming row loses to a row held that the log accepted first and displaces one it accepted
   * later. Leaves table {@code contested}: each id both had, the held row's day ({@code held_day})
   * and whether it stayed ({@code held_wins}); the days of the rows displaced need recounting.
   * Every statement on {@code events} filters on {@code event_time} ({@code IS NOT NULL}, which
   * every row is): BigQuery's tables require a filter on their partition column.
   */
  static List<String> mergeIncomingIntoEvents(String createTempTable) {
    return List.of(
        createTempTable + " contested AS SELECT i.event_id, CAST(o.event_time AS DATE) AS held_day, "
            + firstAccepted("o", "i") + " AS held_wins FROM incoming i JOIN events o ON o.event_id = i.event_id"
            + " WHERE o.event_time IS NOT NULL",
        "DELETE FROM incoming WHERE event_id IN (SELECT event_id FROM contested WHERE held_wins)",
        "DELETE FROM events WHERE event_time IS NOT NULL AND event_id IN (SELECT event_id FROM contested WHERE NOT held_wins)",
        "INSERT INTO events SELECT * FROM incoming");
  }

  /**
   * True when row {@code a} holds the copy the log accepted before {@code b}'s: the contract's
   * order, earliest ingest time, then lowest partition, then lowest offset.
   */
  static String firstAccepted(String a, String b) {
    return String.format(
        "(%1$s.ingest_time < %2$s.ingest_time OR (%1$s.ingest_time = %2$s.ingest_time AND"
            + " (%1$s.kafka_partition < %2$s.kafka_partition OR (%1$s.kafka_partition = %2$s.kafka_partition"
            + " AND %1$s.kafka_offset < %2$s.kafka_offset))))",
        a, b);
  }

  static String dates(Collection<LocalDate> days) {
    return days.stream().map(d -> "DATE '" + d + "'").collect(Collectors.joining(", "));
  }

  /**
   * {@code column} within the UTC days, as half-open ranges of consecutive days: ranges let DuckDB
   * skip blocks by their minimum and maximum and BigQuery prune partitions, where a cast to a date
   * would read every row.
   */
  static String within(String column, Collection<LocalDate> days) {
    List<String> ranges = new ArrayList<>();
    LocalDate start = null;
    LocalDate end = null;
    for (LocalDate day : new TreeSet<>(days)) {
      if (start != null && !day.equals(end)) {
        ranges.add(range(column, start, end));
        start = null;
      }
      if (start == null) {
        start = day;
      }
      end = day.plusDays(1);
    }
    if (start != null) {
      ranges.add(range(column, start, end));
    }
    return ranges.isEmpty() ? "false" : "(" + String.join(" OR ", ranges) + ")";
  }

  private static String range(String column, LocalDate start, LocalDate end) {
    return "(" + column + " >= TIMESTAMP '" + start + "' AND " + column + " < TIMESTAMP '" + end + "')";
  }
}
