package io.freshforever.runners.stack;

import io.freshforever.pipelines.StreamingPipeline;
import io.freshforever.pipelines.StreamingPipelineOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Starts the streaming pipeline against a {@link LocalStack}, without blocking. */
public final class StreamingJobs {
  private StreamingJobs() {}

  /**
   * @param args Beam options: the runner (non-blocking: {@code --blockOnRun=false} or {@code
   *     --attachedMode=false}), topic, table, lake...; the stack's addresses are added
   */
  public static PipelineResult start(LocalStack stack, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.add("--kafkaBootstrapServers=" + stack.kafka.bootstrapServers());
    all.add("--bigtableEmulatorHost=" + stack.bigtable.host());
    StreamingPipelineOptions options =
        PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).as(StreamingPipelineOptions.class);
    options.setStreaming(true);
    Pipeline pipeline = Pipeline.create(options);
    StreamingPipeline.build(pipeline, options);
    return pipeline.run();
  }
}
