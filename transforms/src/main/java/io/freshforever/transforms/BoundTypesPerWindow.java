package io.freshforever.transforms;

import io.freshforever.contract.EventContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * At most {@code maxTypes} event types in the live view, so that a producer inventing types cannot
 * grow the live view's state and writes, nor push out the types it already counts. Tallies of a
 * type without a place are counted under {@link EventContract#OTHER_TYPES} instead, and their
 * events as {@value FreshMetrics#EVENTS_OVER_TYPE_LIMIT}; the lake and the warehouse keep every
 * event under its own type.
 *
 * <p><b>Who has a place.</b> A type keeps its place while it has events in a window of the last
 * {@code typeMemory} of event time; a new type gets a place only while fewer than {@code maxTypes}
 * types hold one, first come, first served. So no window counts more than {@code maxTypes} types
 * (plus the overflow row), and a type counted before a flood is counted through it. Places of
 * types gone quiet are freed only when a new type finds none, at most once per newer window (the
 * sweep reads every place). The clock is the newest window seen here, which a producer can push
 * ahead of the watermark by at most the contract's future skew: keep {@code typeMemory} well above
 * window plus grace, or a type could lose its place while its window still takes late events.
 *
 * <p><b>One key, the global window.</b> The places span windows, which Beam's per-window state
 * cannot, so every tally goes to one state key in the global window, tagged with its window's
 * start. That key takes one tally per type, window and bundle, not one per event. The output is in
 * the global window with the tallies' own timestamps: window it again, into the same windows.
 */
final class BoundTypesPerWindow
    extends PTransform<PCollection<KV<String, Tally>>, PCollection<KV<String, Tally>>> {
  private final int maxTypes;
  private final Duration typeMemory;

  BoundTypesPerWindow(int maxTypes, Duration typeMemory) {
    if (maxTypes < 1) {
      throw new IllegalArgumentException("maxTypes must be at least 1, is " + maxTypes);
    }
    this.maxTypes = maxTypes;
    this.typeMemory = typeMemory;
  }

  @Override
  public PCollection<KV<String, Tally>> expand(PCollection<KV<String, Tally>> tallies) {
    return tallies
        .apply("TagWithWindowStart", ParDo.of(new TagWithWindowStartFn()))
        .setCoder(
            KvCoder.of(
                VarIntCoder.of(),
                KvCoder.of(VarLongCoder.of(), KvCoder.of(StringUtf8Coder.of(), Tally.TallyCoder.INSTANCE))))
        .apply("AllWindowsTogether", Window.into(new GlobalWindows()))
        .apply("CountKnownTypesOverflowNew", ParDo.of(new AdmitTypesFn(maxTypes, typeMemory.getMillis())))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Tally.TallyCoder.INSTANCE));
  }

  /** Every tally under the one state key, with the start of the window it counts. */
  private static final class TagWithWindowStartFn
      extends DoFn<KV<String, Tally>, KV<Integer, KV<Long, KV<String, Tally>>>> {
    private static final Integer ONE_KEY = 0;

    @ProcessElement
    public void process(
        @Element KV<String, Tally> tally,
        BoundedWindow window,
        OutputReceiver<KV<Integer, KV<Long, KV<String, Tally>>>> out) {
      out.output(KV.of(ONE_KEY, KV.of(((IntervalWindow) window).start().getMillis(), tally)));
    }
  }

  private static final class AdmitTypesFn
      extends DoFn<KV<Integer, KV<Long, KV<String, Tally>>>, KV<String, Tally>> {
    private final Counter overLimit =
        Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.EVENTS_OVER_TYPE_LIMIT);
    private final int maxTypes;
    private final long typeMemoryMillis;

    // The ids name state in checkpoints and savepoints: a new name would restore as empty.
    private static final String PLACES = "places";
    private static final String TAKEN = "taken";
    private static final String NEWEST_WINDOW = "newestWindow";
    private static final String SWEPT_AT = "sweptAt";

    /** Type -> start of the newest window it was counted in (epoch millis). */
    @StateId(PLACES)
    private final StateSpec<MapState<String, Long>> placesSpec =
        StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    /** How many places {@link #PLACES} holds: a map state cannot say without reading all of it. */
    @StateId(TAKEN)
    private final StateSpec<ValueState<Integer>> takenSpec = StateSpecs.value(VarIntCoder.of());

    @StateId(NEWEST_WINDOW)
    private final StateSpec<ValueState<Long>> newestWindowSpec = StateSpecs.value(VarLongCoder.of());

    @StateId(SWEPT_AT)
    private final StateSpec<ValueState<Long>> sweptAtSpec = StateSpecs.value(VarLongCoder.of());

    AdmitTypesFn(int maxTypes, long typeMemoryMillis) {
      this.maxTypes = maxTypes;
      this.typeMemoryMillis = typeMemoryMillis;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, KV<Long, KV<String, Tally>>> element,
        @StateId(PLACES) MapState<String, Long> places,
        @StateId(TAKEN) ValueState<Integer> takenState,
        @StateId(NEWEST_WINDOW) ValueState<Long> newestWindowState,
        @StateId(SWEPT_AT) ValueState<Long> sweptAtState,
        OutputReceiver<KV<String, Tally>> out) {
      long windowStart = element.getValue().getKey();
      String type = element.getValue().getValue().getKey();
      Tally tally = element.getValue().getValue().getValue();
      long newestWindow = orMin(newestWindowState.read());
      if (windowStart > newestWindow) {
        newestWindow = windowStart;
        newestWindowState.write(newestWindow);
      }

      Long countedIn = places.get(type).read();
      if (countedIn != null) {
        if (windowStart > countedIn) {
          places.put(type, windowStart);
        }
        out.output(KV.of(type, tally));
        return;
      }
      int taken = takenState.read() == null ? 0 : takenState.read();
      if (taken >= maxTypes && orMin(sweptAtState.read()) < newestWindow) {
        taken = freePlacesCountedBefore(places, newestWindow - typeMemoryMillis);
        takenState.write(taken);
        sweptAtState.write(newestWindow);
      }
      if (taken < maxTypes) {
        places.put(type, windowStart);
        takenState.write(taken + 1);
        out.output(KV.of(type, tally));
        return;
      }
      overLimit.inc(tally.count);
      out.output(KV.of(EventContract.OTHER_TYPES, tally));
    }

    /** Frees the places of types not counted since {@code horizon}; returns the places still taken. */
    private static int freePlacesCountedBefore(MapState<String, Long> places, long horizon) {
      List<String> quiet = new ArrayList<>();
      int taken = 0;
      for (Map.Entry<String, Long> place : places.entries().read()) {
        if (place.getValue() < horizon) {
          quiet.add(place.getKey());
        } else {
          taken++;
        }
      }
      quiet.forEach(places::remove);
      return taken;
    }

    private static long orMin(Long millis) {
      return millis == null ? Long.MIN_VALUE : millis;
    }
  }
}
