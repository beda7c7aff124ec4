package io.freshforever.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;

/** Count and newest event time of some events of one type and window, combined in one pass. */
final class Tally {
  long count;
  long newestMillis = Long.MIN_VALUE;

  void add(long events, long newestEventMillis) {
    count += events;
    newestMillis = Math.max(newestMillis, newestEventMillis);
  }

  static final class Merge extends Combine.CombineFn<Tally, Tally, Tally> {
    @Override
    public Tally createAccumulator() {
      return new Tally();
    }

    @Override
    public Tally addInput(Tally merged, Tally partial) {
      merged.add(partial.count, partial.newestMillis);
      return merged;
    }

    @Override
    public Tally mergeAccumulators(Iterable<Tally> tallies) {
      Tally merged = new Tally();
      tallies.forEach(t -> merged.add(t.count, t.newestMillis));
      return merged;
    }

    @Override
    public Tally extractOutput(Tally tally) {
      return tally;
    }

    @Override
    public Coder<Tally> getAccumulatorCoder(
        CoderRegistry registry, Coder<Tally> inputCoder) {
      return TallyCoder.INSTANCE;
    }

    @Override
    public Coder<Tally> getDefaultOutputCoder(
        CoderRegistry registry, Coder<Tally> inputCoder) {
      return TallyCoder.INSTANCE;
    }
  }

  static final class TallyCoder extends AtomicCoder<Tally> {
    static final TallyCoder INSTANCE = new TallyCoder();

    @Override
    public void encode(Tally tally, OutputStream out) throws IOException {
      VarLongCoder.of().encode(tally.count, out);
      VarLongCoder.of().encode(tally.newestMillis, out);
    }

    @Override
    public Tally decode(InputStream in) throws IOException {
      Tally tally = new Tally();
      tally.count = VarLongCoder.of().decode(in);
      tally.newestMillis = VarLongCoder.of().decode(in);
      return tally;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
