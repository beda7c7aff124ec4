package io.freshforever.pipelines.lake;

import io.freshforever.lake.LakeSchemas;
import io.freshforever.transforms.ToDeadLetters;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.values.PCollection;

/**
 * Dead letters a pipeline makes itself (the live path's failed Bigtable writes) into the lake's
 * {@code dlq/}, by ingest time: the sink of a pipeline's bad-record {@code ErrorHandler}. Records
 * of the ingest log reach the lake through the lake connector ({@code io.freshforever.lake.connect}), not
 * through a pipeline.
 */
public final class WriteToLake<T> extends PTransform<PCollection<T>, WriteFilesResult<String>> {
  private final PTransform<PCollection<T>, PCollection<GenericRecord>> toRows;
  private final LakeFiles files;
  private final Schema schema;
  private final SerializableFunction<GenericRecord, String> partitionOf;

  private WriteToLake(
      PTransform<PCollection<T>, PCollection<GenericRecord>> toRows,
      LakeFiles files,
      Schema schema,
      SerializableFunction<GenericRecord, String> partitionOf) {
    this.toRows = toRows;
    this.files = files;
    this.schema = schema;
    this.partitionOf = partitionOf;
  }

  public static WriteToLake<BadRecord> deadLetters(LakeFiles files) {
    return new WriteToLake<>(
        new BadRecordsToRows(),
        files,
        LakeSchemas.DEAD_LETTER,
        LakeSchemas::deadLetterPartitionOf);
  }

  private static final class BadRecordsToRows
      extends PTransform<PCollection<BadRecord>, PCollection<GenericRecord>> {
    @Override
    public PCollection<GenericRecord> expand(PCollection<BadRecord> bad) {
      return bad.apply("ToDeadLetters", ToDeadLetters.create())
          .apply("ToRows", ToLakeRecords.deadLetters());
    }
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<T> input) {
    return input
        .apply("ToLakeRows", toRows)
        .apply("WriteFiles", new WriteLakeFiles(files, schema, partitionOf));
  }
}
