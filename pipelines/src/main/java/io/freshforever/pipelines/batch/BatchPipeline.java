package io.freshforever.pipelines.batch;

import io.freshforever.contract.Event;
import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.warehouse.DuckDbWarehouse;
import io.freshforever.pipelines.warehouse.LoadBigQuery;
import io.freshforever.pipelines.warehouse.LoadDuckDb;
import io.freshforever.pipelines.warehouse.LoadPlan;
import io.freshforever.pipelines.warehouse.WarehouseTable;
import io.freshforever.pipelines.warehouse.WarehouseTarget;
import io.freshforever.transforms.ExactDedup;
import io.freshforever.transforms.WindowedEventCounts;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The history path: the lake days whose files changed since their last load (or a forced range),
 * deduplicated exactly, into the warehouse.
 *
 * <pre>
 * LoadPlan (lake listing vs the warehouse's ledger)
 * ReadLakeEvents (the plan's files) ─► ExactDedup ─► events rows ─► LoadDuckDb (one transaction:
 *       │                                                          both tables, one row per id
 *       │                                                          across days, the ledger)
 *       │                             └─► WindowedEventCounts.exact() ─► LoadBigQuery (with events rows)
 *       └─ corrupt files (when skipping) ─► report
 * </pre>
 *
 * Each day is replaced whole, so re-running is safe; a day loads again by itself when late files
 * arrive in it, however late.
 */
public final class BatchPipeline {
  private BatchPipeline() {}

  public static void main(String[] args) {
    Launch.runToEnd(args, BatchPipelineOptions.class, BatchPipeline::build);
  }

  /**
   * The days a load with {@code options} replaces and their lake files: {@code --from}/{@code --to}
   * when given, else every day whose files differ from the warehouse's ledger.
   */
  public static LoadPlan plan(BatchPipelineOptions options) {
    boolean ranged = options.getFrom() != null || options.getTo() != null;
    WarehouseTarget target = WarehouseTarget.parse(options.getWarehouse());
    if (!(target instanceof WarehouseTarget.DuckDb duckDb)) {
      if (!ranged) {
        throw new IllegalArgumentException(
            "a BigQuery load needs --from and --to: the ledger of loaded lake files is the DuckDB"
                + " warehouse's only, so far");
      }
      return LoadPlan.forDays(options.getLake(), DayRange.of(options.getFrom(), options.getTo()), Map.of());
    }
    Map<LocalDate, Set<String>> ledger;
    try {
      ledger = DuckDbWarehouse.ledger(duckDb.path());
    } catch (SQLException e) {
      throw new IllegalArgumentException("cannot read the ledger of " + duckDb.path() + ": " + e.getMessage(), e);
    }
    return ranged
        ? LoadPlan.forDays(options.getLake(), DayRange.of(options.getFrom(), options.getTo()), ledger)
        : LoadPlan.changedSince(options.getLake(), ledger);
  }

  /** Wires the history path into {@code pipeline}; tests build the very same graph. */
  public static void build(Pipeline pipeline, BatchPipelineOptions options) {
    build(pipeline, options, plan(options), null);
  }

  /** As {@link #build(Pipeline, BatchPipelineOptions)}, with a plan made before and BigQuery fakes for tests. */
  public static void build(
      Pipeline pipeline, BatchPipelineOptions options, LoadPlan plan, @Nullable BigQueryServices bigQueryServices) {
    WarehouseTarget target = WarehouseTarget.parse(options.getWarehouse());

    PCollectionTuple lake =
        pipeline.apply(
            "ReadLakeEvents",
            ReadLakeEvents.ofFiles(plan.paths()).skippingCorruptFiles(options.getSkipCorruptFiles()));
    if (options.getSkipCorruptFiles()) {
      lake.get(ReadLakeEvents.CORRUPT_FILES)
          .apply("ReportCorruptFiles", TextIO.write().to(options.getCorruptFilesReport()).withoutSharding());
    }
    PCollection<Event> distinct = lake.get(ReadLakeEvents.EVENTS).apply("ExactDedup", ExactDedup.create());
    PCollection<GenericRecord> events = WarehouseTable.eventRows(distinct);

    if (target instanceof WarehouseTarget.DuckDb duckDb) {
      String staging = options.getStagingDir() + "/" + UUID.randomUUID();
      events.apply("LoadDuckDb", LoadDuckDb.into(duckDb, plan, staging));
    } else if (target instanceof WarehouseTarget.BigQuery bigQuery) {
      PCollection<GenericRecord> counts =
          WarehouseTable.countRows(distinct.apply("CountPerMinute", WindowedEventCounts.exact()));
      LoadBigQuery load = LoadBigQuery.into(bigQuery);
      PCollectionTuple.of(WarehouseTable.EVENTS.rows(), events)
          .and(WarehouseTable.EVENT_COUNTS_MINUTE.rows(), counts)
          .apply("LoadBigQuery", bigQueryServices == null ? load : load.withTestServices(bigQueryServices));
    }
  }
}
