package io.freshforever.contract;

import static java.util.Objects.requireNonNull;

import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Instant;

/**
 * The deduplicated count of one event type in one window so far, as one pane of the live view
 * emitted it. Panes accumulate: a later pane of the same window replaces an earlier one.
 *
 * @param newestEventTime the newest event time among the counted events: how fresh this number is
 * @param paneIndex 0 for a window's first pane, then 1, 2, ...: orders the panes of one window
 * @param last true for the window's last pane: it is closed to late updates
 */
@DefaultCoder(WindowCountCoder.class)
public record WindowCount(
    String eventType,
    Instant windowStart,
    Instant windowEnd,
    long count,
    Instant newestEventTime,
    PaneInfo.Timing timing,
    long paneIndex,
    boolean last) {
  public WindowCount {
    requireNonNull(eventType, "eventType");
    requireNonNull(windowStart, "windowStart");
    requireNonNull(windowEnd, "windowEnd");
    requireNonNull(newestEventTime, "newestEventTime");
    requireNonNull(timing, "timing");
  }

}
