package io.freshforever.pipelines.warehouse;

import io.freshforever.contract.Event;
import io.freshforever.contract.WindowCount;
import io.freshforever.pipelines.warehouse.WarehouseRows;
import io.freshforever.pipelines.warehouse.WarehouseTable;
import io.freshforever.transforms.ExactDedup;
import io.freshforever.transforms.WindowedEventCounts;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Lake events (duplicates included) to the rows of both warehouse tables: one {@code events} row
 * per distinct id (the copy {@link ExactDedup} keeps) and one {@code event_counts_minute} row per
 * type and minute with at least one event. Rows come out in the global window, ready to load.
 */
public final class WarehouseRowsByTable extends PTransform<PCollection<Event>, PCollectionTuple> {
  public static TupleTag<GenericRecord> rowsOf(WarehouseTable table) {
    return new TupleTag<>(table.tableName());
  }

  public static WarehouseRowsByTable create() {
    return new WarehouseRowsByTable();
  }

  @Override
  public PCollectionTuple expand(PCollection<Event> lakeEvents) {
    PCollection<Event> distinct = lakeEvents.apply("ExactDedup", ExactDedup.create());
    PCollection<GenericRecord> events =
        distinct
            .apply(
                "ToEventRows",
                MapElements.into(TypeDescriptor.of(GenericRecord.class)).via(WarehouseRows::eventRow))
            .setCoder(AvroCoder.of(WarehouseTable.EVENTS.stagingSchema()));
    PCollection<GenericRecord> counts =
        distinct
            .apply("CountPerMinute", WindowedEventCounts.exact())
            .apply(
                "ToCountRows",
                MapElements.into(TypeDescriptor.of(GenericRecord.class))
                    .via((WindowCount count) -> WarehouseRows.countRow(count)))
            .setCoder(AvroCoder.of(WarehouseTable.EVENT_COUNTS_MINUTE.stagingSchema()))
            .apply("GlobalWindow", Window.into(new GlobalWindows()));
    return PCollectionTuple.of(rowsOf(WarehouseTable.EVENTS), events)
        .and(rowsOf(WarehouseTable.EVENT_COUNTS_MINUTE), counts);
  }
}
