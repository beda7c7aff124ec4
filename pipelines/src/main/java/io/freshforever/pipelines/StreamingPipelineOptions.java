package io.freshforever.pipelines;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.options.LakeOptions;
import io.freshforever.pipelines.options.LiveStoreOptions;
import io.freshforever.transforms.DedupByEventId;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;

/** Settings of the live path. The defaults point at the local stack (`./fresh stack`). */
public interface StreamingPipelineOptions
    extends StreamingOptions, LakeOptions, LiveStoreOptions {
  @Description("Kafka bootstrap servers.")
  @Default.String(EventContract.LOCAL_KAFKA)
  String getKafkaBootstrapServers();

  void setKafkaBootstrapServers(String value);

  @Description("The ingest topic.")
  @Default.String(EventContract.TOPIC)
  String getKafkaTopic();

  void setKafkaTopic(String value);

  @Description("Kafka consumer group; offsets are committed to it so a restart resumes.")
  @Default.String("fresh-live")
  String getKafkaConsumerGroup();

  void setKafkaConsumerGroup(String value);

  @Description("A Java properties file of extra Kafka consumer settings (e.g. security.protocol,"
      + " sasl.mechanism, sasl.jaas.config for an authenticated cluster); read where the job is"
      + " launched. Empty: none.")
  @Default.String("")
  String getKafkaConsumerPropertiesFile();

  void setKafkaConsumerPropertiesFile(String value);

  @Description("Where a consumer group without committed offsets starts: earliest or latest.")
  @Default.String("earliest")
  String getKafkaStartOffset();

  void setKafkaStartOffset(String value);

  @Description("Lake files are published (and their offsets committed) at most this many seconds"
      + " after their first row.")
  @Default.Long(60)
  long getLakeFlushSeconds();

  void setLakeFlushSeconds(long value);

  @Description("Kafka consumer group of the lake writer; its offsets are committed only after the"
      + " files that hold the records are published.")
  @Default.String("fresh-lake")
  String getLakeConsumerGroup();

  void setLakeConsumerGroup(String value);

  @Description("Run the lake writer beside the live path in this process. false when it runs as"
      + " a job of its own (fresh lake).")
  @Default.Boolean(true)
  boolean getWriteLake();

  void setWriteLake(boolean value);

  @Description("On a start without restored state, re-read the log from window + allowed lateness"
      + " + future skew + watermark delay + 1 minute before the last committed position, so that"
      + " every window still open is counted again from all its events. The fresh command turns it"
      + " off when Flink resumes from a checkpoint.")
  @Default.Boolean(true)
  boolean getRebuildLiveState();

  void setRebuildLiveState(boolean value);

  @Description("Live-view window size in seconds; a whole number of minutes keeps row keys per minute.")
  @Default.Long(EventContract.DEFAULT_WINDOW_SECONDS)
  long getWindowSeconds();

  void setWindowSeconds(long value);

  @Description("Early firings: how often (ms of processing time) an open window's count is written.")
  @Default.Long(EventContract.DEFAULT_EARLY_FIRING_MILLIS)
  long getEarlyFiringMillis();

  void setEarlyFiringMillis(long value);

  @Description("Allowed lateness in seconds: late events within it update the live view.")
  @Default.Long(EventContract.DEFAULT_ALLOWED_LATENESS_SECONDS)
  long getAllowedLatenessSeconds();

  void setAllowedLatenessSeconds(long value);

  @Description("Dedup state buckets (state keys): more spread work over workers, fewer suit the DirectRunner.")
  @Default.Integer(DedupByEventId.DEFAULT_BUCKETS)
  int getDedupBuckets();

  void setDedupBuckets(int value);

  @Description("Watermark delay in seconds: how far the watermark trails the newest event time.")
  @Default.Long(EventContract.DEFAULT_WATERMARK_DELAY_SECONDS)
  long getWatermarkDelaySeconds();

  void setWatermarkDelaySeconds(long value);

  @Description("How far (seconds) event_time may lie ahead of processing time before it is rejected.")
  @Default.Long(EventContract.DEFAULT_MAX_FUTURE_SKEW_SECONDS)
  long getMaxFutureSkewSeconds();

  void setMaxFutureSkewSeconds(long value);
}
