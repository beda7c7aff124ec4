package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.options.LiveStoreOptions;
import io.freshforever.runners.flink.EmbeddedFlinkConf;
import io.freshforever.runners.stack.BeamFlags;
import io.freshforever.runners.stack.StackAddresses;
import io.freshforever.runners.stack.StackBuild;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Beam options as the {@code fresh} commands pass them to a pipeline. The pipelines' options have
 * no local defaults (a cluster job that forgets a flag must fail, not write to a laptop's address);
 * the commands add the local stack's, and only when the job runs in this process.
 */
final class BeamArgs {
  private BeamArgs() {}

  /**
   * The bounded jobs (batch, replay) run on the embedded Flink cluster unless told otherwise: the
   * DirectRunner makes a bundle of every key after the exact dedup and pays a per-bundle setup for
   * every later step (docs/BENCHMARKS.md).
   */
  static final String BATCH_RUNNER = "FlinkRunner";

  /** Flink masters that mean "in this process". */
  private static final Set<String> EMBEDDED_FLINK = Set.of("[local]", "[auto]", "[collection]");

  /** Where the local stack keeps each setting, by Beam option name. */
  private static final Map<String, String> LOCAL_STACK = new LinkedHashMap<>();

  static {
    LOCAL_STACK.put("kafkaBootstrapServers", EventContract.LOCAL_KAFKA);
    LOCAL_STACK.put("lake", EventContract.LOCAL_LAKE);
    LOCAL_STACK.put("warehouse", EventContract.LOCAL_WAREHOUSE_TARGET);
  }

  /**
   * As {@link #withRunnerDefaults}, for the streaming pipeline: on Flink, a checkpoint every 10 s;
   * on the DirectRunner, 8 dedup buckets (docs/BENCHMARKS.md).
   */
  static List<String> forStreaming(List<String> options) {
    List<String> all = withRunnerDefaults(options, "DirectRunner");
    if (all.contains("--runner=DirectRunner")) {
      BeamFlags.addUnlessGiven(all, "--dedupBuckets", "8");
    } else if (all.stream().anyMatch(o -> o.startsWith("--runner=Flink"))) {
      // Checkpoints are what a restarted Flink job resumes from (RetainedCheckpoints).
      BeamFlags.addUnlessGiven(all, "--checkpointingInterval", "10000");
      // Flink otherwise deep-copies every element between chained operators through its Beam
      // coder (profiled: the largest cost of the read-parse chain). Beam elements are immutable by
      // contract, and the DirectRunner's immutability check holds our DoFns to it.
      BeamFlags.addUnlessGiven(all, "--objectReuse", "true");
      // Beam's Flink bundles last up to a second by default, and the Bigtable writes of a bundle
      // flush when it ends: 150 ms keeps a count's p99 under a second (docs/BENCHMARKS.md, issue
      // 26) for ~10-20% of the drain rate.
      BeamFlags.addUnlessGiven(all, "--maxBundleTimeMills", "150");
      // A network buffer between two tasks is sent when full or after this long (Flink: 100 ms). The
      // live view crosses four such hops, which at a trickle each waited out: ~0.2 s of a count's
      // p50. A job-level setting, read from the submitting side's configuration (DEPLOY.md sets it
      // for production clusters); a configuration that sets it keeps its own.
      return EmbeddedFlinkConf.withUnlessSet(all, "execution.buffer-timeout", "10 ms");
    }
    return all;
  }

  /**
   * The live job's options for the cluster that {@code fresh stack --cluster} runs from {@code dir}:
   * its addresses (Kafka, the emulator, the lake, the JobManager), the job jar, detached submission
   * and a checkpoint folder of its own; the rest of {@code given} is kept.
   *
   * @throws IllegalArgumentException when no cluster runs from {@code dir}
   */
  static List<String> onLocalCluster(List<String> given, Path dir) {
    StackAddresses stack = StackAddresses.read(dir.resolve("cluster"));
    List<String> all = new ArrayList<>(given);
    BeamFlags.replace(all, "--runner", "FlinkRunner");
    BeamFlags.replace(all, "--flinkMaster", stack.flinkMaster());
    BeamFlags.replace(all, "--attachedMode", "false");
    BeamFlags.addUnlessGiven(all, "--filesToStage", StackBuild.jobJar().toString());
    BeamFlags.addUnlessGiven(all, "--parallelism", "2");
    BeamFlags.replace(all, "--kafkaBootstrapServers", stack.kafka());
    BeamFlags.replace(all, "--bigtableEmulatorHost", stack.bigtableEmulator());
    BeamFlags.addUnlessGiven(all, "--bigtableProject", EventContract.LOCAL_BIGTABLE_PROJECT);
    BeamFlags.addUnlessGiven(all, "--bigtableInstance", EventContract.LOCAL_BIGTABLE_INSTANCE);
    BeamFlags.replace(all, "--lake", stack.lake().toString());
    BeamFlags.addUnlessGiven(
        all, "--stateBackendStoragePath", dir.resolve("cluster").resolve("checkpoints").toAbsolutePath().toUri().toString());
    return forStreaming(all);
  }

  /**
   * The runner ({@code defaultRunner} when none is given) and what it needs to run here. Flink gets
   * checkpoints on disk, under the local folder when it is embedded, and then every address of the
   * embedded cluster on loopback ({@link EmbeddedFlinkConf#LOOPBACK}). The DirectRunner's immutability
   * and encodability checks are off: they cost most of its throughput (docs/BENCHMARKS.md, "Runner
   * accommodations") and catch bugs that the unit tests, where they stay on, already catch.
   */
  static List<String> withRunnerDefaults(List<String> options, String defaultRunner) {
    List<String> all = new ArrayList<>(options);
    BeamFlags.addUnlessGiven(all, "--runner", defaultRunner);
    if (all.stream().anyMatch(o -> o.startsWith("--runner=Flink"))) {
      // Flink's default checkpoint storage is JobManager memory (5 MB): the job's state outgrows it
      // within seconds, and each failed checkpoint restarts the job.
      BeamFlags.addUnlessGiven(all, "--stateBackend", "filesystem");
      if (runsInThisProcess(all)) {
        BeamFlags.addUnlessGiven(
            all,
            "--stateBackendStoragePath",
            Path.of(EventContract.LOCAL_DIR, "flink-checkpoints").toAbsolutePath().toUri().toString());
        return EmbeddedFlinkConf.with(all, EmbeddedFlinkConf.LOOPBACK);
      }
    } else if (runsInThisProcess(all)) {
      BeamFlags.addUnlessGiven(all, "--enforceImmutability", "false");
      BeamFlags.addUnlessGiven(all, "--enforceEncodability", "false");
    }
    return all;
  }

  /**
   * For a job that runs in this process, the local stack's address of every setting of {@code
   * optionsType} the command does not name; a job on a cluster gets none, so that a forgotten flag
   * fails validation there.
   */
  static List<String> withLocalStack(List<String> options, Class<? extends PipelineOptions> optionsType) {
    List<String> all = new ArrayList<>(options);
    if (!runsInThisProcess(all)) {
      return all;
    }
    LOCAL_STACK.forEach(
        (name, value) -> {
          if (hasOption(optionsType, name)) {
            BeamFlags.addUnlessGiven(all, "--" + name, value);
          }
        });
    if (LiveStoreOptions.class.isAssignableFrom(optionsType)) {
      addLocalBigtable(all);
    }
    return all;
  }

  /**
   * The options of a command that reads the live view in this process ({@code fresh counts},
   * {@code dashboard}, {@code reconcile}): the local stack's Bigtable unless a project is named.
   *
   * @throws IllegalArgumentException for a bad flag or value, with the message to print
   */
  static <O extends LiveStoreOptions> O forReader(List<String> given, Class<O> optionsType) {
    List<String> all = new ArrayList<>(given);
    addLocalBigtable(all);
    return Launch.options(optionsType, all);
  }

  /**
   * The emulator's project and instance, and the emulator itself, unless a Bigtable project is named:
   * naming one means a real instance, so the emulator comes only from the flag or
   * BIGTABLE_EMULATOR_HOST, never from here.
   */
  private static void addLocalBigtable(List<String> all) {
    if (BeamFlags.given(all, "--bigtableProject") || BeamFlags.given(all, "--bigtableInstance")) {
      return;
    }
    all.add("--bigtableProject=" + EventContract.LOCAL_BIGTABLE_PROJECT);
    all.add("--bigtableInstance=" + EventContract.LOCAL_BIGTABLE_INSTANCE);
    if (System.getenv(LiveStoreOptions.EMULATOR_VARIABLE) == null) {
      BeamFlags.addUnlessGiven(all, "--bigtableEmulatorHost", EventContract.LOCAL_BIGTABLE_EMULATOR);
    }
  }

  /** The DirectRunner, or Flink embedded here; a Flink cluster, Dataflow or another runner is not. */
  static boolean runsInThisProcess(List<String> options) {
    String runner = BeamFlags.runner(options);
    if ("DirectRunner".equals(runner)) {
      return true;
    }
    if (runner == null || !runner.startsWith("Flink")) {
      return false;
    }
    String master = BeamFlags.value(options, "--flinkMaster");
    return master == null || EMBEDDED_FLINK.contains(master);
  }

  private static boolean hasOption(Class<?> optionsType, String name) {
    try {
      optionsType.getMethod("get" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
      return true;
    } catch (NoSuchMethodException absent) {
      return false;
    }
  }
}
