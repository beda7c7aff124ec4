package io.freshforever.runners;

import io.freshforever.runners.stack.BeamFlags;
import io.freshforever.runners.stack.Unreachable;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs a bounded pipeline for a command: bad options or an unreachable service exit 2, a failed run
 * exits 1, each in one line. With a {@link Progress}, it says what lies ahead before the run and
 * how far it got every {@value #PROGRESS_SECONDS} s.
 */
final class BeamRun {
  private BeamRun() {}

  private static final int PROGRESS_SECONDS = 10;

  /**
   * @param plan what the run will read, said before it starts
   * @param counters its counters so far, from the runner's live metrics: the DirectRunner's, where
   *     it has them; an attached Flink run reports its counters only when it ends
   */
  record Progress<O>(Function<O, String> plan, BiFunction<O, MetricResults, String> counters) {}

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
    if (all.contains("--runner=DirectRunner")) {
      BeamFlags.addUnlessGiven(all, "--blockOnRun", "false"); // its metrics then move while it runs
    }
    try {
      options = PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).withValidation().as(optionsType);
      pipeline = Pipeline.create(options);
      build.accept(pipeline, options);
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
    AtomicReference<PipelineResult> running = new AtomicReference<>();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon -> {
      Thread thread = new Thread(daemon, "fresh-" + command + "-progress");
      thread.setDaemon(true);
      return thread;
    });
    PipelineResult result;
    try {
      if (progress != null) {
        System.out.println("fresh " + command + ": " + progress.plan().apply(options));
        long started = System.nanoTime();
        ticker.scheduleAtFixedRate(
            () -> System.out.printf("fresh %s: %d s: %s%n", command,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), soFar(running.get(), progress, options)),
            PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
      }
      result = pipeline.run();
      running.set(result);
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

  private static <O extends PipelineOptions> String soFar(
      @Nullable PipelineResult running, Progress<O> progress, O options) {
    if (running == null) {
      return "running on " + options.getRunner().getSimpleName() + " (its counters arrive when it ends)";
    }
    try {
      return progress.counters().apply(options, running.metrics());
    } catch (RuntimeException unavailable) {
      return "running (counters unavailable: " + unavailable.getMessage() + ")";
    }
  }
}
