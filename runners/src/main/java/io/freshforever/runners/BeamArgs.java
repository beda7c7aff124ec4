package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Beam options as the {@code fresh} commands pass them to a pipeline. */
final class BeamArgs {
  private BeamArgs() {}

  /**
   * The bounded jobs (batch, replay) run on the embedded Flink cluster unless told otherwise: the
   * DirectRunner makes a bundle of every key after the exact dedup and pays a per-bundle setup for
   * every later step, about 160 events/s (see docs/OPERATIONS.md, known issues).
   */
  static final String BATCH_RUNNER = "FlinkRunner";

  /**
   * The DirectRunner's immutability and encodability checks cost about 8x in throughput; they
   * catch bugs that the unit tests (where they stay on) already catch, so the `fresh` commands turn
   * them off unless asked.
   */
  static List<String> withLocalDefaults(List<String> options) {
    return withLocalDefaults(options, "DirectRunner");
  }

  /**
   * As {@link #withLocalDefaults(List)}, for the streaming pipeline: on Flink, a checkpoint every
   * 10 s; on the DirectRunner, 8 dedup buckets. It makes a bundle of each dedup key and copies every state cell a bundle touches; 8
   * measured best of 4, 8, 16 and 64 (docs/OPERATIONS.md, figures).
   */
  static List<String> forStreaming(List<String> options) {
    List<String> all = withLocalDefaults(options);
    if (all.contains("--runner=DirectRunner")) {
      addUnlessGiven(all, "--dedupBuckets", "8");
    } else if (all.stream().anyMatch(o -> o.startsWith("--runner=Flink"))) {
      // Checkpoints are what a restarted Flink job resumes from (RetainedCheckpoints).
      addUnlessGiven(all, "--checkpointingInterval", "10000");
      // Flink otherwise deep-copies every element between chained operators through its Beam
      // coder (profiled: the largest cost of the read-parse chain). Beam elements are immutable by
      // contract, and the DirectRunner's immutability check holds our DoFns to it.
      addUnlessGiven(all, "--objectReuse", "true");
    }
    return all;
  }

  /** As {@link #withLocalDefaults(List)}, with another runner when none is given. */
  static List<String> withLocalDefaults(List<String> options, String defaultRunner) {
    List<String> all = new ArrayList<>(options);
    addUnlessGiven(all, "--runner", defaultRunner);
    boolean flink = all.stream().anyMatch(o -> o.startsWith("--runner=Flink"));
    if (flink) {
      // Flink's default checkpoint storage is JobManager memory (5 MB): the lake writer's buffered
      // rows outgrow it within seconds, and each failed checkpoint restarts the job.
      addUnlessGiven(all, "--stateBackend", "filesystem");
      addUnlessGiven(
          all,
          "--stateBackendStoragePath",
          Path.of(EventContract.LOCAL_DIR, "flink-checkpoints")
              .toAbsolutePath()
              .toUri()
              .toString());
    } else {
      addUnlessGiven(all, "--enforceImmutability", "false");
      addUnlessGiven(all, "--enforceEncodability", "false");
    }
    return all;
  }

  static void addUnlessGiven(List<String> options, String name, String value) {
    if (options.stream().noneMatch(o -> o.equals(name) || o.startsWith(name + "="))) {
      options.add(name + "=" + value);
    }
  }
}
