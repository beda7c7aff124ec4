package io.freshforever.pipelines.lake;

import io.freshforever.contract.Event;
import io.freshforever.contract.LakeSchemas;
import io.freshforever.transforms.ToDeadLetters;
import io.freshforever.transforms.ToLakeRecords;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.values.PCollection;

/**
 * The lake's two writers (docs/CONTRACT.md, section 4): {@link #events} for every raw event,
 * duplicates and late ones included, by event time; {@link #deadLetters} for every bad record, by
 * ingest time, usable as the sink of a pipeline's bad-record {@code ErrorHandler}.
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

  public static WriteToLake<Event> events(LakeFiles files) {
    return new WriteToLake<>(
        ToLakeRecords.events(), files, LakeSchemas.EVENT, LakeSchemas::eventPartitionOf);
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
