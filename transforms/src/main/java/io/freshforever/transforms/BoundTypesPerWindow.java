package io.freshforever.transforms;

import io.freshforever.contract.EventContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
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
import org.joda.time.Instant;

/**
 * At most {@code maxTypes} event types in the live view, so that a producer inventing types cannot
 * grow the live view's state and writes, nor push out the types it already counts. Tallies of a
 * type without a place are counted under {@link EventContract#OTHER_TYPES} instead, and their
 * events as {@value FreshMetrics#EVENTS_OVER_TYPE_LIMIT}; the lake and the warehouse keep every
 * event under its own type.
 *
 * <p><b>Who has a place.</b> A new type gets a place only while fewer than {@code maxTypes} types
 * hold one, first come, first served; a type keeps its place until it has had no events for
 * {@code typeMemory} of event time and its last window has closed (by the watermark). So no window
 * counts more than {@code maxTypes} types plus the overflow row, and a type counted in the last
 * {@code typeMemory} is counted through a flood. Places of types gone quiet are freed only when a
 * new type finds none, at most once per step of the horizon (the sweep reads every place).
 *
 * <p><b>A window is counted in one row per type.</b> A type that gets a place counts in its own row
 * only windows after the newest one in which any tally went to the overflow row: its earlier
 * windows may hold its events in that row already, so they stay there, never split over two rows.
 *
 * <p><b>One key, the global window.</b> The places span windows, which Beam's per-window state
 * cannot, so every tally goes to one state key in the global window, tagged with its window's
 * start. That key takes one tally per type, window and bundle, not one per event (a flood of
 * types makes it about one per event of the flood). The output is in the global window with the
 * tallies' own timestamps: window it again, into the same windows. The one timer learns how far
 * the watermark has come; it is set at an element's timestamp, so it holds nothing back.
 *
 * <p>The places are the job's state: a job started without state (afresh, or a stateless upgrade)
 * gives them out again first come, first served, from the log it reads.
 */
final class BoundTypesPerWindow
    extends PTransform<PCollection<KV<String, Tally>>, PCollection<KV<String, Tally>>> {
  private final int maxTypes;
  private final Duration typeMemory;
  private final Duration openFor;

  /**
   * @param openFor a window's size plus its grace: how long after its start a window takes events
   */
  BoundTypesPerWindow(int maxTypes, Duration typeMemory, Duration openFor) {
    if (maxTypes < 1) {
      throw new IllegalArgumentException("maxTypes must be at least 1, is " + maxTypes);
    }
    this.maxTypes = maxTypes;
    this.typeMemory = typeMemory;
    this.openFor = openFor;
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
        .apply(
            "CountKnownTypesOverflowNew",
            ParDo.of(new AdmitTypesFn(maxTypes, typeMemory.getMillis(), openFor.getMillis())))
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
    private final long openForMillis;

    // The ids name state in checkpoints and savepoints: a new name would restore as empty.
    private static final String PLACES = "places";
    private static final String TAKEN = "taken";
    private static final String NEWEST_WINDOW = "newestWindow";
    private static final String NEWEST_OVERFLOWED = "newestOverflowed";
    private static final String SWEPT_TO = "sweptTo";
    private static final String WATERMARK_PASSED = "watermarkPassed";
    private static final String WATCHING = "watching";
    private static final String WATCH = "watch";

    /** Type -> (first window start it counts in its own row, newest window start it counted). */
    @StateId(PLACES)
    private final StateSpec<MapState<String, KV<Long, Long>>> placesSpec =
        StateSpecs.map(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), VarLongCoder.of()));

    /** How many places {@link #PLACES} holds: a map state cannot say without reading all of it. */
    @StateId(TAKEN)
    private final StateSpec<ValueState<Integer>> takenSpec = StateSpecs.value(VarIntCoder.of());

    @StateId(NEWEST_WINDOW)
    private final StateSpec<ValueState<Long>> newestWindowSpec = StateSpecs.value(VarLongCoder.of());

    /** The newest window start of any tally counted in the overflow row. */
    @StateId(NEWEST_OVERFLOWED)
    private final StateSpec<ValueState<Long>> newestOverflowedSpec = StateSpecs.value(VarLongCoder.of());

    @StateId(SWEPT_TO)
    private final StateSpec<ValueState<Long>> sweptToSpec = StateSpecs.value(VarLongCoder.of());

    /** An instant the input watermark has passed (the last {@link #WATCH} timer's). */
    @StateId(WATERMARK_PASSED)
    private final StateSpec<ValueState<Long>> watermarkPassedSpec = StateSpecs.value(VarLongCoder.of());

    @StateId(WATCHING)
    private final StateSpec<ValueState<Boolean>> watchingSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId(WATCH)
    private final TimerSpec watchSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    AdmitTypesFn(int maxTypes, long typeMemoryMillis, long openForMillis) {
      this.maxTypes = maxTypes;
      this.typeMemoryMillis = typeMemoryMillis;
      this.openForMillis = openForMillis;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, KV<Long, KV<String, Tally>>> element,
        @Timestamp Instant timestamp,
        @StateId(PLACES) MapState<String, KV<Long, Long>> places,
        @StateId(TAKEN) ValueState<Integer> takenState,
        @StateId(NEWEST_WINDOW) ValueState<Long> newestWindowState,
        @StateId(NEWEST_OVERFLOWED) ValueState<Long> newestOverflowedState,
        @StateId(SWEPT_TO) ValueState<Long> sweptToState,
        @StateId(WATERMARK_PASSED) ValueState<Long> watermarkPassedState,
        @StateId(WATCHING) ValueState<Boolean> watching,
        @TimerId(WATCH) Timer watch,
        OutputReceiver<KV<String, Tally>> out) {
      long windowStart = element.getValue().getKey();
      String type = element.getValue().getValue().getKey();
      Tally tally = element.getValue().getValue().getValue();
      long newestWindow = orMin(newestWindowState.read());
      if (windowStart > newestWindow) {
        newestWindow = windowStart;
        newestWindowState.write(newestWindow);
      }
      if (watching.read() == null) {
        // Armed only when none is pending: moved forward with every element, it might never fire.
        watch.set(timestamp);
        watching.write(true);
      }

      KV<Long, Long> place = places.get(type).read();
      if (place == null) {
        int taken = takenState.read() == null ? 0 : takenState.read();
        // Quiet for the memory, and its last window closed: an unknown watermark frees nothing.
        Long watermarkPassed = watermarkPassedState.read();
        long horizon =
            watermarkPassed == null
                ? Long.MIN_VALUE
                : Math.min(newestWindow - typeMemoryMillis, watermarkPassed - openForMillis);
        if (taken >= maxTypes && horizon > orMin(sweptToState.read())) {
          taken = freePlacesCountedBefore(places, horizon);
          takenState.write(taken);
          sweptToState.write(horizon);
        }
        if (taken < maxTypes) {
          Long newestOverflowed = newestOverflowedState.read();
          place = KV.of(newestOverflowed == null ? Long.MIN_VALUE : newestOverflowed + 1, windowStart);
          places.put(type, place);
          takenState.write(taken + 1);
        }
      } else if (windowStart > place.getValue()) {
        places.put(type, KV.of(place.getKey(), windowStart));
      }
      if (place != null && windowStart >= place.getKey()) {
        out.output(KV.of(type, tally));
        return;
      }
      if (windowStart > orMin(newestOverflowedState.read())) {
        newestOverflowedState.write(windowStart);
      }
      overLimit.inc(tally.count);
      out.output(KV.of(EventContract.OTHER_TYPES, tally));
    }

    @OnTimer(WATCH)
    public void onWatch(
        OnTimerContext context,
        @StateId(WATERMARK_PASSED) ValueState<Long> watermarkPassed,
        @StateId(WATCHING) ValueState<Boolean> watching) {
      watermarkPassed.write(context.fireTimestamp().getMillis());
      watching.clear();
    }

    /** Frees the places of types last counted before {@code horizon}; returns the places still taken. */
    private static int freePlacesCountedBefore(MapState<String, KV<Long, Long>> places, long horizon) {
      List<String> quiet = new ArrayList<>();
      int taken = 0;
      for (Map.Entry<String, KV<Long, Long>> place : places.entries().read()) {
        if (place.getValue().getValue() < horizon) {
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
