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
    StreamingPipeline.main(withLocalDefaults(beamOptions).toArray(new String[0]));
    return 0;
  }

  /**
   * The DirectRunner's immutability and encodability checks cost about 8x in throughput; they
   * catch bugs that the unit tests (where they stay on) already catch, so `fresh stream` turns
   * them off unless asked.
   */
  static List<String> withLocalDefaults(List<String> options) {
    List<String> all = new ArrayList<>(options);
    boolean flink = options.stream().anyMatch(o -> o.startsWith("--runner=Flink"));
    if (!flink) {
      addUnlessGiven(all, "--runner", "DirectRunner");
      addUnlessGiven(all, "--enforceImmutability", "false");
      addUnlessGiven(all, "--enforceEncodability", "false");
    }
    return all;
  }

  private static void addUnlessGiven(List<String> options, String name, String value) {
    if (options.stream().noneMatch(o -> o.equals(name) || o.startsWith(name + "="))) {
      options.add(name + "=" + value);
    }
  }
}
