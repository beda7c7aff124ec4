package io.freshforever.pipelines.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.WindowCount;
import io.freshforever.lake.LakeSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The warehouse's two tables (docs/CONTRACT.md, section 5), read from the contract's BigQuery JSON
 * schema files: the one definition the BigQuery load, the DuckDB tables and the infrastructure all
 * derive from; and their rows, as Avro records ({@link #stagingSchema()}).
 */
public enum WarehouseTable {
  EVENTS("events", "warehouse_events.json", "event_time"),
  EVENT_COUNTS_MINUTE("event_counts_minute", "warehouse_event_counts_minute.json", "window_start");

  /** Both tables are clustered by type: most questions are about one type. */
  public static final String CLUSTERING_COLUMN = "event_type";

  private static final Schema EVENT_ROWS = EVENTS.stagingSchema();
  private static final Schema COUNT_ROWS = EVENT_COUNTS_MINUTE.stagingSchema();

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

  /**
   * The Avro schema of staged rows: strings as strings, INTEGER as long, TIMESTAMP as epoch
   * milliseconds in a plain long (no logical type, so every reader sees the same number).
   */
  public Schema stagingSchema() {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record(tableName).namespace("io.freshforever.warehouse").fields();
    for (Column column : columns) {
      Schema type = Schema.create(column.type().equals("STRING") ? Schema.Type.STRING : Schema.Type.LONG);
      if (column.required()) {
        fields = fields.name(column.name()).type(type).noDefault();
      } else {
        fields = fields.name(column.name()).type(Schema.createUnion(Schema.create(Schema.Type.NULL), type)).withDefault(null);
      }
    }
    return fields.endRecord();
  }

  /** One {@code events} row per distinct event (the copy the exact dedup kept). */
  public static PCollection<GenericRecord> eventRows(PCollection<Event> distinct) {
    return distinct
        .apply("ToEventRows", MapElements.into(TypeDescriptor.of(GenericRecord.class)).via(WarehouseTable::eventRow))
        .setCoder(AvroCoder.of(EVENT_ROWS));
  }

  /** One {@code event_counts_minute} row per type and minute with at least one event, in the global window. */
  public static PCollection<GenericRecord> countRows(PCollection<WindowCount> counts) {
    return counts
        .apply("ToCountRows", MapElements.into(TypeDescriptor.of(GenericRecord.class)).via(WarehouseTable::countRow))
        .setCoder(AvroCoder.of(COUNT_ROWS))
        .apply("GlobalWindow", Window.into(new GlobalWindows()));
  }

  /** The tag of this table's rows in {@link LoadBigQuery}'s input. */
  public TupleTag<GenericRecord> rows() {
    return new TupleTag<>(tableName);
  }

  /** The kept copy of an event: its lake row minus what the warehouse leaves out (the payload). */
  static GenericRecord eventRow(Event event) {
    GenericRecord lakeRow = LakeSchemas.toRecord(event);
    GenericData.Record row = new GenericData.Record(EVENT_ROWS);
    for (Schema.Field field : EVENT_ROWS.getFields()) {
      Object value = lakeRow.get(field.name());
      row.put(field.name(), value instanceof Integer ? Long.valueOf((Integer) value) : value);
    }
    return row;
  }

  static GenericRecord countRow(WindowCount count) {
    GenericData.Record row = new GenericData.Record(COUNT_ROWS);
    row.put("event_type", count.eventType());
    row.put("window_start", count.windowStart().getMillis());
    row.put("count", count.count());
    return row;
  }

  /** The UTC day, {@code yyyy-MM-dd}, that holds a staged row of this table. */
  public String dayOf(GenericRecord row) {
    long millis = (Long) row.get(partitionColumn);
    return java.time.Instant.ofEpochMilli(millis).atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString();
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
