package io.freshforever.pipelines;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.options.IngestLogOptions;
import io.freshforever.pipelines.options.LakeOptions;
import io.freshforever.pipelines.options.LiveViewOptions;
import io.freshforever.transforms.DedupByEventId;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Settings of the live job. Where the data lives (Kafka, the lake, Bigtable) has no default: a job
 * names its own, and the fresh commands name the local stack's. The lake itself is written by the
 * lake connector (Kafka Connect); the live job writes only its own dead letters there.
 */
public interface StreamingPipelineOptions
    extends StreamingOptions, IngestLogOptions, LakeOptions, LiveViewOptions {
  @Description("Kafka consumer group; offsets are committed to it so a restart resumes.")
  @Default.String("fresh-live")
  String getKafkaConsumerGroup();

  void setKafkaConsumerGroup(String value);

  @Description("The live job's own dead letters (counts Bigtable refused) are published to the"
      + " lake's dlq/ at most this many seconds after the first of them.")
  @Default.Long(60)
  long getLakeFlushSeconds();

  void setLakeFlushSeconds(long value);

  @Description("On a start without restored state, re-read the log from window + allowed lateness"
      + " + future skew + watermark delay + 1 minute before the last committed position, so that"
      + " every window still open is counted again from all its events. The fresh command turns it"
      + " off when Flink resumes from a checkpoint.")
  @Default.Boolean(true)
  boolean getRebuildLiveState();

  void setRebuildLiveState(boolean value);

  @Description("Early firings: how often (ms of processing time) an open window's count is written.")
  @Default.Long(EventContract.DEFAULT_EARLY_FIRING_MILLIS)
  long getEarlyFiringMillis();

  void setEarlyFiringMillis(long value);

  @Description("Dedup state buckets (state keys): more spread work over workers, fewer suit the DirectRunner.")
  @Default.Integer(DedupByEventId.DEFAULT_BUCKETS)
  int getDedupBuckets();

  void setDedupBuckets(int value);

  @Description("Secret (32 hex digits) that places event ids in dedup buckets, so that no producer can"
      + " aim its ids at one. A job restored from a checkpoint or savepoint must be given the one it ran"
      + " with. Default: a new one per launch; fresh stream keeps one beside its retained checkpoints.")
  String getDedupSecret();

  void setDedupSecret(String value);

  @Description("The live view counts at most this many event types per window; the events of"
      + " types beyond it are counted in one row, " + EventContract.OTHER_TYPES + ". A type keeps its"
      + " place while it has events in the last hour. The lake and the warehouse keep every type.")
  @Default.Integer(EventContract.DEFAULT_MAX_TYPES_PER_WINDOW)
  int getMaxTypesPerWindow();

  void setMaxTypesPerWindow(int value);

  @Description("Watermark delay in seconds: how far the watermark trails the newest event time.")
  @Default.Long(EventContract.DEFAULT_WATERMARK_DELAY_SECONDS)
  long getWatermarkDelaySeconds();

  void setWatermarkDelaySeconds(long value);
}
