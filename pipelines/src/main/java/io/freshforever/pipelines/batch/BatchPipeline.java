package io.freshforever.pipelines.batch;

import io.freshforever.contract.Event;
import io.freshforever.contract.WindowCount;
import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.warehouse.LoadBigQuery;
import io.freshforever.pipelines.warehouse.LoadDuckDb;
import io.freshforever.pipelines.warehouse.WarehouseTable;
import io.freshforever.pipelines.warehouse.WarehouseTarget;
import io.freshforever.transforms.ExactDedup;
import io.freshforever.transforms.WindowedEventCounts;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The history path: a range of days of the lake, deduplicated exactly, into the warehouse.
 *
 * <pre>
 * ReadLakeEvents ─► ExactDedup ─┬───────────────────────────────► events rows ──────────────┬─► LoadDuckDb | LoadBigQuery
 *                               └─► WindowedEventCounts.exact() ─► event_counts_minute rows ─┘
 *       └─ corrupt files (when skipping) ─► report
 * </pre>
 *
 * Each day is replaced whole, so re-running a day is safe and picks up lake files that arrived
 * since the last run.
 */
public final class BatchPipeline {
  private BatchPipeline() {}

  public static void main(String[] args) {
    Launch.runToEnd(args, BatchPipelineOptions.class, BatchPipeline::build);
  }

  /** The lake days a load with {@code options} reads. */
  public static List<LocalDate> days(BatchPipelineOptions options) {
    return DayRange.of(options.getFrom(), options.getTo());
  }

  /** Wires the history path into {@code pipeline}; tests build the very same graph. */
  public static void build(Pipeline pipeline, BatchPipelineOptions options) {
    build(pipeline, options, null);
  }

  /** As {@link #build(Pipeline, BatchPipelineOptions)}, with BigQuery fakes for tests. */
  public static void build(
      Pipeline pipeline, BatchPipelineOptions options, @Nullable BigQueryServices bigQueryServices) {
    List<LocalDate> days = days(options);
    WarehouseTarget target = WarehouseTarget.parse(options.getWarehouse());

    PCollectionTuple lake =
        pipeline.apply(
            "ReadLakeEvents",
            ReadLakeEvents.forDays(options.getLake(), days)
                .skippingCorruptFiles(options.getSkipCorruptFiles()));
    if (options.getSkipCorruptFiles()) {
      lake.get(ReadLakeEvents.CORRUPT_FILES)
          .apply("ReportCorruptFiles", TextIO.write().to(options.getCorruptFilesReport()).withoutSharding());
    }
    PCollection<Event> distinct = lake.get(ReadLakeEvents.EVENTS).apply("ExactDedup", ExactDedup.create());
    PCollection<WindowCount> counts = distinct.apply("CountPerMinute", WindowedEventCounts.exact());
    PCollectionTuple rows = WarehouseTable.rowsOf(distinct, counts);

    if (target instanceof WarehouseTarget.DuckDb duckDb) {
      String staging = options.getStagingDir() + "/" + UUID.randomUUID();
      rows.apply("LoadDuckDb", LoadDuckDb.into(duckDb, days, staging));
    } else if (target instanceof WarehouseTarget.BigQuery bigQuery) {
      LoadBigQuery load = LoadBigQuery.into(bigQuery);
      rows.apply("LoadBigQuery", bigQueryServices == null ? load : load.withTestServices(bigQueryServices));
    }
  }
}
