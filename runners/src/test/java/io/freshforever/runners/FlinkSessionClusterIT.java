package io.freshforever.runners;

import static io.freshforever.runners.LiveHarness.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.FreePorts;
import io.freshforever.runners.stack.LocalFlinkCluster;
import io.freshforever.runners.stack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * The job jar that `mvn package` builds, submitted as DEPLOY.md submits it: {@code flink run -d}
 * (Flink's own CLI, from Flink's jars only) to a session cluster of separate processes, reading the
 * local broker and writing the Bigtable emulator, while the stack's lake connector writes the lake.
 * Proof that the jar is self-contained, that the launcher returns at once and the job outlives it,
 * with counts exact under retries, late and too-late records. Runs after `package` (failsafe).
 */
public class FlinkSessionClusterIT {
  @ClassRule public static final LocalStackRule STACK = new LocalStackRule();
  private static final Pattern SUBMITTED = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");

  @Test
  public void flinkRunDetachedReturnsAtOnceAndTheJobJarCountsExactly() throws Exception {
    Path jobJar = Path.of(System.getProperty("fresh.jobJar", "target/fresh-runners-0.1.0-SNAPSHOT-job.jar"));
    assertTrue("the job jar from mvn package: " + jobJar, Files.isRegularFile(jobJar));
    Path dir = Files.createTempDirectory(Path.of("target"), "flink-cluster").toAbsolutePath();
    LocalStack stack = STACK.stack();
    String topic = "events-cluster";
    String table = "event_counts_cluster";
    Path lake = dir.resolve("lake");
    stack.kafka.createTopic(topic, 4);
    stack.bigtable.createTable(table);
    stack.runLakeConnector(topic, lake, LiveHarness.LAKE_FLUSH, 4);

    try (LocalFlinkCluster cluster = LocalFlinkCluster.start(dir, FreePorts.next(), 1)) {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cluster.flinkClasspath(),
          "org.apache.flink.client.cli.CliFrontend", "run", "-d", "-m", cluster.master(),
          "-c", "io.freshforever.pipelines.StreamingPipeline", jobJar.toString(),
          "--runner=FlinkRunner", "--streaming=true", "--attachedMode=false",
          "--parallelism=2", "--checkpointingInterval=5000",
          "--stateBackend=filesystem", "--stateBackendStoragePath=" + dir.resolve("checkpoints").toUri(),
          "--kafkaBootstrapServers=" + stack.kafka.bootstrapServers(), "--kafkaTopic=" + topic,
          "--bigtableProject=" + EventContract.LOCAL_BIGTABLE_PROJECT, "--bigtableInstance=" + EventContract.LOCAL_BIGTABLE_INSTANCE,
          "--bigtableTable=" + table, "--bigtableEmulatorHost=" + stack.bigtable.host(),
          "--lake=" + lake));
      ProcessBuilder flinkRun = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("flink-run.log").toFile());
      flinkRun.environment().put("FLINK_CONF_DIR", cluster.confDir().toString());
      Process launcher = flinkRun.start();
      assertTrue("flink run -d returned", launcher.waitFor(3, TimeUnit.MINUTES));
      String printed = Files.readString(dir.resolve("flink-run.log"), StandardCharsets.UTF_8);
      assertEquals("flink run -d exit code:\n" + printed, 0, launcher.exitValue());
      Matcher submitted = SUBMITTED.matcher(printed);
      assertTrue(printed, submitted.find());
      String jobId = submitted.group(1);

      try (LiveCounts live =
          LiveCounts.connect(EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, table, stack.bigtable.host())) {
        LiveHarness.warmUp(stack.kafka.bootstrapServers(), topic, live);
        EventGenerator.Settings settings =
            EventGenerator.Settings.defaultMix(stack.kafka.bootstrapServers(), topic)
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
            await("live counts equal to the expected ones", Duration.standardMinutes(3), () -> {
              Map<String, Long> counts = LiveHarness.liveCounts(live);
              return counts.equals(expected.live()) ? counts : null;
            });
        assertEquals(expected.live(), got);
        long distinctEvents = expected.warehouse().values().stream().mapToLong(Long::longValue).sum();
        assertTrue("the lake connector caught up", stack.awaitLakeCaughtUp(topic, java.time.Duration.ofMinutes(1)));
        assertEquals("every distinct event in the lake (and the warm-up event)",
            distinctEvents + 1, new HashSet<>(LiveHarness.lakeIds(lake)).size());
        assertEquals(expected.deadLetters(), LiveHarness.deadLetterReasons(lake));
      }
      assertEquals("the job outlived its launcher, still running", List.of(jobId),
          cluster.rest().activeJobs().stream().filter(j -> j.state().equals("RUNNING")).map(j -> j.id()).toList());
      FreshCli.Run cancel = FreshCli.run("cancel", "--flinkMaster", cluster.master());
      assertEquals(cancel.stderr(), 0, cancel.exitCode());
      assertThat(cancel.stdout(), containsString("cancelled Flink job " + jobId));
    }
  }
}
