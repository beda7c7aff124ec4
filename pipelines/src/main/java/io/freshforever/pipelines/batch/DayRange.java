package io.freshforever.pipelines.batch;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The UTC days from {@code from} (inclusive) to {@code to} (exclusive). */
public final class DayRange {
  /** A year is plenty for one run; a typo like 2062 for 2026 should not start a 36-year job. */
  static final int MAX_DAYS = 366;

  private DayRange() {}

  public static List<LocalDate> of(String from, String to) {
    LocalDate first = parse("--from", from);
    LocalDate end = parse("--to", to);
    if (!first.isBefore(end)) {
      throw new IllegalArgumentException(
          "--to (" + to + ") must be after --from (" + from + "): the range is [from, to)");
    }
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate day = first; day.isBefore(end); day = day.plusDays(1)) {
      if (days.size() == MAX_DAYS) {
        throw new IllegalArgumentException(
            "the range " + from + " to " + to + " is over " + MAX_DAYS + " days: split it into runs");
      }
      days.add(day);
    }
    return days;
  }

  private static LocalDate parse(String flag, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException(flag + " must be a date YYYY-MM-DD, was '" + value + "'");
    }
  }
}
