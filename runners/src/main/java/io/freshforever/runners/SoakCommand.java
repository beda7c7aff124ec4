package io.freshforever.runners;

import io.freshforever.runners.bench.SoakBenchmark;
import io.freshforever.runners.flink.RetainedCheckpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Chaos benchmark on a private local stack: traffic at --rate for --minutes while `fresh stream`",
      "is killed with SIGKILL and started again every --killEveryMinutes (+-50%). Prints the kills",
      "and the stream's heap after a full GC as it goes; at the end records lost from the lake (must",
      "be 0) and live windows over their exact or under their in-grace count (must be 0). Takes Beam",
      "options for the stream (default: --runner=FlinkRunner --parallelism=2)."
    })
final class SoakCommand implements Callable<Integer> {
  @Option(names = "--minutes", description = "Length of the traffic (default: ${DEFAULT-VALUE}).")
  int minutes = 30;

  @Option(names = "--rate", description = "Records per second (default: ${DEFAULT-VALUE}).")
  double rate = 5_000;

  @Option(names = "--killEveryMinutes", description = "Mean time between kills (default: ${DEFAULT-VALUE}).")
  double killEveryMinutes = 4;

  @Option(names = "--seed", description = "Seed of the traffic and the kill times (default: random).")
  Long seed;

  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> stream = PipelineFlags.beamForm(beamOptions);
    try {
      // names Beam does not know (--fromScratch is fresh stream's own)
      PipelineOptionsFactory.fromArgs(
              stream.stream().filter(a -> !a.startsWith(RetainedCheckpoints.FROM_SCRATCH)).toArray(String[]::new))
          .create();
    } catch (IllegalArgumentException e) {
      System.err.println("fresh soak: " + e.getMessage());
      return 2;
    }
    if (stream.stream().noneMatch(o -> o.startsWith("--runner"))) {
      stream.addAll(List.of("--runner=FlinkRunner", "--parallelism=2"));
    }
    long runSeed = seed != null ? seed : System.nanoTime();
    System.out.printf("soak: %d min at %,.0f records/s, a kill every ~%.1f min, seed %d, stream %s%n",
        minutes, rate, killEveryMinutes, runSeed, String.join(" ", stream));
    SoakBenchmark.Result r =
        SoakBenchmark.run(stream, rate, Duration.standardMinutes(minutes),
            Duration.millis((long) (killEveryMinutes * 60_000)), runSeed, System.out::println);
    System.out.printf(
        "soak result: %,d records produced, %d kills%n"
            + "  lake: %,d of %,d distinct events (%,d lost), %,d of %,d dead letters (%,d lost)%n"
            + "  live view: %,d windows, %d above exact, %d below in-grace%n"
            + "  heap after full GC, MB, once a minute: %s%n",
        r.produced(), r.kills(),
        r.distinctInLake(), r.distinctSent(), r.distinctSent() - r.distinctInLake(),
        r.deadLettersInLake(), r.deadLettersSent(), r.deadLettersSent() - r.deadLettersInLake(),
        r.windows(), r.windowsOver(), r.windowsUnder(), r.heapAfterGcMb());
    r.windowsOutOfBounds().forEach(w -> System.out.println("  out of bounds: " + w));
    boolean ok = r.distinctInLake() == r.distinctSent() && r.deadLettersInLake() == r.deadLettersSent()
        && r.windowsOver() == 0 && r.windowsUnder() == 0;
    return ok ? 0 : 1;
  }
}
