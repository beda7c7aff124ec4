package io.freshforever.transforms;

import io.freshforever.contract.Event;
import io.freshforever.contract.WindowCount;
import io.freshforever.contract.WindowCountCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
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
        .apply("TallyWithinBundle", ParDo.of(new TallyWithinBundleFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), TallyCoder.INSTANCE))
        .apply("CountAndNewest", Combine.perKey(new MergeTalliesFn()))
        .apply("ToWindowCount", ParDo.of(new ToWindowCountFn()))
        .setCoder(WindowCountCoder.of());
  }

  /**
   * Combiner lifting by hand: one partial tally per event type, window and bundle goes into the
   * GroupByKey instead of one value per event. Runners lift combiners only under the default
   * trigger; under the live view's early and late firings the DirectRunner keeps every value of a
   * window in a bag and copies that whole bag for each bundle, so a window's cost grew with the
   * square of its events.
   */
  static final class TallyWithinBundleFn extends DoFn<Event, KV<String, Tally>> {
    /** A bundle's tally of one type and window, and the timestamp it goes out with. */
    private static final class Partial {
      final Tally tally = new Tally();
      Instant oldest = BoundedWindow.TIMESTAMP_MAX_VALUE;
    }

    private transient Map<KV<String, BoundedWindow>, Partial> partials;

    @StartBundle
    public void startBundle() {
      partials = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element Event event, @Timestamp Instant timestamp, BoundedWindow window) {
      Partial partial = partials.computeIfAbsent(KV.of(event.eventType(), window), k -> new Partial());
      partial.tally.add(1, event.eventTime().getMillis());
      // A partial tally carries its oldest event's timestamp: never later than an event it stands
      // for, so it can only be as late as they were, never later.
      if (timestamp.isBefore(partial.oldest)) {
        partial.oldest = timestamp;
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      partials.forEach(
          (key, partial) ->
              context.output(KV.of(key.getKey(), partial.tally), partial.oldest, key.getValue()));
    }
  }

  /** Count and newest event time of one pane (or part of one), combined in one pass. */
  static final class Tally {
    long count;
    long newestMillis = Long.MIN_VALUE;

    void add(long events, long newestEventMillis) {
      count += events;
      newestMillis = Math.max(newestMillis, newestEventMillis);
    }
  }

  static final class MergeTalliesFn extends Combine.CombineFn<Tally, Tally, Tally> {
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
    public Coder<Tally> getAccumulatorCoder(CoderRegistry registry, Coder<Tally> inputCoder) {
      return TallyCoder.INSTANCE;
    }

    @Override
    public Coder<Tally> getDefaultOutputCoder(CoderRegistry registry, Coder<Tally> inputCoder) {
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
