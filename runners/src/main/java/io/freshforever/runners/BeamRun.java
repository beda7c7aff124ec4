package io.freshforever.runners;

import io.freshforever.runners.stack.Unreachable;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Runs a bounded pipeline for a command: bad options or an unreachable service exit 2, a failed run
 * exits 1, each in one line.
 */
final class BeamRun {
  private BeamRun() {}

  static <O extends PipelineOptions> int run(
      String command,
      List<String> args,
      String defaultRunner,
      Class<O> optionsType,
      BiConsumer<Pipeline, O> build,
      BiConsumer<O, MetricResults> report) {
    O options;
    Pipeline pipeline;
    List<String> all = BeamArgs.withLocalStack(BeamArgs.withRunnerDefaults(args, defaultRunner), optionsType);
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
    PipelineResult result;
    try {
      result = pipeline.run();
      result.waitUntilFinish();
    } catch (RuntimeException e) {
      System.err.println("fresh " + command + " failed: " + Failures.rootMessage(e));
      return 1;
    }
    report.accept(options, result.metrics());
    return 0;
  }
}
