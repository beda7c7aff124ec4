package io.freshforever.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.StreamingPipelineOptions;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.options.LiveStoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.flink.FlinkExecutionEnvironments;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/** The fresh commands fill in the local stack only for a job that runs in their own process. */
public class BeamArgsTest {
  @Before
  public void noEmulatorInTheEnvironment() {
    Assume.assumeTrue(System.getenv(LiveStoreOptions.EMULATOR_VARIABLE) == null);
  }

  @Test
  public void aLocalStreamingRunGetsTheLocalStacksAddresses() {
    List<String> args =
        BeamArgs.withLocalStack(List.of("--runner=DirectRunner"), StreamingPipelineOptions.class);
    assertEquals(
        List.of(
            "--runner=DirectRunner",
            "--kafkaBootstrapServers=" + EventContract.LOCAL_KAFKA,
            "--lake=" + EventContract.LOCAL_LAKE,
            "--bigtableProject=" + EventContract.LOCAL_BIGTABLE_PROJECT,
            "--bigtableInstance=" + EventContract.LOCAL_BIGTABLE_INSTANCE,
            "--bigtableEmulatorHost=" + EventContract.LOCAL_BIGTABLE_EMULATOR),
        args);
  }

  @Test
  public void onlyTheSettingsAPipelineHasAreFilledIn() {
    List<String> args = BeamArgs.withLocalStack(List.of("--runner=FlinkRunner"), BatchPipelineOptions.class);
    assertEquals(
        List.of("--runner=FlinkRunner", "--lake=" + EventContract.LOCAL_LAKE, "--warehouse=duckdb:" + EventContract.LOCAL_WAREHOUSE),
        args);
  }

  @Test
  public void aJobForAClusterGetsNoLocalAddressNorLocalCheckpoints() {
    for (List<String> cluster :
        List.of(
            List.of("--runner=FlinkRunner", "--flinkMaster=flink-jm:8081"),
            List.of("--runner=DataflowRunner"),
            List.of("--runner=org.apache.beam.runners.flink.FlinkRunner", "--flinkMaster=flink-jm:8081"))) {
      assertEquals(cluster, BeamArgs.withLocalStack(cluster, StreamingPipelineOptions.class));
      List<String> tuned = BeamArgs.forStreaming(cluster);
      assertTrue(tuned.toString(), tuned.stream().noneMatch(a -> a.startsWith("--stateBackendStoragePath")));
    }
  }

  @Test
  public void aLiveJobOnFlinkSendsItsNetworkBuffersWithinTenMilliseconds() {
    for (String master : List.of("[local]", "flink-jm:8081")) {
      List<String> args =
          BeamArgs.forStreaming(
              List.of("--runner=FlinkRunner", "--flinkMaster=" + master, "--stateBackendStoragePath=file:///checkpoints"));
      FlinkPipelineOptions options =
          PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(FlinkPipelineOptions.class);
      StreamExecutionEnvironment environment =
          FlinkExecutionEnvironments.createStreamExecutionEnvironment(options, List.of(), options.getFlinkConfDir());
      assertEquals(master, 10L, environment.getBufferTimeout());
    }
  }

  @Test
  public void aFlinkConfigurationThatSetsTheBufferTimeoutKeepsItsOwn() throws Exception {
    Path conf = Files.createTempDirectory("flink-conf");
    Files.writeString(conf.resolve("flink-conf.yaml"), "execution.buffer-timeout: 50 ms\n");
    List<String> args =
        BeamArgs.forStreaming(
            List.of("--runner=FlinkRunner", "--flinkMaster=flink-jm:8081", "--flinkConfDir=" + conf,
                "--stateBackendStoragePath=file:///checkpoints"));
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(FlinkPipelineOptions.class);
    assertEquals(
        50L,
        FlinkExecutionEnvironments.createStreamExecutionEnvironment(options, List.of(), options.getFlinkConfDir())
            .getBufferTimeout());
  }

  @Test
  public void embeddedFlinkIsLocal() {
    assertThat(
        BeamArgs.withLocalStack(List.of("--runner=FlinkRunner", "--flinkMaster=[local]"), StreamingPipelineOptions.class),
        hasItem("--kafkaBootstrapServers=" + EventContract.LOCAL_KAFKA));
  }

  @Test
  public void aNamedBigtableProjectNeverFallsBackToTheEmulator() {
    List<String> args =
        BeamArgs.withLocalStack(
            List.of("--runner=DirectRunner", "--bigtableProject=prod", "--bigtableInstance=live"),
            StreamingPipelineOptions.class);
    assertThat(args, hasItems("--bigtableProject=prod", "--bigtableInstance=live"));
    assertThat(args, not(hasItem("--bigtableEmulatorHost=" + EventContract.LOCAL_BIGTABLE_EMULATOR)));
  }

  @Test
  public void givenValuesWin() {
    List<String> args =
        BeamArgs.withLocalStack(
            List.of("--runner=DirectRunner", "--lake=/data/lake", "--bigtableEmulatorHost=localhost:9999"),
            StreamingPipelineOptions.class);
    assertEquals(1, args.stream().filter(a -> a.startsWith("--lake=")).count());
    assertThat(args, hasItems("--lake=/data/lake", "--bigtableEmulatorHost=localhost:9999",
        "--bigtableProject=" + EventContract.LOCAL_BIGTABLE_PROJECT));
    assertEquals(1, args.stream().filter(a -> a.startsWith("--bigtableEmulatorHost=")).count());
  }
}
