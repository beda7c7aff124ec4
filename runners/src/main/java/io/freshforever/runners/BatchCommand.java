package io.freshforever.runners;

import io.freshforever.pipelines.batch.BatchPipeline;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.warehouse.LoadDuckDb;
import io.freshforever.transforms.FreshMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.metrics.MetricResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    description = {
      "Loads UTC event days of the lake into the warehouse, exactly deduplicated; re-running a day",
      "replaces it. Options (Beam style):",
      "  --from=YYYY-MM-DD (inclusive) --to=YYYY-MM-DD (exclusive)      required",
      "  --warehouse=duckdb:PATH | bigquery:PROJECT:DATASET              default duckdb:./.fresh/warehouse.duckdb",
      "  --lake=PATH|gs://...                                            default ./.fresh/lake",
      "  --skipCorruptFiles=true [--corruptFilesReport=PATH]             load the rest, list bad files",
      "  --runner=FlinkRunner (default, embedded) | DirectRunner, and any other Beam option",
      "  (BigQuery also needs --tempLocation=gs://... and --project=...)"
    })
final class BatchCommand implements Callable<Integer> {
  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Override
  public Integer call() {
    return BeamRun.run("batch", beamOptions, BeamArgs.BATCH_RUNNER, BatchPipelineOptions.class, BatchPipeline::build, BatchCommand::report);
  }

  private static void report(BatchPipelineOptions options, MetricResults metrics) {
    System.out.printf(
        "loaded %s to %s into %s: %,d lake files, %,d rows read",
        options.getFrom(), options.getTo(), options.getWarehouse(),
        FreshMetrics.counter(metrics, ReadLakeEvents.FILES_READ),
        FreshMetrics.counter(metrics, ReadLakeEvents.ROWS_READ));
    if (options.getWarehouse().startsWith("duckdb:")) {
      System.out.printf(
          "; %,d distinct events and %,d minute counts now in those days",
          FreshMetrics.counter(metrics, LoadDuckDb.EVENTS_LOADED),
          FreshMetrics.counter(metrics, LoadDuckDb.COUNTS_LOADED));
    }
    System.out.println();
    long skipped = FreshMetrics.counter(metrics, ReadLakeEvents.FILES_SKIPPED);
    if (skipped > 0) {
      System.out.printf(
          "SKIPPED %,d corrupt lake file(s), listed in %s: their rows are NOT in the warehouse%n",
          skipped, options.getCorruptFilesReport());
    }
  }
}
