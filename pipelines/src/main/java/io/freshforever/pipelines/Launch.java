package io.freshforever.pipelines;

import java.util.List;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * How every main, {@code fresh} command and test launches a pipeline: options parsed and validated
 * from flags, then the graph wired by the pipeline's own {@code build}. The live job adds the
 * rewind of its consumer group ({@link LiveJob}); a command adds its messages and exit codes.
 */
public final class Launch {
  private Launch() {}

  /** The options {@code args} give; a bad or missing flag is an IllegalArgumentException. */
  public static <O extends PipelineOptions> O options(Class<O> type, List<String> args) {
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).withValidation().as(type);
  }

  /** A pipeline wired by {@code build}, not yet run. */
  public static <O extends PipelineOptions> Pipeline pipeline(O options, BiConsumer<Pipeline, O> build) {
    Pipeline pipeline = Pipeline.create(options);
    build.accept(pipeline, options);
    return pipeline;
  }

  /** The main of a bounded pipeline: runs it to its end. */
  public static <O extends PipelineOptions> void runToEnd(
      String[] args, Class<O> type, BiConsumer<Pipeline, O> build) {
    pipeline(options(type, List.of(args)), build).run().waitUntilFinish();
  }
}
