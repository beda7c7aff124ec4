package io.freshforever.pipelines.batch;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The UTC days from {@code from} (inclusive) to {@code to} (exclusive). Either may be relative to
 * the current UTC day, {@code today-2}, so a scheduler can say "the last 2 days".
 */
public final class DayRange {
  /** A year is plenty for one run; a typo like 2062 for 2026 should not start a 36-year job. */
  static final int MAX_DAYS = 366;

  private DayRange() {}

  public static List<LocalDate> of(String from, String to) {
    return of(from, to, LocalDate.now(ZoneOffset.UTC));
  }

  /** As {@link #of(String, String)}, with {@code today}, {@code today-N} relative to {@code today}. */
  static List<LocalDate> of(String from, String to, LocalDate today) {
    LocalDate first = parse("--from", from, today);
    LocalDate end = parse("--to", to, today);
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

  private static final Pattern RELATIVE = Pattern.compile("today(?:([+-])(\\d{1,4}))?");

  private static LocalDate parse(String flag, String value, LocalDate today) {
    Matcher relative = RELATIVE.matcher(value == null ? "" : value);
    if (relative.matches()) {
      int days = relative.group(2) == null ? 0 : Integer.parseInt(relative.group(2));
      return "-".equals(relative.group(1)) ? today.minusDays(days) : today.plusDays(days);
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException(
          flag + " must be a date YYYY-MM-DD, or today, today-N, today+N (UTC), was '" + value + "'");
    }
  }
}
