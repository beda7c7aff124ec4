package io.freshforever.pipelines.batch;

import io.freshforever.pipelines.warehouse.DuckDbWarehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A DuckDB query's rows as comma-joined text, for exact comparisons. */
final class WarehouseDump {
  private WarehouseDump() {}

  static List<String> query(String path, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = DuckDbWarehouse.openForQueries(path);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> cells = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
          Object value = result.getObject(c);
          cells.add(value == null ? "" : value.toString());
        }
        rows.add(String.join(",", cells));
      }
    }
    return rows;
  }
}
