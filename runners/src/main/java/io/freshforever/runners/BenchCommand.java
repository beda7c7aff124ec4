package io.freshforever.runners;

import io.freshforever.pipelines.StreamingPipelineOptions;
import io.freshforever.runners.bench.CapacityBenchmark;
import io.freshforever.runners.bench.HistoryBenchmark;
import io.freshforever.runners.bench.LivePathBenchmark;
import io.freshforever.runners.stack.BeamFlags;
import io.freshforever.runners.stack.StackBuild;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the live path against its peers on a private local stack (its own Kafka and",
      "Bigtable emulator on free ports), every row in one run on the same records: the plain-consumer",
      "limit, a native Flink job doing the same work, the pipeline on the FlinkRunner and on the",
      "DirectRunner (backlog drain, CPU per record, heap per live id), then freshness (produced ->",
      "visible in Bigtable) at fixed rates, and the history path: fresh batch against DuckDB SQL",
      "alone on the same lake files, and the capacity units on the local cluster: records/s of one",
      "lake connector task and of one live-job slot on a Flink TaskManager (the cluster runs the job",
      "jar: ./fresh builds it for bench). Beam options (e.g. --parallelism=2) go to the Flink rows."
    })
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--partitions", description = "Partitions of each benchmark topic (default: ${DEFAULT-VALUE}).")
  int partitions = 4;

  @Option(names = "--events", description = "Backlog records per row, 0 to skip the live rows (default: ${DEFAULT-VALUE}).")
  long events = 1_000_000;

  @Option(names = "--rates", split = ",", description = "Records per second of the freshness runs (default: ${DEFAULT-VALUE}).")
  List<Double> rates = new ArrayList<>(List.of(5_000.0, 20_000.0, 40_000.0));

  @Option(names = "--seconds", description = "Length of each freshness run (default: ${DEFAULT-VALUE}).")
  int seconds = 60;

  @Option(
      names = "--badRate",
      description = "Fraction of bad records in the live rows' backlogs, every kind alike; one kind in eight is"
          + " a 1 MB oversized record, most of a backlog's bytes at the default (default: ${DEFAULT-VALUE}).")
  double badRate = 0.005;

  @Option(
      names = "--historyRows",
      split = ",",
      description = "Lake rows of each history run, 0 to skip it (default: ${DEFAULT-VALUE}).")
  List<Long> historyRows = new ArrayList<>(List.of(1_000_000L, 10_000_000L));

  @Option(
      names = "--capacityRecords",
      description = "Backlog of the capacity units (one connector task, one Flink slot), 0 to skip them (default: ${DEFAULT-VALUE}).")
  long capacityRecords = 1_000_000;

  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> flink = PipelineFlags.beamForm(beamOptions);
    BeamFlags.addUnlessGiven(flink, "--runner", "FlinkRunner");
    BeamFlags.addUnlessGiven(flink, "--parallelism", "2");
    // Checkpoints of benchmark jobs stay out of the local stack's folder.
    BeamFlags.addUnlessGiven(
        flink, "--stateBackendStoragePath", Files.createTempDirectory("fresh-bench-checkpoints").toUri().toString());
    List<String> flinkOptions = BeamArgs.forStreaming(flink);
    List<String> directOptions = BeamArgs.forStreaming(List.of("--runner=DirectRunner"));
    try {
      PipelineOptionsFactory.fromArgs(flinkOptions.toArray(new String[0])).as(StreamingPipelineOptions.class); // names the job does not know
    } catch (IllegalArgumentException e) {
      System.err.println("fresh bench: " + e.getMessage());
      return 2;
    }
    System.out.printf(
        "fresh bench: %,d records per row (bad rate %s), %d partitions, %d cores; FlinkRunner rows: %s%n",
        events,
        badRate, partitions, Runtime.getRuntime().availableProcessors(), String.join(" ", flinkOptions));
    LivePathBenchmark.Result live =
        events > 0
            ? LivePathBenchmark.run(
                flinkOptions, directOptions, partitions, events, rates, seconds, badRate, BenchCommand::measured)
            : null;
    List<HistoryBenchmark.Result> history = HistoryBenchmark.run(historyRows, BenchCommand::measured);
    List<CapacityBenchmark.Unit> capacity =
        capacityRecords > 0
            ? CapacityBenchmark.run(oneSlot(), partitions, capacityRecords, badRate, BenchCommand::measured)
            : List.of();
    if (live != null) {
      printLive(live);
    }
    printHistory(history);
    printCapacity(capacity);
    return 0;
  }

  /** The live job as the local cluster runs it, on one slot. */
  private static List<String> oneSlot() throws Exception {
    return BeamArgs.forStreaming(new ArrayList<>(List.of(
        "--runner=FlinkRunner", "--attachedMode=false", "--parallelism=1",
        "--filesToStage=" + StackBuild.jobJar(),
        "--stateBackendStoragePath=" + Files.createTempDirectory("fresh-bench-capacity-checkpoints").toUri())));
  }

  private static void printCapacity(List<CapacityBenchmark.Unit> capacity) {
    if (capacity.isEmpty()) {
      return;
    }
    System.out.printf("%n%-34s %12s %10s %12s%n", "capacity unit (local cluster)", "records", "seconds", "records/s");
    for (CapacityBenchmark.Unit u : capacity) {
      System.out.printf("%-34s %,12d %10.1f %,12.0f%n", u.name(), u.records(), u.seconds(), u.recordsPerSecond());
    }
  }

  private static void printLive(LivePathBenchmark.Result r) {
    double limit = r.limit().recordsPerSecond();
    System.out.printf(
        "%n%-34s %12s %9s %13s %12s %14s%n", "backlog drain", "records/s", "x limit", "us CPU/record", "heap B/id",
        "checkpoint B/id");
    System.out.printf("%-34s %,12.0f %9s %13s %12s %14s%n", "plain consumer (limit)", limit, "1.00", "", "", "");
    for (LivePathBenchmark.Drain d : r.drains()) {
      System.out.printf(
          "%-34s %,12.0f %9.2f %13.1f %12s %14s%n",
          d.name(), d.recordsPerSecond(), d.recordsPerSecond() / limit, d.cpuMicrosPerRecord(),
          Double.isNaN(d.heapPerIdBytes()) ? "n/a" : String.format("%.0f", d.heapPerIdBytes()),
          Double.isNaN(d.checkpointPerIdBytes()) ? "n/a" : String.format("%.1f", d.checkpointPerIdBytes()));
    }
    double nativeRate = r.drains().get(0).recordsPerSecond();
    for (LivePathBenchmark.Drain d : r.drains().subList(1, r.drains().size())) {
      System.out.printf("%s vs the native Flink job: %.2fx%n", d.name(), d.recordsPerSecond() / nativeRate);
    }
    System.out.printf(
        "%n%-34s %10s %8s %8s %8s %8s %13s%n", "freshness (a probe a second)", "records/s", "p50 s", "p99 s", "max s",
        "unseen", "BT writes/s");
    for (LivePathBenchmark.Freshness f : r.freshness()) {
      System.out.printf(
          "%-34s %,10.0f %8.2f %8.2f %8.2f %8s %,13.0f%n",
          f.name(), f.rate(), f.p50(), f.p99(), f.max(), f.missed() + "/" + f.probes(), f.writesPerSecond());
    }
  }

  private static void printHistory(List<HistoryBenchmark.Result> history) {
    if (history.isEmpty()) {
      return;
    }
    System.out.printf(
        "%n%-14s %14s %12s %14s %12s %8s%n", "history", "fresh batch s", "events", "DuckDB SQL s", "events", "ratio");
    for (HistoryBenchmark.Result h : history) {
      System.out.printf(
          "%,14d %14.1f %,12d %14.2f %,12d %8.2f%n",
          h.lakeRows(), h.batchSeconds(), h.batchDistinct(), h.sqlSeconds(), h.sqlDistinct(), h.ratio());
    }
  }

  private static void measured(String line) {
    System.out.println("  measured: " + line);
  }
}
