package io.freshforever.pipelines.lake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The rows of a bundle as one {@link EncodedRows} per partition and window, stamped with the
 * oldest row's timestamp (never later than a row it carries).
 */
final class EncodeRowsPerBundle extends DoFn<GenericRecord, EncodedRows> {
  private final String schemaJson;
  private final SerializableFunction<GenericRecord, String> partitionOf;
  private transient GenericDatumWriter<GenericRecord> writer;
  private transient Map<Target, Batch> batches;

  private record Target(String partition, BoundedWindow window) {}

  private static final class Batch {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    Instant oldest = BoundedWindow.TIMESTAMP_MAX_VALUE;
  }

  EncodeRowsPerBundle(Schema schema, SerializableFunction<GenericRecord, String> partitionOf) {
    this.schemaJson = schema.toString();
    this.partitionOf = partitionOf;
  }

  @Setup
  public void setup() {
    writer = new GenericDatumWriter<>(new Schema.Parser().parse(schemaJson));
  }

  @StartBundle
  public void startBundle() {
    batches = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element GenericRecord row, @Timestamp Instant timestamp, BoundedWindow window)
      throws IOException {
    Batch batch = batches.computeIfAbsent(new Target(partitionOf.apply(row), window), t -> new Batch());
    writer.write(row, batch.encoder);
    if (timestamp.isBefore(batch.oldest)) {
      batch.oldest = timestamp;
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    batches.forEach(
        (target, batch) ->
            context.output(
                new EncodedRows(target.partition(), batch.bytes.toByteArray()),
                batch.oldest,
                target.window()));
    batches = null;
  }
}
