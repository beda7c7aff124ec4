package io.freshforever.runners;

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
import picocli.CommandLine.Unmatched;

@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Recomputes the live counts of a time range from the lake (exact dedup, late events included)",
      "and overwrites them in Bigtable: repairs the serving store after a bug in the live path.",
      "Run it on windows past their grace period (older than 10 minutes by default). Options:",
      "  --from=2026-11-29T10:00:00Z (inclusive) --to=... (exclusive)   required, on window boundaries",
      "  --lake=PATH|gs://...   --bigtableProject --bigtableInstance --bigtableTable",
      "  --bigtableEmulatorHost (empty for real Bigtable)   --runner=FlinkRunner (default)|DirectRunner"
    })
final class ReplayCommand implements Callable<Integer> {
  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Override
  public Integer call() {
    return BeamRun.run(
        "replay", beamOptions, BeamArgs.BATCH_RUNNER, ReplayPipelineOptions.class, ReplayPipeline::build, ReplayCommand::report);
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
