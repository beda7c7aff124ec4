package io.freshforever.pipelines.warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The local warehouse: one DuckDB file holding the contract's two tables. Timestamps are DuckDB
 * {@code TIMESTAMP} values in UTC. Loads work like BigQuery's partition loads: a day's rows are
 * replaced from staged Parquet files in one transaction, so a reader sees the old day or the new
 * one, never a mix, and a re-run replaces instead of adding.
 */
public final class DuckDbWarehouse implements AutoCloseable {
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

  /** Opens an existing warehouse read-only, for queries; other readers may share it. */
  public static Connection openForQueries(String path) throws SQLException {
    if (!Files.isRegularFile(Path.of(path))) {
      throw new SQLException(
          "no warehouse at " + path + ": load one first with `fresh batch --from DAY --to DAY`");
    }
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    return DriverManager.getConnection("jdbc:duckdb:" + path, readOnly);
  }

  public Connection connection() {
    return connection;
  }

  /**
   * Replaces one UTC day of both tables with the rows of the given staged Parquet files (a table
   * with no files loses that day's rows: the day is now empty). Returns rows loaded per table.
   */
  public Map<WarehouseTable, Long> replaceDay(LocalDate day, Map<WarehouseTable, List<String>> stagedFiles)
      throws SQLException {
    Map<WarehouseTable, Long> loaded = new EnumMap<>(WarehouseTable.class);
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement sql = connection.createStatement()) {
      for (WarehouseTable table : WarehouseTable.values()) {
        sql.executeUpdate(
            String.format(
                "DELETE FROM %s WHERE %s >= TIMESTAMP '%s' AND %s < TIMESTAMP '%s'",
                table.tableName(), table.partitionColumn(), day, table.partitionColumn(), day.plusDays(1)));
        List<String> files = stagedFiles.getOrDefault(table, List.of());
        loaded.put(table, files.isEmpty() ? 0L : (long) sql.executeUpdate(insertFrom(table, files)));
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    return loaded;
  }

  private void createMissingTables() throws SQLException {
    try (Statement sql = connection.createStatement()) {
      for (WarehouseTable table : WarehouseTable.values()) {
        sql.execute(createTable(table));
      }
    }
  }

  static String createTable(WarehouseTable table) {
    List<String> columns = new ArrayList<>();
    for (WarehouseTable.Column column : table.columns()) {
      columns.add(column.name() + " " + duckDbType(column) + (column.required() ? " NOT NULL" : ""));
    }
    return "CREATE TABLE IF NOT EXISTS " + table.tableName() + " (" + String.join(", ", columns) + ")";
  }

  private static String insertFrom(WarehouseTable table, List<String> files) {
    String names = table.columns().stream().map(WarehouseTable.Column::name).collect(Collectors.joining(", "));
    String values =
        table.columns().stream()
            .map(c -> c.type().equals("TIMESTAMP") ? "epoch_ms(" + c.name() + ")" : c.name())
            .collect(Collectors.joining(", "));
    String list =
        files.stream().map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(", "));
    return "INSERT INTO " + table.tableName() + " (" + names + ") SELECT " + values
        + " FROM read_parquet([" + list + "])";
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
