package io.freshforever.runners.reconcile;

import io.freshforever.pipelines.warehouse.DuckDbWarehouse;
import io.freshforever.pipelines.warehouse.WarehouseTarget;
import io.freshforever.runners.reconcile.Reconciliation.Key;
import io.freshforever.runners.reconcile.Reconciliation.WarehouseWindow;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Per event type and minute of a range: the warehouse's count and its events that came after grace,
 * from DuckDB here or BigQuery ({@link BigQueryWindows}).
 */
public final class WarehouseWindows {
  private WarehouseWindows() {}

  /**
   * The count is {@code event_counts_minute}'s (what analysts see); the late ones come from the
   * {@code ingest_time} of the kept copy in {@code events} (the earliest copy: a later retry could
   * not have made the live view count it).
   */
  private static final String QUERY =
      "SELECT c.event_type, epoch_ms(c.window_start), c.count,"
          + " (SELECT count(*) FROM events e WHERE e.event_type = c.event_type"
          + "    AND e.event_time >= c.window_start AND e.event_time < c.window_start + INTERVAL 1 MINUTE"
          + "    AND e.ingest_time > c.window_start + INTERVAL 1 MINUTE + to_milliseconds(?))"
          + " FROM event_counts_minute c"
          + " WHERE c.window_start >= make_timestamp(? * 1000) AND c.window_start < make_timestamp(? * 1000)";

  /** From either warehouse: the same rows, so the same classification. */
  public static Map<Key, WarehouseWindow> read(WarehouseTarget warehouse, Instant from, Instant to, Duration allowedLateness)
      throws SQLException, IOException {
    if (warehouse instanceof WarehouseTarget.BigQuery bigQuery) {
      return BigQueryWindows.read(bigQuery, from, to, allowedLateness);
    }
    return read(((WarehouseTarget.DuckDb) warehouse).path(), from, to, allowedLateness);
  }

  private static Map<Key, WarehouseWindow> read(String path, Instant from, Instant to, Duration allowedLateness)
      throws SQLException {
    Map<Key, WarehouseWindow> windows = new TreeMap<>();
    try (Connection connection = DuckDbWarehouse.openForQueries(path);
        PreparedStatement query = connection.prepareStatement(QUERY)) {
      query.setLong(1, allowedLateness.getMillis());
      query.setLong(2, from.getMillis());
      query.setLong(3, to.getMillis());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          windows.put(
              new Key(rows.getString(1), new Instant(rows.getLong(2))),
              new WarehouseWindow(rows.getLong(3), rows.getLong(4)));
        }
      }
    }
    return windows;
  }
}
