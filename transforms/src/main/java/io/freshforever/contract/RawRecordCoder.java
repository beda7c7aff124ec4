package io.freshforever.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Compact deterministic coder for {@link RawRecord}. */
public final class RawRecordCoder extends AtomicCoder<RawRecord> {
  private static final RawRecordCoder INSTANCE = new RawRecordCoder();
  private static final NullableCoder<byte[]> PAYLOAD = NullableCoder.of(ByteArrayCoder.of());

  public static RawRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(RawRecord value, OutputStream out) throws IOException {
    PAYLOAD.encode(value.payload(), out);
    InstantCoder.of().encode(value.ingestTime(), out);
    VarIntCoder.of().encode(value.kafkaPartition(), out);
    VarLongCoder.of().encode(value.kafkaOffset(), out);
  }

  @Override
  public RawRecord decode(InputStream in) throws IOException {
    return RawRecord.of(
        PAYLOAD.decode(in),
        InstantCoder.of().decode(in),
        VarIntCoder.of().decode(in),
        VarLongCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
