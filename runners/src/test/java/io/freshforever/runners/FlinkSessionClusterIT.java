package io.freshforever.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.LiveJob;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.StreamingJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * The job jar that `mvn package` builds, submitted to a Flink session cluster running as separate
 * processes (not the embedded one), reading the local Kafka broker and writing the Bigtable
 * emulator: proof that the jar is self-contained, with counts exact under retries, late and too-late
 * records. Runs after `package` (failsafe).
 */
public class FlinkSessionClusterIT {
  @ClassRule public static final LocalStackRule STACK = new LocalStackRule();

  @Test
  public void theJobJarRunsOnASeparateFlinkClusterAndCountsExactly() throws Exception {
    Path jobJar = Path.of(System.getProperty("fresh.jobJar", "target/fresh-runners-0.1.0-SNAPSHOT-job.jar"));
    assertTrue("the job jar from mvn package: " + jobJar, Files.isRegularFile(jobJar));
    Path dir = Files.createTempDirectory(Path.of("target"), "flink-cluster");
    String topic = "events-cluster";
    String table = "event_counts_cluster";
    STACK.stack().kafka.createTopic(topic, 4);
    STACK.stack().bigtable.createTable(table);

    try (FlinkSessionCluster cluster = FlinkSessionCluster.start(dir, Path.of("target", "classpath.txt"))) {
      try (LiveJob job = StreamingJobs.start(
          STACK.stack(),
          List.of(
              "--runner=FlinkRunner",
              "--flinkMaster=" + cluster.master(),
              "--filesToStage=" + jobJar.toAbsolutePath(),
              "--attachedMode=false",
              "--parallelism=2",
              "--checkpointingInterval=5000",
              "--stateBackend=filesystem",
              "--stateBackendStoragePath=" + dir.resolve("checkpoints").toAbsolutePath().toUri(),
              "--kafkaTopic=" + topic,
              "--bigtableTable=" + table,
              "--lake=" + dir.resolve("lake").toAbsolutePath(),
              "--lakeFlushSeconds=5"));
          LiveCounts live =
          LiveCounts.connect(EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, table,
              STACK.stack().bigtable.host())) {
        LiveHarness.warmUp(STACK.stack().kafka.bootstrapServers(), topic, live);
        EventGenerator.Settings settings =
            EventGenerator.Settings.defaultMix(STACK.stack().kafka.bootstrapServers(), topic)
                .withEventTypes(List.of("click", "view", "purchase"))
                .withDuplicateRate(0.10)
                .withBadRate(0.01)
                .withSeed(11L);
        Expectations expected;
        try (EventGenerator generator = new EventGenerator(settings)) {
          generator.produce(5_000, 1_000, Long.MAX_VALUE, () -> {});
          expected = generator.expectations();
        }
        Map<String, Long> got =
            LiveHarness.await("live counts equal to the expected ones", Duration.standardMinutes(3), () -> {
              Map<String, Long> counts = LiveHarness.liveCounts(live);
              return counts.equals(expected.live()) ? counts : null;
            });
        assertEquals(expected.live(), got);
        assertTrue(cluster.rest("/jobs/overview"), cluster.rest("/jobs/overview").contains("\"state\":\"RUNNING\""));
      }
      cluster.cancelJobs();
    }
  }
}
