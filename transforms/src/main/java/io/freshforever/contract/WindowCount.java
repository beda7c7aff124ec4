package io.freshforever.contract;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Instant;

/**
 * The deduplicated count of one event type in one window so far, as one pane of the live view
 * emitted it. Panes accumulate: a later pane of the same window replaces an earlier one.
 */
@AutoValue
@DefaultCoder(WindowCountCoder.class)
public abstract class WindowCount {
  public abstract String eventType();

  public abstract Instant windowStart();

  public abstract Instant windowEnd();

  public abstract long count();

  /** The newest event time among the counted events: how fresh this number is. */
  public abstract Instant newestEventTime();

  public abstract PaneInfo.Timing timing();

  /** 0 for a window's first pane, then 1, 2, ...: orders the panes of one window. */
  public abstract long paneIndex();

  /** True for the window's last pane: it is closed to late updates. */
  public abstract boolean last();

  public static WindowCount of(
      String eventType,
      Instant windowStart,
      Instant windowEnd,
      long count,
      Instant newestEventTime,
      PaneInfo.Timing timing,
      long paneIndex,
      boolean last) {
    return new AutoValue_WindowCount(
        eventType, windowStart, windowEnd, count, newestEventTime, timing, paneIndex, last);
  }
}
