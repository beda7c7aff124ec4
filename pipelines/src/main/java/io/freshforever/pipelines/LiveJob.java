package io.freshforever.pipelines;

import io.freshforever.pipelines.kafka.ReadIngestLog;
import io.freshforever.pipelines.kafka.RewindConsumerGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live job, the one way every main, command and test starts it: the consumer group is first
 * rewound when the job has no state to restore ({@link RewindConsumerGroup}), then the pipeline is
 * run.
 *
 * <p>{@link #start} returns once the job runs (submitted, for a cluster or Dataflow), except on
 * runners whose {@code run()} blocks (the DirectRunner with {@code --blockOnRun=true}, Flink
 * attached): there it returns when the pipeline ends. Nothing here cancels a job by itself: {@link
 * #close} is for a job that runs in the caller's own process.
 */
public final class LiveJob implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveJob.class);
  /** Beyond window, grace, skew and delay: the live job's own lag at the moment it stopped. */
  private static final Duration REWIND_MARGIN = Duration.ofMinutes(1);

  private final PipelineResult pipeline;
  private final String rebuild;

  private LiveJob(PipelineResult pipeline, String rebuild) {
    this.pipeline = pipeline;
    this.rebuild = rebuild;
  }

  public static LiveJob start(StreamingPipelineOptions options) {
    options.setStreaming(true);
    FileSystems.setDefaultPipelineOptions(options);
    String rebuild = "";
    if (options.getRebuildLiveState()) {
      Map<Integer, String> moved =
          RewindConsumerGroup.bySpan(
              options.getKafkaBootstrapServers(),
              options.getKafkaTopic(),
              options.getKafkaConsumerGroup(),
              ReadIngestLog.loadConsumerProperties(options.getKafkaConsumerPropertiesFile()),
              rebuildSpan(options));
      if (!moved.isEmpty()) {
        rebuild =
            "live path starts without restored state: re-reading the last "
                + rebuildSpan(options).toSeconds()
                + " s of the log to count the open windows again (offsets by partition "
                + moved
                + ")";
        LOG.info(rebuild);
      }
    }
    return new LiveJob(Launch.pipeline(options, StreamingPipeline::build).run(), rebuild);
  }

  /** The log time that can hold events of a window still open when the last job stopped. */
  static Duration rebuildSpan(StreamingPipelineOptions options) {
    return Duration.ofSeconds(
            options.getWindowSeconds()
                + options.getAllowedLatenessSeconds()
                + options.getMaxFutureSkewSeconds()
                + options.getWatermarkDelaySeconds())
        .plus(REWIND_MARGIN);
  }

  public PipelineResult pipeline() {
    return pipeline;
  }

  /** What the start did to rebuild the open windows without restored state; empty when nothing. */
  public String rebuild() {
    return rebuild;
  }

  /**
   * Cancels the pipeline: for a job that runs in this process (the DirectRunner, embedded Flink),
   * which ends with it anyway. Launchers of cluster and Dataflow jobs never call it.
   */
  @Override
  public void close() {
    try {
      if (!pipeline.getState().isTerminal()) {
        pipeline.cancel();
      }
    } catch (IOException | RuntimeException alreadyGone) {
      LOG.debug("the live pipeline could not be cancelled: {}", alreadyGone.toString());
    }
  }
}
