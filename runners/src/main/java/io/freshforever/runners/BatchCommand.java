package io.freshforever.runners;

import io.freshforever.pipelines.batch.BatchPipeline;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.warehouse.LoadWarehouse;
import io.freshforever.pipelines.warehouse.LoadPlan;
import io.freshforever.transforms.FreshMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.Pipeline;
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
      "Loads the UTC event days of the lake whose files changed since their last load (late data,",
      "however late; every day on a new warehouse) into the warehouse, one row per event_id;",
      "--from/--to replaces a range of days instead. Run here, --lake and --warehouse default to the local stack's",
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

  /** Made once, when the graph is built; the progress line and the report read it. */
  private LoadPlan plan;

  @Override
  public Integer call() {
    return BeamRun.run(
        "batch", PipelineFlags.args(spec, beamOptions), BeamArgs.BATCH_RUNNER, BatchPipelineOptions.class, this::build,
        new BeamRun.Progress<>(options -> plan.listing(), this::describe),
        this::report);
  }

  private void build(Pipeline pipeline, BatchPipelineOptions options) {
    plan = BatchPipeline.plan(options);
    BatchPipeline.build(pipeline, options, plan, null);
  }

  /** Days shown by name before the rest are summed up: a first load may cover years. */
  private static final int DAYS_SHOWN = 30;

  private String describe(BatchPipelineOptions options) {
    List<String> lines = new ArrayList<>();
    plan.days().stream().limit(DAYS_SHOWN).forEach(day -> lines.add(day.why()));
    if (plan.days().size() > DAYS_SHOWN) {
      lines.add("and " + (plan.days().size() - DAYS_SHOWN) + " more days");
    }
    if (plan.days().isEmpty()) {
      lines.add("no lake day changed since its last load");
    }
    lines.add("loading " + plan.days().size() + " day" + (plan.days().size() == 1 ? "" : "s") + " into " + options.getWarehouse());
    return String.join("\nfresh batch: ", lines);
  }

  private void report(BatchPipelineOptions options, MetricResults metrics) {
    System.out.printf(
        "loaded %,d day%s into %s: %,d lake files, %,d rows read",
        plan.days().size(), plan.days().size() == 1 ? "" : "s", options.getWarehouse(),
        FreshMetrics.counter(metrics, ReadLakeEvents.FILES_READ),
        FreshMetrics.counter(metrics, ReadLakeEvents.ROWS_READ));
    if (options.getWarehouse().startsWith("duckdb:")) {
      System.out.printf(
          "; %,d events inserted (first copies), %,d minute counts written; %,d other day%s recounted"
              + " (a copy of an id there was accepted later than one loaded now)",
          FreshMetrics.counter(metrics, LoadWarehouse.EVENTS_LOADED),
          FreshMetrics.counter(metrics, LoadWarehouse.COUNTS_LOADED),
          FreshMetrics.counter(metrics, LoadWarehouse.DAYS_DISPLACED),
          FreshMetrics.counter(metrics, LoadWarehouse.DAYS_DISPLACED) == 1 ? "" : "s");
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
