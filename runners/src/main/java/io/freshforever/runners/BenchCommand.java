package io.freshforever.runners;

import io.freshforever.runners.bench.LivePathBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the live path on a private local stack (its own Kafka and Bigtable emulator on free",
      "ports): throughput draining a backlog, then freshness (produced -> visible in Bigtable) at a",
      "steady rate. Takes Beam options too, e.g. --runner=FlinkRunner --parallelism=2."
    })
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--partitions", description = "Partitions of the benchmark topic (default: ${DEFAULT-VALUE}).")
  int partitions = 4;

  @Option(names = "--events", description = "Backlog records for the throughput run (default: ${DEFAULT-VALUE}).")
  long events = 200_000;

  @Option(names = "--rate", description = "Records per second for the freshness run (default: ${DEFAULT-VALUE}).")
  double rate = 5_000;

  @Option(names = "--seconds", description = "Length of the freshness run (default: ${DEFAULT-VALUE}).")
  int seconds = 60;

  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> options = BeamArgs.forStreaming(beamOptions);
    LivePathBenchmark.Result r = LivePathBenchmark.run(options, partitions, events, rate, seconds);
    System.out.printf(
        "live path, %d partitions, %s%n"
            + "  plain consumer (read + parse + HashSet dedup + count, nothing written): %,d records"
            + " (%,d distinct events, %,d dead letters) in %.1f s = %,.0f records/s%n"
            + "  throughput: %,d records drained in %.1f s = %,.0f records/s (%.2fx the plain consumer)%n"
            + "  freshness at %,.0f records/s for %d s: p50 %.2f s, p99 %.2f s (%d samples);"
            + " p50 by third of the run: %.2f / %.2f / %.2f s%n",
        partitions, String.join(" ", options),
        r.limit().records(), r.limit().distinct(), r.limit().deadLetters(), r.limit().seconds(),
        r.limit().recordsPerSecond(),
        r.records(), r.catchUpSeconds(), r.throughput(), r.throughput() / r.limit().recordsPerSecond(),
        rate, seconds, r.p50(), r.p99(), r.samples(),
        r.p50ByThird().get(0), r.p50ByThird().get(1), r.p50ByThird().get(2));
    return 0;
  }
}
