package io.freshforever.pipelines.lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * Lake rows of one partition on their way to a file: the rows of one bundle, Avro binary encoded
 * one after another.
 *
 * <p>Why: a file writer holds a pane's rows in state until the pane fires (up to the flush
 * interval), and the DirectRunner copies that whole state through its coder for every bundle. One
 * byte array per bundle and partition copies at memory speed, where a {@code GenericRecord} per
 * row cost more than the rest of the pipeline together.
 */
record EncodedRows(String partition, byte[] avro) {

  static final class Coder extends AtomicCoder<EncodedRows> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(EncodedRows rows, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(rows.partition(), out);
      ByteArrayCoder.of().encode(rows.avro(), out);
    }

    @Override
    public EncodedRows decode(InputStream in) throws IOException {
      return new EncodedRows(StringUtf8Coder.of().decode(in), ByteArrayCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
