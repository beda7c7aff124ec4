package io.freshforever.transforms;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.WindowCount;
import io.freshforever.contract.WindowCountCoder;
import io.freshforever.transforms.directrunner.PartialsPerBundle;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Per event type and event-time fixed window, the number of (already deduplicated) events and the
 * newest event time. The live view ({@link #create()}) and the exact history ({@link #exact()})
 * count in this one place, so they can only differ in which events and panes reach the count.
 *
 * <p>The live view counts what {@link DedupByEventId} passes on: an event's type, stamped with its
 * event time; that is all a count needs, and all the live job's shuffles carry.
 *
 * <p>The live view emits accumulating panes:
 *
 * <ul>
 *   <li>Early panes every {@code earlyFiringPeriod} of processing time while events arrive, so the
 *       dashboard moves within seconds, long before the watermark closes the window.
 *   <li>One on-time pane when the watermark passes the end of the window, even if nothing changed
 *       since the last early pane: it tells readers the number is complete for on-time data.
 *   <li>Late panes for events within {@code allowedLateness}, batched by the same period: the
 *       default late trigger would fire one pane per late event, a flood of writes under a burst.
 *       Each late pane counts as {@value FreshMetrics#LATE_UPDATES}.
 *   <li>Events later than that are dropped from the live view only (the lake keeps them); the
 *       runner counts them (read them with {@link FreshMetrics#tooLateForLiveView}).
 * </ul>
 *
 * <p>It counts at most {@code maxTypes} event types per window (1,000 by default): the types it
 * counts keep their places, and the events of types beyond the bound are counted together as
 * {@link EventContract#OTHER_TYPES} ({@link BoundTypesPerWindow}). The exact history counts every type.
 */
public final class WindowedEventCounts extends PTransform<PCollection<String>, PCollection<WindowCount>> {
  /** How long at least a type keeps its place in the live view after its last event. */
  static final Duration TYPE_MEMORY = Duration.standardHours(1);

  private final Duration window;
  private final Duration earlyFiringPeriod;
  private final Duration allowedLateness;
  private final int maxTypes;

  private WindowedEventCounts(
      Duration window, Duration earlyFiringPeriod, Duration allowedLateness, int maxTypes) {
    this.window = window;
    this.earlyFiringPeriod = earlyFiringPeriod;
    this.allowedLateness = allowedLateness;
    this.maxTypes = maxTypes;
  }

  /**
   * The live view with the contract's defaults: 1-minute windows, 100 ms early firings, 10
   * minutes of grace, 1,000 types.
   */
  public static WindowedEventCounts create() {
    return new WindowedEventCounts(
        EventContract.DEFAULT_WINDOW,
        EventContract.DEFAULT_EARLY_FIRING_PERIOD,
        EventContract.DEFAULT_ALLOWED_LATENESS,
        EventContract.DEFAULT_MAX_TYPES_PER_WINDOW);
  }

  /** The exact counts of bounded input in the contract's 1-minute windows. */
  public static Exact exact() {
    return new Exact(EventContract.DEFAULT_WINDOW);
  }

  public WindowedEventCounts withWindow(Duration window) {
    return new WindowedEventCounts(window, earlyFiringPeriod, allowedLateness, maxTypes);
  }

  public WindowedEventCounts withEarlyFiringPeriod(Duration period) {
    return new WindowedEventCounts(window, period, allowedLateness, maxTypes);
  }

  public WindowedEventCounts withAllowedLateness(Duration lateness) {
    return new WindowedEventCounts(window, earlyFiringPeriod, lateness, maxTypes);
  }

  /** At most this many types per window, the others' events counted as {@link EventContract#OTHER_TYPES}. */
  public WindowedEventCounts withMaxTypes(int types) {
    return new WindowedEventCounts(window, earlyFiringPeriod, allowedLateness, types);
  }

  @Override
  public PCollection<WindowCount> expand(PCollection<String> eventTypes) {
    // A type keeps its place for an hour of quiet at least, and twice as long as a window stays
    // open: a type is not pushed out by a neighbour a window or two ahead (BoundTypesPerWindow).
    Duration twiceOpen = window.plus(allowedLateness).multipliedBy(2);
    Duration typeMemory = twiceOpen.isLongerThan(TYPE_MEMORY) ? twiceOpen : TYPE_MEMORY;
    return count(
        tallyWithinBundle(eventTypes.apply("FixedWindows", Window.into(FixedWindows.of(window))))
            .apply(
                "BoundTypesPerWindow",
                new BoundTypesPerWindow(maxTypes, typeMemory, window.plus(allowedLateness)))
            .apply(
                "FixedWindowsWithEarlyAndLatePanes",
                Window.<KV<String, Tally>>into(FixedWindows.of(window))
                    .triggering(
                        AfterWatermark.pastEndOfWindow()
                            .withEarlyFirings(
                                AfterProcessingTime.pastFirstElementInPane()
                                    .plusDelayOf(earlyFiringPeriod))
                            .withLateFirings(
                                AfterProcessingTime.pastFirstElementInPane()
                                    .plusDelayOf(earlyFiringPeriod)))
                    .withAllowedLateness(allowedLateness, Window.ClosingBehavior.FIRE_IF_NON_EMPTY)
                    .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_ALWAYS)
                    .accumulatingFiredPanes()));
  }

  /**
   * The exact count per event type and window, for bounded input (the warehouse and a replay of
   * the live view): one pane per window, nothing late, nothing dropped. Events are stamped with
   * their event time here, since a file read gives them none; their timestamps must not be later
   * than their event times (as after {@link ExactDedup}), since a timestamp may only move forward.
   */
  public static final class Exact extends PTransform<PCollection<Event>, PCollection<WindowCount>> {
    private final Duration window;

    private Exact(Duration window) {
      this.window = window;
    }

    public Exact withWindow(Duration window) {
      return new Exact(window);
    }

    @Override
    public PCollection<WindowCount> expand(PCollection<Event> events) {
      return count(
          tallyWithinBundle(
              events
                  .apply("StampEventTime", WithTimestamps.of(Event::eventTime))
                  .apply("EventTypes", MapElements.into(TypeDescriptors.strings()).via(Event::eventType))
                  .apply("FixedWindows", Window.into(FixedWindows.of(window)))));
    }
  }

  /**
   * Both count here; the input is one event type per deduplicated event, stamped with its event
   * time, in fixed (interval) windows.
   */
  private static PCollection<KV<String, Tally>> tallyWithinBundle(PCollection<String> windowed) {
    return windowed
        .apply("TallyWithinBundle", ParDo.of(new TallyWithinBundleFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Tally.TallyCoder.INSTANCE));
  }

  private static PCollection<WindowCount> count(PCollection<KV<String, Tally>> tallies) {
    return tallies
        .apply("CountAndNewest", Combine.perKey(new Tally.Merge()))
        .apply("ToWindowCount", ParDo.of(new ToWindowCountFn()))
        .setCoder(WindowCountCoder.of());
  }

  /**
   * One partial tally per event type, window and bundle goes into the GroupByKey instead of one
   * value per event: runners lift combiners only under the default trigger (package-info of {@link
   * io.freshforever.transforms.directrunner} says what that costs under the live view's firings).
   */
  private static final class TallyWithinBundleFn
      extends PartialsPerBundle<String, String, Tally, KV<String, Tally>> {
    @Override
    protected String keyOf(String eventType) {
      return eventType;
    }

    @Override
    protected Tally newPartial() {
      return new Tally();
    }

    @Override
    protected void add(Tally tally, String eventType, Instant eventTime) {
      tally.add(1, eventTime.getMillis());
    }

    @Override
    protected KV<String, Tally> outputOf(String eventType, Tally tally) {
      return KV.of(eventType, tally);
    }
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
          new WindowCount(
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
