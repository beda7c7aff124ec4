package io.freshforever.runners;

import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.lake.LakeListing;
import io.freshforever.runners.stack.Unreachable;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs a bounded pipeline for a command: bad options or an unreachable service exit 2, a failed run
 * exits 1, each in one line. With a {@link Progress}, it says what lies ahead in the lake before the
 * run and how far it got every {@value #PROGRESS_SECONDS} s ({@link LakeReadProgress}).
 */
final class BeamRun {
  private BeamRun() {}

  private static final int PROGRESS_SECONDS = 10;

  /**
   * @param lake the lake files the run will read, listed before it starts
   * @param what what the run does, for the line that says so, e.g. "loading X into Y"
   */
  record Progress<O>(Function<O, LakeListing> lake, Function<O, String> what) {}

  static <O extends PipelineOptions> int run(
      String command,
      List<String> args,
      String defaultRunner,
      Class<O> optionsType,
      BiConsumer<Pipeline, O> build,
      @Nullable Progress<O> progress,
      BiConsumer<O, MetricResults> report) {
    O options;
    Pipeline pipeline;
    List<String> all = BeamArgs.withLocalStack(BeamArgs.withRunnerDefaults(args, defaultRunner), optionsType);
    LakeReadProgress soFar = null;
    if (progress != null) {
      try {
        soFar = LakeReadProgress.of(all);
      } catch (IllegalArgumentException e) {
        System.err.println("fresh " + command + ": " + e.getMessage());
        return 2;
      }
      all = soFar.args();
    }
    try {
      options = Launch.options(optionsType, all);
      pipeline = Launch.pipeline(options, build);
    } catch (IllegalArgumentException e) {
      System.err.println("fresh " + command + ": " + e.getMessage());
      return 2;
    }
    if (BeamArgs.runsInThisProcess(all)) {
      try {
        Preflight.check(options, true);
      } catch (Unreachable e) {
        System.err.println("fresh " + command + ": " + e.getMessage());
        return 2;
      }
    }
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon -> {
      Thread thread = new Thread(daemon, "fresh-" + command + "-progress");
      thread.setDaemon(true);
      return thread;
    });
    PipelineResult result;
    try {
      if (progress != null) {
        LakeListing lake = progress.lake().apply(options);
        System.out.println("fresh " + command + ": " + progress.what().apply(options) + " from " + lake);
        long started = System.nanoTime();
        LakeReadProgress live = soFar;
        ticker.scheduleAtFixedRate(live::sample, 250, 250, TimeUnit.MILLISECONDS);
        ticker.scheduleAtFixedRate(
            () -> System.out.printf("fresh %s: %d s: %s%n", command,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), live.soFar(lake)),
            PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
      }
      result = pipeline.run();
      if (soFar != null) {
        soFar.running(result);
      }
      result.waitUntilFinish();
    } catch (RuntimeException e) {
      System.err.println("fresh " + command + " failed: " + Failures.rootMessage(e));
      return 1;
    } finally {
      ticker.shutdownNow();
    }
    report.accept(options, result.metrics());
    return 0;
  }
}
