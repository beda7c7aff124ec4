package io.freshforever.runners;

import io.freshforever.pipelines.StreamingPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the streaming pipeline (Kafka -> Bigtable live counts + Parquet lake) until Ctrl-C.",
      "Takes Beam options: --runner=DirectRunner (default) or --runner=FlinkRunner [--parallelism=N],",
      "and every option of StreamingPipelineOptions, e.g. --kafkaBootstrapServers, --lake,",
      "--bigtableEmulatorHost (empty for real Bigtable), --windowSeconds, --allowedLatenessSeconds."
    })
final class StreamCommand implements Callable<Integer> {
  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Override
  public Integer call() {
    StreamingPipeline.main(BeamArgs.forStreaming(beamOptions).toArray(new String[0]));
    return 0;
  }
}
