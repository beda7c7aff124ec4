package io.freshforever.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/** Deterministic coder for {@link WindowCount}. */
public final class WindowCountCoder extends AtomicCoder<WindowCount> {
  private static final WindowCountCoder INSTANCE = new WindowCountCoder();
  private static final PaneInfo.Timing[] TIMINGS = PaneInfo.Timing.values();

  public static WindowCountCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(WindowCount value, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(value.eventType(), out);
    InstantCoder.of().encode(value.windowStart(), out);
    InstantCoder.of().encode(value.windowEnd(), out);
    VarLongCoder.of().encode(value.count(), out);
    InstantCoder.of().encode(value.newestEventTime(), out);
    VarIntCoder.of().encode(value.timing().ordinal(), out);
    VarLongCoder.of().encode(value.paneIndex(), out);
    BooleanCoder.of().encode(value.last(), out);
  }

  @Override
  public WindowCount decode(InputStream in) throws IOException {
    return new WindowCount(
        StringUtf8Coder.of().decode(in),
        InstantCoder.of().decode(in),
        InstantCoder.of().decode(in),
        VarLongCoder.of().decode(in),
        InstantCoder.of().decode(in),
        TIMINGS[VarIntCoder.of().decode(in)],
        VarLongCoder.of().decode(in),
        BooleanCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
