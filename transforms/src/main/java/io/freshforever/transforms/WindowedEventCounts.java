package io.freshforever.transforms;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.WindowCount;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The live view: per event type, the count of (already deduplicated) events in event-time fixed
 * windows, emitted as accumulating panes.
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
 */
public final class WindowedEventCounts extends PTransform<PCollection<Event>, PCollection<WindowCount>> {
  private final Duration window;
  private final Duration earlyFiringPeriod;
  private final Duration allowedLateness;

  private WindowedEventCounts(Duration window, Duration earlyFiringPeriod, Duration allowedLateness) {
    this.window = window;
    this.earlyFiringPeriod = earlyFiringPeriod;
    this.allowedLateness = allowedLateness;
  }

  /** The contract's defaults: 1-minute windows, 1-second early firings, 10 minutes of grace. */
  public static WindowedEventCounts create() {
    return new WindowedEventCounts(
        EventContract.DEFAULT_WINDOW,
        EventContract.DEFAULT_EARLY_FIRING_PERIOD,
        EventContract.DEFAULT_ALLOWED_LATENESS);
  }

  public WindowedEventCounts withWindow(Duration window) {
    return new WindowedEventCounts(window, earlyFiringPeriod, allowedLateness);
  }

  public WindowedEventCounts withEarlyFiringPeriod(Duration period) {
    return new WindowedEventCounts(window, period, allowedLateness);
  }

  public WindowedEventCounts withAllowedLateness(Duration lateness) {
    return new WindowedEventCounts(window, earlyFiringPeriod, lateness);
  }

  @Override
  public PCollection<WindowCount> expand(PCollection<Event> events) {
    return events
        .apply(
            "FixedWindowsWithEarlyAndLatePanes",
            Window.<Event>into(FixedWindows.of(window))
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
                .accumulatingFiredPanes())
        .apply("CountPerType", CountEventsPerType.create());
  }
}
