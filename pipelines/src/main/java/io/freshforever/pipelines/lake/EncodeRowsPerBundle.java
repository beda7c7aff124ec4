package io.freshforever.pipelines.lake;

import io.freshforever.transforms.directrunner.PartialsPerBundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.joda.time.Instant;

/** The rows of a bundle as one {@link EncodedRows} per partition and window. */
final class EncodeRowsPerBundle
    extends PartialsPerBundle<GenericRecord, String, EncodeRowsPerBundle.Batch, EncodedRows> {
  private final String schemaJson;
  private final SerializableFunction<GenericRecord, String> partitionOf;
  private transient GenericDatumWriter<GenericRecord> writer;

  static final class Batch {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
  }

  EncodeRowsPerBundle(Schema schema, SerializableFunction<GenericRecord, String> partitionOf) {
    this.schemaJson = schema.toString();
    this.partitionOf = partitionOf;
  }

  @Setup
  public void setup() {
    writer = new GenericDatumWriter<>(new Schema.Parser().parse(schemaJson));
  }

  @Override
  protected String keyOf(GenericRecord row) {
    return partitionOf.apply(row);
  }

  @Override
  protected Batch newPartial() {
    return new Batch();
  }

  @Override
  protected void add(Batch batch, GenericRecord row, Instant timestamp) throws IOException {
    writer.write(row, batch.encoder);
  }

  @Override
  protected EncodedRows outputOf(String partition, Batch batch) {
    return new EncodedRows(partition, batch.bytes.toByteArray());
  }
}
