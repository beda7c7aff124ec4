package io.freshforever.pipelines;

import io.freshforever.pipelines.kafka.ReadIngestLog;
import io.freshforever.pipelines.lake.LakeFiles;
import io.freshforever.pipelines.lake.WriteToLake;
import io.freshforever.pipelines.live.LiveStore;
import io.freshforever.pipelines.live.WriteLiveCounts;
import io.freshforever.transforms.DedupByEventId;
import io.freshforever.transforms.ParseEvents;
import io.freshforever.transforms.WindowedEventCounts;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.joda.time.Duration;

/**
 * The live path: Kafka to per-minute counts in Bigtable within seconds.
 *
 * <pre>
 * ReadIngestLog ─► ParseEvents ─► DedupByEventId ─► WindowedEventCounts ─► WriteLiveCounts (Bigtable)
 * </pre>
 *
 * The lake is not written here: the lake connector ({@code io.freshforever.lake.connect}, run by
 * Kafka Connect) reads the same log as a consumer of its own and commits only what it has published,
 * which no runner's checkpointing can promise for files written inside a pipeline.
 */
public final class StreamingPipeline {
  private StreamingPipeline() {}

  /**
   * Submits the live job ({@code flink run -d}, Dataflow, a flex template) and returns; it never
   * cancels what it submitted, whatever happens to this process afterwards. Where the job runs in
   * this process (the DirectRunner, embedded Flink), the runner's run() blocks until it ends.
   */
  public static void main(String[] args) {
    LiveJob.start(Launch.options(StreamingPipelineOptions.class, List.of(args)));
  }

  /** Wires the live path into {@code pipeline}; tests build the very same graph. */
  public static void build(Pipeline pipeline, StreamingPipelineOptions options) {
    LakeFiles lake =
        LakeFiles.of(
            options.getLake(),
            Duration.standardSeconds(options.getLakeFlushSeconds()),
            1,
            runIdOf(options.getJobName()));
    Duration allowedLateness = Duration.standardSeconds(options.getAllowedLatenessSeconds());
    Duration window = Duration.standardSeconds(options.getWindowSeconds());

    // Failed Bigtable writes come out in the live view's windows: their dead letters are the live
    // path's own (the lake connector records every bad input record).
    BadRecordErrorHandler<WriteFilesResult<String>> failedWrites =
        pipeline.registerBadRecordErrorHandler(WriteToLake.deadLetters(lake.forWriter("bigtable")));

    pipeline
        .apply(
            "ReadIngestLog",
            new ReadIngestLog(
                options.getKafkaBootstrapServers(),
                options.getKafkaTopic(),
                options.getKafkaConsumerGroup(),
                options.getKafkaStartOffset(),
                Duration.standardSeconds(options.getWatermarkDelaySeconds()))
            .withConsumerProperties(
                ReadIngestLog.loadConsumerProperties(options.getKafkaConsumerPropertiesFile()))
            .inBatches(ReadIngestLog.batchWaitFor(options.getRunner())))
        .apply(
            "ParseEvents",
            // Bad records are counted here (dead_letters) and recorded by the lake connector.
            ParseEvents.countingDeadLetters()
                .withMaxFutureSkew(Duration.standardSeconds(options.getMaxFutureSkewSeconds()))
                .withMaxEventAge(Duration.standardDays(options.getMaxEventAgeDays())))
        .apply("DedupByEventId", dedup(options, window, allowedLateness))
        .apply(
            "WindowedEventCounts",
            WindowedEventCounts.create()
                .withWindow(window)
                .withEarlyFiringPeriod(Duration.millis(options.getEarlyFiringMillis()))
                .withAllowedLateness(allowedLateness)
                .withMaxTypes(options.getMaxTypesPerWindow()))
        .apply(
            "WriteLiveCounts",
            new WriteLiveCounts(LiveStore.forPipeline(options), failedWrites));

    failedWrites.close();
  }

  private static DedupByEventId dedup(
      StreamingPipelineOptions options, Duration window, Duration allowedLateness) {
    DedupByEventId dedup =
        DedupByEventId.perWindow(window, allowedLateness).withBuckets(options.getDedupBuckets());
    return options.getDedupSecret() == null ? dedup : dedup.withBucketSecret(options.getDedupSecret());
  }

  /** Beam makes job names unique per launch; file names keep only the safe characters. */
  static String runIdOf(String jobName) {
    return jobName.replaceAll("[^A-Za-z0-9-]", "-");
  }
}
