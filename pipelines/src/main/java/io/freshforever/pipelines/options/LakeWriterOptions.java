package io.freshforever.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The lake writer: a consumer of the ingest log of its own that publishes Parquet files into the lake. */
public interface LakeWriterOptions extends IngestLogOptions, LakeOptions {
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
}
