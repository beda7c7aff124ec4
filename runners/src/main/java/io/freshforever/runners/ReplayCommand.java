package io.freshforever.runners;

import io.freshforever.pipelines.lake.LakeListing;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.live.ReplaceLiveCounts;
import io.freshforever.pipelines.replay.ReplayPipeline;
import io.freshforever.pipelines.replay.ReplayPipelineOptions;
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
    name = "replay",
    mixinStandardHelpOptions = true,
    modelTransformer = PipelineFlags.class,
    description = {
      "Recomputes the live counts of a time range from the lake (exact dedup, late events included)",
      "and overwrites them in Bigtable: repairs the serving store after a bug in the live path.",
      "Run it on windows past their grace period (older than 10 minutes by default). Run here, the",
      "lake and Bigtable default to the local stack's. Takes any Beam option too: --runner",
      "FlinkRunner (default, embedded) or DirectRunner."
    })
final class ReplayCommand implements Callable<Integer>, PipelineFlags.Command {
  @Spec CommandSpec spec;

  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Override
  public Class<ReplayPipelineOptions> optionsType() {
    return ReplayPipelineOptions.class;
  }

  @Override
  public Integer call() {
    return BeamRun.run(
        "replay", PipelineFlags.args(spec, beamOptions), BeamArgs.BATCH_RUNNER, ReplayPipelineOptions.class, ReplayPipeline::build,
        new BeamRun.Progress<>(
            options -> LakeListing.of(options.getLake(), ReplayPipeline.days(options)),
            options -> "replaying " + options.getFrom() + " to " + options.getTo()),
        ReplayCommand::report);
  }

  private static void report(ReplayPipelineOptions options, MetricResults metrics) {
    System.out.printf(
        "replayed %s to %s from %,d lake rows: %,d live rows replaced, %,d deleted (no events in the lake)%n",
        options.getFrom(), options.getTo(),
        FreshMetrics.counter(metrics, ReadLakeEvents.ROWS_READ),
        FreshMetrics.counter(metrics, ReplaceLiveCounts.ROWS_REPLACED),
        FreshMetrics.counter(metrics, ReplaceLiveCounts.ROWS_DELETED));
  }
}
