package io.freshforever.pipelines.lake;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;

/** {@link EncodedRows} into a Parquet file: decoded back into Avro records for {@link ParquetIO}. */
final class EncodedRowsSink implements FileIO.Sink<EncodedRows> {
  private final String schemaJson;
  private final FileIO.Sink<GenericRecord> parquet;
  private transient GenericDatumReader<GenericRecord> reader;
  private transient BinaryDecoder decoder;

  EncodedRowsSink(Schema schema) {
    this.schemaJson = schema.toString();
    this.parquet = ParquetIO.sink(schema);
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    reader = new GenericDatumReader<>(new Schema.Parser().parse(schemaJson));
    parquet.open(channel);
  }

  @Override
  public void write(EncodedRows rows) throws IOException {
    decoder = DecoderFactory.get().binaryDecoder(rows.avro(), decoder);
    while (!decoder.isEnd()) {
      parquet.write(reader.read(null, decoder));
    }
  }

  @Override
  public void flush() throws IOException {
    parquet.flush();
  }
}
