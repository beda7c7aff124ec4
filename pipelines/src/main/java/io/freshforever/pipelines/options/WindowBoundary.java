package io.freshforever.pipelines.options;

import java.time.format.DateTimeParseException;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** The ends of a time range of windows, as {@code --from} and {@code --to} flags give them. */
public final class WindowBoundary {
  private WindowBoundary() {}

  /** An ISO instant on a boundary of {@code window}; otherwise a message naming the flag. */
  public static Instant parse(String flag, String value, Duration window) {
    Instant instant;
    try {
      instant = new Instant(java.time.Instant.parse(value).toEpochMilli());
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException(
          flag + " must be an ISO instant such as 2026-11-29T10:00:00Z, was '" + value + "'");
    }
    if (instant.getMillis() % window.getMillis() != 0) {
      throw new IllegalArgumentException(
          flag + " (" + value + ") must be on a window boundary (every " + window.getStandardSeconds()
              + " s): windows are compared and replaced whole");
    }
    return instant;
  }
}
