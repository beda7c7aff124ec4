package io.freshforever.runners.bench;

import io.freshforever.pipelines.LiveJob;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.Folders;
import io.freshforever.runners.stack.LocalFlinkCluster;
import io.freshforever.runners.stack.LocalStack;
import io.freshforever.runners.stack.StreamingJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The units production is sized in, measured on the local cluster: the records per second one task
 * of the lake connector publishes (on a Kafka Connect worker), and one slot of the live job counts
 * (on a Flink TaskManager), each draining the same backlog alone while the rest of the stack shares
 * the machine. docs/CAPACITY.md derives Connect workers, tasks, Flink slots and Kafka partitions
 * from them.
 */
public final class CapacityBenchmark {
  private static final Duration CONNECTOR_LIMIT = Duration.ofMinutes(30);

  /** One unit's drain of the backlog. */
  public record Unit(String name, long records, double seconds) {
    public double recordsPerSecond() {
      return records / seconds;
    }
  }

  private CapacityBenchmark() {}

  /**
   * @param slotArgs Beam options of the live job on the cluster (runner, parallelism 1, job jar,
   *     checkpoints); the cluster's address, topic and table are added here
   */
  public static List<Unit> run(List<String> slotArgs, int partitions, long records, double badRate, Consumer<String> progress)
      throws Exception {
    Path dir = Files.createTempDirectory("fresh-bench-capacity");
    List<Unit> units = new ArrayList<>();
    try (LocalStack stack = LocalStack.startOnFreePorts(dir)) {
      String topic = "bench-capacity";
      long wantTotal = LivePathBenchmark.produceBacklog(stack, topic, partitions, records, badRate);

      // One task: the connector's own rotation by Kafka time still applies (1 s intervals here, so
      // that the last flush is not held back by the clock and the timing is the drain's).
      stack.connectWorkers();
      long start = System.nanoTime();
      stack.runLakeConnector(topic, dir.resolve("lake"), Duration.ofSeconds(1), 1);
      if (!stack.awaitLakeCaughtUp(topic, CONNECTOR_LIMIT)) {
        throw new IllegalStateException("one lake connector task did not publish " + records + " records in " + CONNECTOR_LIMIT);
      }
      units.add(new Unit("lake connector, 1 task", records, (System.nanoTime() - start) / 1e9));
      progress.accept(describe(units.get(units.size() - 1)));

      LocalFlinkCluster cluster = stack.flinkCluster();
      String table = LivePathBenchmark.table(stack, "capacity");
      List<String> args = new ArrayList<>(slotArgs);
      args.add("--flinkMaster=" + cluster.master());
      args.add("--kafkaTopic=" + topic);
      args.add("--kafkaConsumerGroup=" + topic + "-live");
      args.add("--bigtableTable=" + table);
      args.add("--lake=" + dir.resolve("lake-live"));
      LiveJob job = StreamingJobs.start(stack, args);
      try (LiveCounts live = LivePathBenchmark.connect(stack, table)) {
        units.add(new Unit("live job, 1 Flink slot", records, LivePathBenchmark.secondsToCount("the live job", live, wantTotal)));
        progress.accept(describe(units.get(units.size() - 1)));
      } finally {
        job.close(); // submitted from here, cancelled from here: the benchmark's own job
      }
      return units;
    } finally {
      Folders.deleteRecursively(dir);
    }
  }

  static String describe(Unit u) {
    return String.format("%s: %,d records in %.1f s = %,.0f records/s", u.name(), u.records(), u.seconds(), u.recordsPerSecond());
  }
}
