package io.freshforever.pipelines;

import io.freshforever.pipelines.kafka.ReadIngestLog;
import io.freshforever.pipelines.kafka.RewindConsumerGroup;
import io.freshforever.pipelines.lake.LakeWriter;
import io.freshforever.pipelines.options.LakeWriterOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming process, the one way every command and test starts it: the lake writer (unless
 * it runs as a job of its own) and the live pipeline, which first rewinds its consumer group when it
 * has no state to restore ({@link RewindConsumerGroup}).
 *
 * <p>{@link #start} returns once both run, except on runners whose {@code run()} blocks (the
 * DirectRunner with {@code --blockOnRun=true}, Flink attached): there it returns when the
 * pipeline ends.
 */
public final class LiveJob implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveJob.class);
  /** Beyond window, grace, skew and delay: the live job's own lag at the moment it stopped. */
  private static final Duration REWIND_MARGIN = Duration.ofMinutes(1);

  private final @Nullable LakeWriter lakeWriter;
  private @Nullable PipelineResult pipeline;
  private String rebuild = "";

  private LiveJob(@Nullable LakeWriter lakeWriter) {
    this.lakeWriter = lakeWriter;
  }

  public static LiveJob start(StreamingPipelineOptions options) {
    options.setStreaming(true);
    FileSystems.setDefaultPipelineOptions(options);
    Map<String, String> consumerProperties =
        ReadIngestLog.loadConsumerProperties(options.getKafkaConsumerPropertiesFile());
    LiveJob job =
        new LiveJob(options.getWriteLake() ? LakeWriter.start(lakeWriterSettings(options, consumerProperties)) : null);
    try {
      if (options.getRebuildLiveState()) {
        Map<Integer, String> moved =
            RewindConsumerGroup.bySpan(
                options.getKafkaBootstrapServers(),
                options.getKafkaTopic(),
                options.getKafkaConsumerGroup(),
                consumerProperties,
                rebuildSpan(options));
        if (!moved.isEmpty()) {
          job.rebuild =
              "live path starts without restored state: re-reading the last "
                  + rebuildSpan(options).toSeconds()
                  + " s of the log to count the open windows again (offsets by partition "
                  + moved
                  + ")";
          LOG.info(job.rebuild);
        }
      }
      job.pipeline = Launch.pipeline(options, StreamingPipeline::build).run();
      return job;
    } catch (RuntimeException e) {
      job.close();
      throw e;
    }
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

  public static LakeWriter.Settings lakeWriterSettings(LakeWriterOptions options) {
    return lakeWriterSettings(options, ReadIngestLog.loadConsumerProperties(options.getKafkaConsumerPropertiesFile()));
  }

  private static LakeWriter.Settings lakeWriterSettings(
      LakeWriterOptions options, Map<String, String> consumerProperties) {
    return new LakeWriter.Settings(
        options.getKafkaBootstrapServers(),
        options.getKafkaTopic(),
        options.getLakeConsumerGroup(),
        options.getKafkaStartOffset(),
        consumerProperties,
        options.getLake(),
        Duration.ofSeconds(options.getLakeFlushSeconds()),
        org.joda.time.Duration.standardSeconds(options.getMaxFutureSkewSeconds()));
  }

  public PipelineResult pipeline() {
    return pipeline;
  }

  /** What the start did to rebuild the open windows without restored state; empty when nothing. */
  public String rebuild() {
    return rebuild;
  }

  public @Nullable LakeWriter lakeWriter() {
    return lakeWriter;
  }

  /** Blocks until the pipeline ends (a streaming pipeline: until it is cancelled or fails). */
  public void waitUntilFinish() {
    if (pipeline != null) {
      pipeline.waitUntilFinish();
    }
  }

  /** Cancels the pipeline, then publishes what the lake writer holds and stops it. */
  @Override
  public void close() {
    try {
      if (pipeline != null && !pipeline.getState().isTerminal()) {
        pipeline.cancel();
      }
    } catch (IOException | RuntimeException alreadyGone) {
      LOG.debug("the live pipeline could not be cancelled: {}", alreadyGone.toString());
    } finally {
      if (lakeWriter != null) {
        lakeWriter.close();
      }
    }
  }
}
