package io.freshforever.pipelines.warehouse;

import static io.freshforever.pipelines.warehouse.WarehouseSql.dates;
import static io.freshforever.pipelines.warehouse.WarehouseSql.firstCopies;
import static io.freshforever.pipelines.warehouse.WarehouseSql.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The local warehouse: one DuckDB file holding the contract's two tables and the ledger of the lake
 * files each day was loaded from. Timestamps are DuckDB {@code TIMESTAMP} values in UTC. A load
 * ({@link #loadDays}) reads lake files and changes both tables and the ledger in one transaction,
 * so a reader sees the warehouse before or after, never a mix, and a re-run changes nothing.
 */
public final class DuckDbWarehouse implements AutoCloseable {

  /** The ledger's table: which lake files each event day was loaded from. */
  public static final String LEDGER = "lake_files_loaded";
  /** The ledger's file for days loaded before the ledger existed; see {@link #ledger}. */
  public static final String BEFORE_THE_LEDGER = "(loaded before the ledger existed)";

  private final Connection connection;

  private DuckDbWarehouse(Connection connection) {
    this.connection = connection;
  }

  /** Opens (creating if needed) the warehouse for loading; creates missing tables. */
  public static DuckDbWarehouse openForLoading(String path) throws SQLException, IOException {
    Path parent = Path.of(path).toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    DuckDbWarehouse warehouse = new DuckDbWarehouse(DriverManager.getConnection("jdbc:duckdb:" + path));
    warehouse.createMissingTables();
    return warehouse;
  }

  /** The loader of the warehouse at {@code path}, for {@link LoadWarehouse}. */
  public static WarehouseLoader loader(String path) {
    return new Loader(path);
  }

  private record Loader(String path) implements WarehouseLoader {
    @Override
    public Loaded load(LoadPlan.Readable load, PipelineOptions options) throws SQLException, IOException {
      try (DuckDbWarehouse warehouse = openForLoading(path)) {
        return warehouse.loadDays(load);
      }
    }

    @Override
    public String toString() {
      return "duckdb:" + path;
    }
  }

  /** Opens an existing warehouse read-only, for queries; other readers may share it. */
  public static Connection openForQueries(String path) throws SQLException {
    if (!Files.isRegularFile(Path.of(path))) {
      throw new SQLException(
          "no warehouse at " + path + ": load one first with `fresh batch`");
    }
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    return DriverManager.getConnection("jdbc:duckdb:" + path, readOnly);
  }

  public Connection connection() {
    return connection;
  }

  /**
   * Loads the rows of the readable lake files of a plan's days into
   * both tables, in one transaction that also records each day's files in the ledger: a reader sees
   * the warehouse before or after, never a mix, and a crash leaves the ledger as it was, so the
   * next load reads the files again. The rows of the replaced days (of every day, loading the
   * whole warehouse) are deleted first; the
   * other days' rows stay and the new rows merge into them.
   *
   * <p>One row per {@code event_id}, the copy the log accepted first: among the files' rows, and
   * against every row already in the warehouse, where a new row loses to a row the log accepted
   * first and displaces one it accepted later (whose day is then recounted). Minute counts of every
   * day touched are counted from {@code events} in the same transaction.
   */
  public WarehouseLoader.Loaded loadDays(LoadPlan.Readable load) throws SQLException {
    Map<LocalDate, List<String>> ledgerFilesPerDay = load.ledgerFiles();
    if (ledgerFilesPerDay.isEmpty()) {
      return new WarehouseLoader.Loaded(0, 0, List.of());
    }
    List<String> lakeFiles = load.paths();
    String days = dates(ledgerFilesPerDay.keySet());
    Set<LocalDate> loadedDays = ledgerFilesPerDay.keySet();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement sql = connection.createStatement()) {
      // The lake's timestamps are instants; the warehouse's TIMESTAMP columns hold them in UTC.
      sql.execute("SET TimeZone = 'UTC'");
      if (load.wholeWarehouse()) {
        sql.executeUpdate("DELETE FROM events");
        sql.executeUpdate("DELETE FROM event_counts_minute");
      } else if (!load.replaced().isEmpty()) {
        sql.executeUpdate("DELETE FROM events WHERE " + within("event_time", load.replaced()));
      }
      long events;
      List<LocalDate> displaced;
      if (lakeFiles.isEmpty()) {
        events = 0;
        displaced = List.of();
      } else if (isEmpty(sql, "events")) {
        // Nothing to contest (a first load, or every day replaced): the first copies go straight in.
        refuseRowsOutsideTheirFolder(sql, lakeFiles);
        events = sql.executeUpdate("INSERT INTO events " + firstCopies(readParquet(lakeFiles, false)));
        displaced = List.of();
      } else {
        refuseRowsOutsideTheirFolder(sql, lakeFiles);
        sql.execute("CREATE TEMP TABLE incoming AS " + firstCopies(readParquet(lakeFiles, false)));
        events = 0;
        for (String statement : WarehouseSql.mergeIncomingIntoEvents("CREATE TEMP TABLE")) {
          // The last statement inserts the incoming rows that won.
          events = sql.executeUpdate(statement);
        }
        displaced = new ArrayList<>();
        try (ResultSet rows =
            sql.executeQuery(
                "SELECT DISTINCT held_day FROM contested WHERE NOT held_wins AND held_day NOT IN (" + days
                    + ") ORDER BY held_day")) {
          while (rows.next()) {
            displaced.add(rows.getObject(1, LocalDate.class));
          }
        }
        sql.execute("DROP TABLE incoming");
        sql.execute("DROP TABLE contested");
      }
      Set<LocalDate> recounted = new TreeSet<>(loadedDays);
      recounted.addAll(displaced);
      sql.executeUpdate("DELETE FROM event_counts_minute WHERE " + within("window_start", recounted));
      long counts =
          sql.executeUpdate(
              "INSERT INTO event_counts_minute (event_type, window_start, count) SELECT event_type,"
                  + " date_trunc('minute', event_time), count(*) FROM events WHERE " + within("event_time", recounted)
                  + " GROUP BY ALL");
      if (load.wholeWarehouse()) {
        sql.executeUpdate("DELETE FROM " + LEDGER);
      }
      recordInLedger(ledgerFilesPerDay, days);
      connection.commit();
      return new WarehouseLoader.Loaded(events, counts, List.copyOf(displaced));
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * The ledger: for each event day loaded, the lake files it was loaded from. Empty for a warehouse
   * not yet created. A warehouse loaded before the ledger existed lists each day it has rows of
   * with the one file {@link #BEFORE_THE_LEDGER}, which no lake holds: to a plan, a file gone, so
   * its first load replaces every day.
   */
  public static SortedMap<LocalDate, Set<String>> ledger(String path) throws SQLException {
    SortedMap<LocalDate, Set<String>> ledger = new TreeMap<>();
    if (!Files.isRegularFile(Path.of(path))) {
      return ledger;
    }
    try (Connection connection = openForQueries(path);
        Statement sql = connection.createStatement()) {
      if (hasTable(sql, LEDGER)) {
        try (ResultSet rows = sql.executeQuery("SELECT event_day, lake_file FROM " + LEDGER)) {
          while (rows.next()) {
            ledger.computeIfAbsent(rows.getObject(1, LocalDate.class), d -> new TreeSet<>()).add(rows.getString(2));
          }
        }
      }
      if (ledger.isEmpty() && hasTable(sql, WarehouseTable.EVENTS.tableName())) {
        try (ResultSet days = sql.executeQuery("SELECT DISTINCT CAST(event_time AS DATE) FROM events")) {
          while (days.next()) {
            ledger.put(days.getObject(1, LocalDate.class), Set.of(BEFORE_THE_LEDGER));
          }
        }
      }
    }
    return ledger;
  }

  private static boolean hasTable(Statement sql, String table) throws SQLException {
    try (ResultSet tables =
        sql.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'")) {
      tables.next();
      return tables.getLong(1) > 0;
    }
  }

  private static boolean isEmpty(Statement sql, String table) throws SQLException {
    try (ResultSet any = sql.executeQuery("SELECT count(*) FROM (SELECT 1 FROM " + table + " LIMIT 1)")) {
      any.next();
      return any.getLong(1) == 0;
    }
  }

  private void recordInLedger(Map<LocalDate, List<String>> lakeFilesPerDay, String days) throws SQLException {
    try (Statement sql = connection.createStatement()) {
      sql.executeUpdate("DELETE FROM " + LEDGER + " WHERE event_day IN (" + days + ")");
    }
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO " + LEDGER + " VALUES (?, ?, now())")) {
      for (Map.Entry<LocalDate, List<String>> day : lakeFilesPerDay.entrySet()) {
        for (String file : day.getValue()) {
          insert.setObject(1, day.getKey());
          insert.setString(2, file);
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
  }

  private void createMissingTables() throws SQLException {
    try (Statement sql = connection.createStatement()) {
      for (WarehouseTable table : WarehouseTable.values()) {
        sql.execute(createTable(table));
      }
      sql.execute(
          "CREATE TABLE IF NOT EXISTS " + LEDGER
              + " (event_day DATE NOT NULL, lake_file VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL)");
    }
  }

  static String createTable(WarehouseTable table) {
    List<String> columns = new ArrayList<>();
    for (WarehouseTable.Column column : table.columns()) {
      columns.add(column.name() + " " + duckDbType(column) + (column.required() ? " NOT NULL" : ""));
    }
    return "CREATE TABLE IF NOT EXISTS " + table.tableName() + " (" + String.join(", ", columns) + ")";
  }

  /** The lake's layout puts each row in the folder of its day: a row elsewhere is refused, named. */
  private static void refuseRowsOutsideTheirFolder(Statement sql, List<String> lakeFiles) throws SQLException {
    try (ResultSet misplaced =
        sql.executeQuery(
            "SELECT filename, CAST(CAST(event_time AS TIMESTAMP) AS DATE) AS day FROM " + readParquet(lakeFiles, true)
                + " WHERE day <> CAST(regexp_extract(filename, '/dt=(\\d{4}-\\d{2}-\\d{2})/', 1) AS DATE) LIMIT 1")) {
      if (misplaced.next()) {
        throw new SQLException(
            "lake file " + misplaced.getString(1) + " holds a row of " + misplaced.getObject(2)
                + ", not of its folder's day: the lake's layout is broken; fix the file's partition, then re-run");
      }
    }
  }

  private static String readParquet(List<String> files, boolean withFileName) {
    String list = files.stream().map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(", "));
    return "read_parquet([" + list + "]" + (withFileName ? ", filename = true" : "") + ")";
  }

  private static String duckDbType(WarehouseTable.Column column) {
    switch (column.type()) {
      case "STRING":
        return "VARCHAR";
      case "INTEGER":
        return "BIGINT";
      case "TIMESTAMP":
        return "TIMESTAMP";
      default:
        throw new IllegalStateException("no DuckDB type for " + column);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
