package io.freshforever.pipelines.warehouse;

import io.freshforever.contract.Event;
import io.freshforever.contract.WindowCount;
import io.freshforever.pipelines.lake.LakeSchemas;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Warehouse rows in their staging form ({@link WarehouseTable#stagingSchema()}). */
public final class WarehouseRows {
  private WarehouseRows() {}

  private static final Schema EVENTS = WarehouseTable.EVENTS.stagingSchema();
  private static final Schema COUNTS = WarehouseTable.EVENT_COUNTS_MINUTE.stagingSchema();

  /** The kept copy of an event: its lake row minus what the warehouse leaves out (the payload). */
  public static GenericRecord eventRow(Event event) {
    GenericRecord lakeRow = LakeSchemas.toRecord(event);
    GenericData.Record row = new GenericData.Record(EVENTS);
    for (Schema.Field field : EVENTS.getFields()) {
      Object value = lakeRow.get(field.name());
      row.put(field.name(), value instanceof Integer ? Long.valueOf((Integer) value) : value);
    }
    return row;
  }

  public static GenericRecord countRow(WindowCount count) {
    GenericData.Record row = new GenericData.Record(COUNTS);
    row.put("event_type", count.eventType());
    row.put("window_start", count.windowStart().getMillis());
    row.put("count", count.count());
    return row;
  }

  /** The UTC day, {@code yyyy-MM-dd}, that holds a staged row of {@code table}. */
  public static String dayOf(WarehouseTable table, GenericRecord row) {
    long millis = (Long) row.get(table.partitionColumn());
    return java.time.Instant.ofEpochMilli(millis).atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString();
  }
}
