package io.freshforever.pipelines.warehouse;

import java.io.Serializable;

/**
 * Where the batch pipeline loads: {@code duckdb:PATH} (the embedded local warehouse, one file) or
 * {@code bigquery:PROJECT:DATASET}. Sealed: a load, a reconcile and the CLI each handle both.
 */
public sealed interface WarehouseTarget extends Serializable {
  static WarehouseTarget parse(String spec) {
    if (spec.startsWith("duckdb:") && spec.length() > "duckdb:".length()) {
      return new DuckDb(spec.substring("duckdb:".length()));
    }
    String[] parts = spec.split(":", -1);
    if (parts.length == 3 && parts[0].equals("bigquery") && !parts[1].isEmpty() && !parts[2].isEmpty()) {
      return new BigQuery(parts[1], parts[2]);
    }
    throw new IllegalArgumentException(
        "--warehouse must be duckdb:PATH or bigquery:PROJECT:DATASET, was '" + spec + "'");
  }

  /**
   * The DuckDB file of a {@code --warehouse} value, for the commands that read only DuckDB.
   *
   * @throws IllegalArgumentException for another kind of warehouse or a malformed value
   */
  static String duckDbPath(String warehouse) {
    if (parse(warehouse) instanceof DuckDb duckDb) {
      return duckDb.path();
    }
    throw new IllegalArgumentException(
        "--warehouse: this command reads DuckDB only (duckdb:PATH); query BigQuery in its console or with bq");
  }

  /** The embedded DuckDB warehouse: a single database file. */
  record DuckDb(String path) implements WarehouseTarget {
    @Override
    public String toString() {
      return "duckdb:" + path;
    }
  }

  /** A BigQuery dataset; its tables are created on first load. */
  record BigQuery(String project, String dataset) implements WarehouseTarget {
    @Override
    public String toString() {
      return "bigquery:" + project + ":" + dataset;
    }
  }
}
