package io.freshforever.pipelines.lake;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Lake rows to Parquet files in their partition folders, for bounded and unbounded input alike.
 *
 * <p>Rows are re-windowed into the global window with a processing-time trigger: the global window
 * never closes, so no row is ever dropped as late (the live view's allowed lateness does not apply
 * here), and each trigger firing finalizes files, at the latest {@code flushEvery} after the first
 * row of a pane. File names are {@code part-{run}-{pane}-{shard}-of-{shards}.parquet}: a retry
 * writes the same name, and the run id keeps a restarted job from overwriting an earlier one's
 * files.
 */
public final class WriteLakeFiles
    extends PTransform<PCollection<GenericRecord>, WriteFilesResult<String>> {
  private final LakeFiles files;
  private final Schema schema;
  private final SerializableFunction<GenericRecord, String> partitionOf;

  WriteLakeFiles(
      LakeFiles files, Schema schema, SerializableFunction<GenericRecord, String> partitionOf) {
    this.files = files;
    this.schema = schema;
    this.partitionOf = partitionOf;
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<GenericRecord> rows) {
    String run = files.runId();
    Duration flushEvery = files.flushEvery();
    return rows.apply(
            "FlushEvery" + flushEvery.getStandardSeconds() + "s",
            Window.<GenericRecord>into(new GlobalWindows())
                .triggering(
                    Repeatedly.forever(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(flushEvery)))
                .discardingFiredPanes())
        .apply("EncodeRowsPerBundle", ParDo.of(new EncodeRowsPerBundle(schema, partitionOf)))
        .setCoder(EncodedRows.Coder.INSTANCE)
        .apply(
            "WriteParquet",
            FileIO.<String, EncodedRows>writeDynamic()
                .by(EncodedRows::partition)
                .withDestinationCoder(StringUtf8Coder.of())
                .via(new EncodedRowsSink(schema))
                .to(files.root())
                .withNaming(
                    partition ->
                        (window, pane, numShards, shardIndex, compression) ->
                            String.format(
                                "%s/part-%s-%05d-%03d-of-%03d.parquet",
                                partition, run, pane.getIndex(), shardIndex, numShards))
                .withNumShards(files.shards()));
  }
}
