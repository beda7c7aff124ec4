package io.freshforever.contract;

import java.time.Month;
import java.time.Year;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The contract's {@code event_time} text to epoch milliseconds: an ISO-8601 date-time with an offset
 * ({@link DateTimeFormatter#ISO_ZONED_DATE_TIME}, which also takes a region suffix).
 *
 * <p>What producers write ({@code 2026-11-29T10:00:00.123Z}, or with {@code +01:00}) is read by hand;
 * anything else goes to {@code ZonedDateTime.parse}, which decides what is valid and says why not.
 * The hand-read form gives the same instant as the formatter, to the millisecond. Every record is
 * read twice (watermark, then parsing) and by the lake writer, and the formatter was the largest
 * single cost of parsing an event.
 */
final class IsoInstants {
  private static final long SLOW_PATH = Long.MIN_VALUE;
  private static final int[] POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  private IsoInstants() {}

  /**
   * @throws DateTimeParseException when the text is not such an instant
   * @throws ArithmeticException when it is one beyond the range of epoch milliseconds
   */
  static long toEpochMillis(String text) {
    long millis = readCommonForm(text);
    if (millis != SLOW_PATH) {
      return millis;
    }
    return ZonedDateTime.parse(text, DateTimeFormatter.ISO_ZONED_DATE_TIME).toInstant().toEpochMilli();
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)} with valid fields, or {@link #SLOW_PATH}. */
  private static long readCommonForm(String s) {
    int length = s.length();
    if (length < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return SLOW_PATH;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59
        || day > Month.of(month).length(Year.isLeap(year))) {
      return SLOW_PATH;
    }
    int i = 19;
    long nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < length && isDigit(s.charAt(i))) {
        i++;
      }
      int fractionDigits = i - start;
      if (fractionDigits < 1 || fractionDigits > 9) {
        return SLOW_PATH;
      }
      nanos = (long) digits(s, start, fractionDigits) * POWERS_OF_TEN[9 - fractionDigits];
    }
    int offsetSeconds;
    if (i == length - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == length - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int offsetHours = digits(s, i + 1, 2);
      int offsetMinutes = digits(s, i + 4, 2);
      if (offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59
          || offsetHours * 60 + offsetMinutes > 18 * 60) {
        return SLOW_PATH;
      }
      offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
    } else {
      return SLOW_PATH;
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    long epochSecond = epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds;
    return epochSecond * 1_000 + nanos / 1_000_000;
  }

  /** The value of {@code count} ASCII digits at {@code start}, or -1 if one is not a digit. */
  private static int digits(String s, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
