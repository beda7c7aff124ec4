package io.freshforever.transforms;

import io.freshforever.contract.Event;
import io.freshforever.contract.WindowCount;
import io.freshforever.contract.WindowCountCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Per event type and window, the number of events and the newest event time: the one counting step
 * that the live view ({@link WindowedEventCounts}) and the exact history ({@link ExactWindowCounts})
 * share, so they can only differ in which events and panes reach it. The input must already be in
 * fixed (interval) windows and deduplicated.
 */
public final class CountEventsPerType extends PTransform<PCollection<Event>, PCollection<WindowCount>> {
  public static CountEventsPerType create() {
    return new CountEventsPerType();
  }

  @Override
  public PCollection<WindowCount> expand(PCollection<Event> events) {
    return events
        .apply(
            "KeyByType",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via((Event e) -> KV.of(e.eventType(), e.eventTime().getMillis())))
        .apply("CountAndNewest", Combine.perKey(new CountAndNewestFn()))
        .apply("ToWindowCount", ParDo.of(new ToWindowCountFn()))
        .setCoder(WindowCountCoder.of());
  }

  /** Count and newest event time of one pane, combined in one pass. */
  static final class Tally {
    long count;
    long newestMillis = Long.MIN_VALUE;
  }

  static final class CountAndNewestFn extends Combine.CombineFn<Long, Tally, Tally> {
    @Override
    public Tally createAccumulator() {
      return new Tally();
    }

    @Override
    public Tally addInput(Tally tally, Long eventTimeMillis) {
      tally.count++;
      tally.newestMillis = Math.max(tally.newestMillis, eventTimeMillis);
      return tally;
    }

    @Override
    public Tally mergeAccumulators(Iterable<Tally> tallies) {
      Iterator<Tally> it = tallies.iterator();
      Tally merged = it.next();
      while (it.hasNext()) {
        Tally next = it.next();
        merged.count += next.count;
        merged.newestMillis = Math.max(merged.newestMillis, next.newestMillis);
      }
      return merged;
    }

    @Override
    public Tally extractOutput(Tally tally) {
      return tally;
    }

    @Override
    public Coder<Tally> getAccumulatorCoder(CoderRegistry registry, Coder<Long> inputCoder) {
      return TallyCoder.INSTANCE;
    }

    @Override
    public Coder<Tally> getDefaultOutputCoder(CoderRegistry registry, Coder<Long> inputCoder) {
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

  private static final class ToWindowCountFn extends DoFn<KV<String, Tally>, WindowCount> {
    private final Counter lateUpdates =
        Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.LATE_UPDATES);

    @ProcessElement
    public void process(
        @Element KV<String, Tally> typeCount,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<WindowCount> out) {
      IntervalWindow interval = (IntervalWindow) window;
      Tally tally = typeCount.getValue();
      if (tally.count == 0) {
        // A pane with nothing in it says nothing; the FlinkRunner fires one after a window's state
        // was garbage-collected, with its pane index reset, which would overwrite a real count.
        return;
      }
      if (pane.getTiming() == PaneInfo.Timing.LATE) {
        lateUpdates.inc();
      }
      out.output(
          WindowCount.of(
              typeCount.getKey(),
              interval.start(),
              interval.end(),
              tally.count,
              new Instant(tally.newestMillis),
              pane.getTiming(),
              pane.getIndex(),
              pane.isLast()));
    }
  }
}
