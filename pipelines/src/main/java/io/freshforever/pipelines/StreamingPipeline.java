package io.freshforever.pipelines;

import io.freshforever.contract.Event;
import io.freshforever.pipelines.kafka.ReadIngestLog;
import io.freshforever.pipelines.lake.LakeFiles;
import io.freshforever.pipelines.lake.WriteToLake;
import io.freshforever.pipelines.live.LiveStore;
import io.freshforever.pipelines.live.WriteLiveCounts;
import io.freshforever.transforms.DedupByEventId;
import io.freshforever.transforms.ParseEvents;
import io.freshforever.transforms.WindowedEventCounts;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The live path: Kafka to per-minute counts in Bigtable within seconds, and every raw record to the
 * Parquet lake.
 *
 * <pre>
 * ReadIngestLog ─► ParseEvents ─┬─► DedupByEventId ─► WindowedEventCounts ─► WriteLiveCounts (Bigtable)
 *                   │           └─► WriteToLake.events (lake/events/, duplicates and late ones too)
 *                   └─ bad records ─► WriteToLake.deadLetters (lake/dlq/)
 * </pre>
 */
public final class StreamingPipeline {
  private StreamingPipeline() {}

  public static void main(String[] args) {
    StreamingPipelineOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(StreamingPipelineOptions.class);
    options.setStreaming(true);
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, options);
    pipeline.run().waitUntilFinish();
  }

  /** Wires the live path into {@code pipeline}; tests build the very same graph. */
  public static void build(Pipeline pipeline, StreamingPipelineOptions options) {
    LakeFiles lake =
        LakeFiles.of(
            options.getLake(),
            Duration.standardSeconds(options.getLakeFlushSeconds()),
            options.getLakeShards(),
            runIdOf(options.getJobName()));
    Duration allowedLateness = Duration.standardSeconds(options.getAllowedLatenessSeconds());
    Duration window = Duration.standardSeconds(options.getWindowSeconds());

    BadRecordErrorHandler<WriteFilesResult<String>> deadLetters =
        pipeline.registerBadRecordErrorHandler(WriteToLake.deadLetters(lake.forWriter("parse")));
    // Failed Bigtable writes come out in the live view's windows, which cannot be flattened with
    // the parser's globally windowed bad records: they get a handler of their own.
    BadRecordErrorHandler<WriteFilesResult<String>> failedWrites =
        pipeline.registerBadRecordErrorHandler(WriteToLake.deadLetters(lake.forWriter("bigtable")));

    PCollection<Event> events =
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
                    ReadIngestLog.loadConsumerProperties(options.getKafkaConsumerPropertiesFile())))
            .apply(
                "ParseEvents",
                ParseEvents.withDeadLetters(deadLetters)
                    .withMaxFutureSkew(Duration.standardSeconds(options.getMaxFutureSkewSeconds())));

    events.apply("WriteEventsToLake", WriteToLake.events(lake));

    events
        .apply(
            "DedupByEventId",
            DedupByEventId.perWindow(window, allowedLateness)
                .withBuckets(options.getDedupBuckets()))
        .apply(
            "WindowedEventCounts",
            WindowedEventCounts.create()
                .withWindow(window)
                .withEarlyFiringPeriod(Duration.millis(options.getEarlyFiringMillis()))
                .withAllowedLateness(allowedLateness))
        .apply(
            "WriteLiveCounts",
            new WriteLiveCounts(LiveStore.from(options), failedWrites));

    deadLetters.close();
    failedWrites.close();
  }

  /** Beam makes job names unique per launch; file names keep only the safe characters. */
  static String runIdOf(String jobName) {
    return jobName.replaceAll("[^A-Za-z0-9-]", "-");
  }
}
