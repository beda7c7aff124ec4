package io.freshforever.pipelines.warehouse;

import java.io.Serializable;

/**
 * Where the batch pipeline loads: {@code duckdb:PATH} (the embedded local warehouse, one file) or
 * {@code bigquery:PROJECT:DATASET}.
 */
public abstract class WarehouseTarget implements Serializable {
  private WarehouseTarget() {}

  public static WarehouseTarget parse(String spec) {
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

  /** The embedded DuckDB warehouse: a single database file. */
  public static final class DuckDb extends WarehouseTarget {
    private final String path;

    DuckDb(String path) {
      this.path = path;
    }

    public String path() {
      return path;
    }

    @Override
    public String toString() {
      return "duckdb:" + path;
    }
  }

  /** A BigQuery dataset; its tables are created on first load. */
  public static final class BigQuery extends WarehouseTarget {
    private final String project;
    private final String dataset;

    BigQuery(String project, String dataset) {
      this.project = project;
      this.dataset = dataset;
    }

    public String project() {
      return project;
    }

    public String dataset() {
      return dataset;
    }

    @Override
    public String toString() {
      return "bigquery:" + project + ":" + dataset;
    }
  }
}
