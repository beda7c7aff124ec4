package io.freshforever.pipelines.batch;

import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.warehouse.LoadBigQuery;
import io.freshforever.pipelines.warehouse.LoadDuckDb;
import io.freshforever.pipelines.warehouse.WarehouseRowsByTable;
import io.freshforever.pipelines.warehouse.WarehouseTarget;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The history path: a range of days of the lake, deduplicated exactly, into the warehouse.
 *
 * <pre>
 * ReadLakeEvents ─► WarehouseRowsByTable (ExactDedup, WindowedEventCounts.exact()) ─► LoadDuckDb | LoadBigQuery
 *       └─ corrupt files (when skipping) ─► report
 * </pre>
 *
 * Each day is replaced whole, so re-running a day is safe and picks up lake files that arrived
 * since the last run.
 */
public final class BatchPipeline {
  private BatchPipeline() {}

  public static void main(String[] args) {
    BatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(BatchPipelineOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, options);
    pipeline.run().waitUntilFinish();
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
    PCollectionTuple rows =
        lake.get(ReadLakeEvents.EVENTS).apply("ToWarehouseRows", WarehouseRowsByTable.create());

    if (target instanceof WarehouseTarget.DuckDb) {
      String staging = options.getStagingDir() + "/" + UUID.randomUUID();
      rows.apply("LoadDuckDb", LoadDuckDb.into((WarehouseTarget.DuckDb) target, days, staging));
    } else {
      LoadBigQuery load = LoadBigQuery.into((WarehouseTarget.BigQuery) target);
      rows.apply("LoadBigQuery", bigQueryServices == null ? load : load.withTestServices(bigQueryServices));
    }
  }
}
