package io.freshforever.pipelines.lake;

import io.freshforever.contract.DeadLetter;
import io.freshforever.lake.LakeSchemas;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Contract types to lake rows ({@link LakeSchemas}): {@link #deadLetters()} for records a
 * pipeline rejects. Element timestamps are kept,
 * so a windowed file write downstream places each row by its own time.
 */
public final class ToLakeRecords<T> extends PTransform<PCollection<T>, PCollection<GenericRecord>> {
  private final SerializableFunction<T, GenericRecord> toRecord;
  private final Schema schema;

  private ToLakeRecords(SerializableFunction<T, GenericRecord> toRecord, Schema schema) {
    this.toRecord = toRecord;
    this.schema = schema;
  }

  public static ToLakeRecords<DeadLetter> deadLetters() {
    return new ToLakeRecords<>(LakeSchemas::toRecord, LakeSchemas.DEAD_LETTER);
  }

  @Override
  public PCollection<GenericRecord> expand(PCollection<T> input) {
    return input
        .apply("ToAvro", MapElements.into(TypeDescriptor.of(GenericRecord.class)).via(toRecord))
        .setCoder(AvroCoder.of(schema));
  }
}
