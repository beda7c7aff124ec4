package io.freshforever.pipelines.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import io.freshforever.contract.EventContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The warehouse's two tables (docs/CONTRACT.md, section 5), read from the contract's BigQuery JSON
 * schema files: the one definition the BigQuery load, the DuckDB tables and the infrastructure all
 * derive from.
 */
public enum WarehouseTable {
  EVENTS("events", "warehouse_events.json", "event_time"),
  EVENT_COUNTS_MINUTE("event_counts_minute", "warehouse_event_counts_minute.json", "window_start");

  /** Both tables are clustered by type: most questions are about one type. */
  public static final String CLUSTERING_COLUMN = "event_type";

  /** One column: its name, BigQuery type (STRING, INTEGER or TIMESTAMP) and whether it is required. */
  public record Column(String name, String type, boolean required) {}

  private final String tableName;
  private final String partitionColumn;
  private final List<Column> columns;

  WarehouseTable(String tableName, String schemaFile, String partitionColumn) {
    this.tableName = tableName;
    this.partitionColumn = partitionColumn;
    this.columns = load(schemaFile);
  }

  public String tableName() {
    return tableName;
  }

  /** The TIMESTAMP column whose UTC day is the table's partition. */
  public String partitionColumn() {
    return partitionColumn;
  }

  public List<Column> columns() {
    return columns;
  }

  public TableSchema bigQuerySchema() {
    List<TableFieldSchema> fields = new ArrayList<>();
    for (Column column : columns) {
      fields.add(
          new TableFieldSchema()
              .setName(column.name())
              .setType(column.type())
              .setMode(column.required() ? "REQUIRED" : "NULLABLE"));
    }
    return new TableSchema().setFields(fields);
  }

  private static List<Column> load(String file) {
    try (InputStream in = WarehouseTable.class.getResourceAsStream(EventContract.SCHEMA_FILES + file)) {
      if (in == null) {
        throw new IllegalStateException("schema file missing from the classpath: " + file);
      }
      List<Column> columns = new ArrayList<>();
      for (JsonNode field : new ObjectMapper().readTree(in)) {
        String type = field.get("type").asText();
        if (!List.of("STRING", "INTEGER", "TIMESTAMP").contains(type)) {
          throw new IllegalStateException(file + ": unsupported column type " + type);
        }
        columns.add(
            new Column(field.get("name").asText(), type, "REQUIRED".equals(field.get("mode").asText())));
      }
      return List.copyOf(columns);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
