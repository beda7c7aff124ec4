package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.warehouse.DuckDbWarehouse;
import io.freshforever.pipelines.warehouse.WarehouseTarget;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Runs SQL against the local DuckDB warehouse (read-only) and prints the result as a table.",
      "Tables: events, event_counts_minute (docs/CONTRACT.md); timestamps are UTC.",
      "Example: fresh sql \"select event_type, count(*) from events group by 1 order by 2 desc\""
    })
final class SqlCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SQL", description = "One SQL statement.")
  String sql;

  @Option(names = "--warehouse", description = "The warehouse, duckdb:PATH (default: ${DEFAULT-VALUE}).")
  String warehouse = EventContract.LOCAL_WAREHOUSE_TARGET;

  @Option(names = "--maxRows", description = "Rows printed at most (default: ${DEFAULT-VALUE}).")
  int maxRows = 1000;

  @Override
  public Integer call() {
    String duckDb;
    try {
      duckDb = WarehouseTarget.duckDbPath(warehouse);
    } catch (IllegalArgumentException e) {
      System.err.println("fresh sql: " + e.getMessage());
      return 2;
    }
    try (Connection connection = DuckDbWarehouse.openForQueries(duckDb);
        Statement statement = connection.createStatement()) {
      if (!statement.execute(sql)) {
        System.out.println("(no result set)");
        return 0;
      }
      try (ResultSet rows = statement.getResultSet()) {
        print(rows, maxRows, System.out);
      }
      return 0;
    } catch (SQLException e) {
      System.err.println("fresh sql: " + e.getMessage());
      return 1;
    }
  }

  /** A plain text table: numbers right-aligned, NULL spelled out, the row count at the end. */
  static void print(ResultSet rows, int maxRows, PrintStream out) throws SQLException {
    ResultSetMetaData meta = rows.getMetaData();
    int columns = meta.getColumnCount();
    List<String[]> cells = new ArrayList<>();
    boolean[] numeric = new boolean[columns];
    int[] width = new int[columns];
    String[] header = new String[columns];
    for (int c = 0; c < columns; c++) {
      header[c] = meta.getColumnLabel(c + 1);
      width[c] = header[c].length();
    }
    long total = 0;
    while (rows.next()) {
      total++;
      if (cells.size() == maxRows) {
        continue;
      }
      String[] row = new String[columns];
      for (int c = 0; c < columns; c++) {
        Object value = rows.getObject(c + 1);
        numeric[c] |= value instanceof Number;
        // getString, not toString: DuckDB renders timestamps itself, independent of the JVM zone.
        row[c] = value == null ? "NULL" : rows.getString(c + 1);
        width[c] = Math.max(width[c], row[c].length());
      }
      cells.add(row);
    }
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      rule.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
    }
    out.println(line(header, width, new boolean[columns]));
    out.println(rule);
    for (String[] row : cells) {
      out.println(line(row, width, numeric));
    }
    out.println(
        "(" + total + (total == 1 ? " row" : " rows")
            + (total > cells.size() ? ", first " + cells.size() + " shown" : "") + ")");
  }

  private static String line(String[] cells, int[] width, boolean[] rightAligned) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      String format = "%" + (rightAligned[c] ? "" : "-") + width[c] + "s";
      line.append(c == 0 ? "" : " | ").append(String.format(format, cells[c]));
    }
    return line.toString().stripTrailing();
  }
}
