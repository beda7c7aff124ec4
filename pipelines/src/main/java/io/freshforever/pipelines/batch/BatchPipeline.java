package io.freshforever.pipelines.batch;

import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.lake.VerifyLakeFiles;
import io.freshforever.pipelines.warehouse.BigQueryWarehouse;
import io.freshforever.pipelines.warehouse.DuckDbWarehouse;
import io.freshforever.pipelines.warehouse.LoadPlan;
import io.freshforever.pipelines.warehouse.LoadWarehouse;
import io.freshforever.pipelines.warehouse.WarehouseLoader;
import io.freshforever.pipelines.warehouse.WarehouseTable;
import io.freshforever.pipelines.warehouse.WarehouseTarget;
import java.io.IOException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The history path: the lake days whose files changed since their last load (or a forced range),
 * deduplicated exactly, into the warehouse.
 *
 * <pre>
 * LoadPlan:         the lake's files vs the warehouse's ledger
 * VerifyLakeFiles:  each file read to its end (warehouse columns only); corrupt ones refused, or
 *                   skipped and reported
 * LoadWarehouse:    the readable files, in one transaction, keeping the first copy of each id
 *                   across all days: replaces or merges the days, recounts their minutes, records
 *                   the files in the ledger. DuckDB reads the files in place; BigQuery stages them
 *                   with a load job first
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
    return plan(options, null);
  }

  /** As {@link #plan(BatchPipelineOptions)}, with BigQuery fakes for tests. */
  public static LoadPlan plan(BatchPipelineOptions options, @Nullable BigQueryServices bigQueryServices) {
    boolean ranged = options.getFrom() != null || options.getTo() != null;
    WarehouseTarget target = WarehouseTarget.parse(options.getWarehouse());
    Optional<SortedMap<LocalDate, Set<String>>> ledger;
    if (target instanceof WarehouseTarget.BigQuery bigQuery) {
      try {
        ledger = BigQueryWarehouse.open(bigQuery, bigQueryServices, options).ledger();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the ledger of " + bigQuery + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted reading the ledger of " + bigQuery, e);
      }
    } else {
      WarehouseTarget.DuckDb duckDb = (WarehouseTarget.DuckDb) target;
      if (options.getLake().matches("^[a-z][a-z0-9+.-]*://.*")) {
        throw new IllegalArgumentException(
            "a DuckDB warehouse reads the lake's files itself, so --lake must be a local folder, was " + options.getLake());
      }
      try {
        ledger = Optional.of(DuckDbWarehouse.ledger(duckDb.path()));
      } catch (SQLException e) {
        throw new IllegalArgumentException("cannot read the ledger of " + duckDb.path() + ": " + e.getMessage(), e);
      }
    }
    if (ledger.isEmpty()) {
      return LoadPlan.everyDayOfTheLake(options.getLake());
    }
    return ranged
        ? LoadPlan.forDays(options.getLake(), DayRange.of(options.getFrom(), options.getTo()), ledger.get())
        : LoadPlan.changedSince(options.getLake(), ledger.get());
  }

  /** Wires the history path into {@code pipeline}; tests build the very same graph. */
  public static void build(Pipeline pipeline, BatchPipelineOptions options) {
    build(pipeline, options, plan(options), null);
  }

  /** As {@link #build(Pipeline, BatchPipelineOptions)}, with a plan made before and BigQuery fakes for tests. */
  public static void build(
      Pipeline pipeline, BatchPipelineOptions options, LoadPlan plan, @Nullable BigQueryServices bigQueryServices) {
    WarehouseTarget target = WarehouseTarget.parse(options.getWarehouse());
    WarehouseLoader loader =
        target instanceof WarehouseTarget.BigQuery bigQuery
            ? BigQueryWarehouse.loader(bigQuery, bigQueryServices)
            : DuckDbWarehouse.loader(((WarehouseTarget.DuckDb) target).path());
    List<String> columns = WarehouseTable.EVENTS.columns().stream().map(WarehouseTable.Column::name).toList();
    PCollectionTuple files =
        pipeline.apply(
            "VerifyLakeFiles",
            VerifyLakeFiles.of(plan.paths(), columns).skippingCorruptFiles(options.getSkipCorruptFiles()));
    reportCorruptFiles(files, options);
    files.get(VerifyLakeFiles.READABLE).apply("LoadWarehouse", LoadWarehouse.with(loader, plan));
  }

  private static void reportCorruptFiles(PCollectionTuple read, BatchPipelineOptions options) {
    if (options.getSkipCorruptFiles()) {
      read.get(ReadLakeEvents.CORRUPT_FILES)
          .apply("ReportCorruptFiles", TextIO.write().to(options.getCorruptFilesReport()).withoutSharding());
    }
  }
}
