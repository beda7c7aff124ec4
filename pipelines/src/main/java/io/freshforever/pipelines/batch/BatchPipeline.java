package io.freshforever.pipelines.batch;

import io.freshforever.contract.Event;
import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.lake.VerifyLakeFiles;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * LoadPlan: the lake's files vs the warehouse's ledger
 * DuckDB:   VerifyLakeFiles (each read to its end, warehouse columns only) ─► LoadDuckDb: one
 *           transaction reads the files' rows, keeps the first copy of each id across all days,
 *           replaces the days, recounts their minutes, records the files in the ledger
 * BigQuery: ReadLakeEvents ─► ExactDedup ─┬─────────────────────────────► LoadBigQuery
 *                                         └─► WindowedEventCounts.exact() ─┘
 * Either:   corrupt files (when skipping) ─► report
 * </pre>
 *
 * Re-running is safe (a load of what the ledger has changes nothing); a day loads again by itself
 * when late files arrive in it, however late: its new files' rows merge into it.
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
    if (options.getLake().matches("^[a-z][a-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException(
          "a DuckDB warehouse reads the lake's files itself, so --lake must be a local folder, was " + options.getLake());
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

    if (target instanceof WarehouseTarget.DuckDb duckDb) {
      List<String> columns = WarehouseTable.EVENTS.columns().stream().map(WarehouseTable.Column::name).toList();
      PCollectionTuple files =
          pipeline.apply(
              "VerifyLakeFiles",
              VerifyLakeFiles.of(plan.paths(), columns).skippingCorruptFiles(options.getSkipCorruptFiles()));
      reportCorruptFiles(files, options);
      files.get(VerifyLakeFiles.READABLE).apply("LoadDuckDb", LoadDuckDb.into(duckDb, plan));
    } else if (target instanceof WarehouseTarget.BigQuery bigQuery) {
      PCollectionTuple lake =
          pipeline.apply(
              "ReadLakeEvents",
              ReadLakeEvents.ofFiles(plan.paths()).skippingCorruptFiles(options.getSkipCorruptFiles()));
      reportCorruptFiles(lake, options);
      PCollection<Event> distinct = lake.get(ReadLakeEvents.EVENTS).apply("ExactDedup", ExactDedup.create());
      PCollection<GenericRecord> counts =
          WarehouseTable.countRows(distinct.apply("CountPerMinute", WindowedEventCounts.exact()));
      LoadBigQuery load = LoadBigQuery.into(bigQuery);
      PCollectionTuple.of(WarehouseTable.EVENTS.rows(), WarehouseTable.eventRows(distinct))
          .and(WarehouseTable.EVENT_COUNTS_MINUTE.rows(), counts)
          .apply("LoadBigQuery", bigQueryServices == null ? load : load.withTestServices(bigQueryServices));
    }
  }

  private static void reportCorruptFiles(PCollectionTuple read, BatchPipelineOptions options) {
    if (options.getSkipCorruptFiles()) {
      read.get(ReadLakeEvents.CORRUPT_FILES)
          .apply("ReportCorruptFiles", TextIO.write().to(options.getCorruptFilesReport()).withoutSharding());
    }
  }
}
