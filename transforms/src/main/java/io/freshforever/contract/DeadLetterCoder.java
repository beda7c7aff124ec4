package io.freshforever.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Deterministic coder for {@link DeadLetter}. */
public final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
  private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();
  private static final NullableCoder<byte[]> PAYLOAD = NullableCoder.of(ByteArrayCoder.of());

  public static DeadLetterCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DeadLetter value, OutputStream out) throws IOException {
    PAYLOAD.encode(value.payload(), out);
    StringUtf8Coder.of().encode(value.reason(), out);
    StringUtf8Coder.of().encode(value.message(), out);
    InstantCoder.of().encode(value.ingestTime(), out);
    VarIntCoder.of().encode(value.kafkaPartition(), out);
    VarLongCoder.of().encode(value.kafkaOffset(), out);
  }

  @Override
  public DeadLetter decode(InputStream in) throws IOException {
    return new DeadLetter(
        PAYLOAD.decode(in),
        StringUtf8Coder.of().decode(in),
        StringUtf8Coder.of().decode(in),
        InstantCoder.of().decode(in),
        VarIntCoder.of().decode(in),
        VarLongCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
