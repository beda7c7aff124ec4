package io.freshforever.transforms;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.WindowCount;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The exact count per event type and window, for bounded input (the warehouse and a replay of the
 * live view): one pane per window, nothing late, nothing dropped. Events are stamped with their
 * event time here, since a file read gives them none; their timestamps must not be later than
 * their event times (as after {@link ExactDedup}), since a timestamp may only move forward.
 */
public final class ExactWindowCounts extends PTransform<PCollection<Event>, PCollection<WindowCount>> {
  private final Duration window;

  private ExactWindowCounts(Duration window) {
    this.window = window;
  }

  /** The contract's 1-minute windows. */
  public static ExactWindowCounts create() {
    return new ExactWindowCounts(EventContract.DEFAULT_WINDOW);
  }

  public ExactWindowCounts withWindow(Duration window) {
    return new ExactWindowCounts(window);
  }

  @Override
  public PCollection<WindowCount> expand(PCollection<Event> events) {
    return events
        .apply("StampEventTime", WithTimestamps.of(Event::eventTime))
        .apply("FixedWindows", Window.into(FixedWindows.of(window)))
        .apply("CountPerType", CountEventsPerType.create());
  }
}
