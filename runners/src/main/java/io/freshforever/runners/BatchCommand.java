package io.freshforever.runners;

import io.freshforever.pipelines.batch.BatchPipeline;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.lake.LakeListing;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.warehouse.LoadDuckDb;
import io.freshforever.transforms.FreshMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.metrics.MetricResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    modelTransformer = PipelineFlags.class,
    description = {
      "Loads UTC event days of the lake into the warehouse, exactly deduplicated; re-running a day",
      "replaces it. Run here, --lake and --warehouse default to the local stack's",
      "(.fresh/lake, duckdb:.fresh/warehouse.duckdb). Takes any Beam option too: --runner FlinkRunner",
      "(default, embedded) or DirectRunner; BigQuery also needs --tempLocation gs://... and --project."
    })
final class BatchCommand implements Callable<Integer>, PipelineFlags.Command {
  @Spec CommandSpec spec;

  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Override
  public Class<BatchPipelineOptions> optionsType() {
    return BatchPipelineOptions.class;
  }

  @Override
  public Integer call() {
    return BeamRun.run(
        "batch", PipelineFlags.args(spec, beamOptions), BeamArgs.BATCH_RUNNER, BatchPipelineOptions.class, BatchPipeline::build,
        new BeamRun.Progress<>(
            options -> LakeListing.of(options.getLake(), BatchPipeline.days(options)),
            options -> "loading " + options.getFrom() + " to " + options.getTo() + " into " + options.getWarehouse()),
        BatchCommand::report);
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
