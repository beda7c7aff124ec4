package io.freshforever.contract;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.DateTimeException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.Test;

public class IsoInstantsTest {
  @Test
  public void readsTheCommonFormsToTheMillisecond() {
    assertEquals(1_795_946_400_123L, IsoInstants.toEpochMillis("2026-11-29T10:00:00.123Z"));
    assertEquals(1_795_946_400_123L, IsoInstants.toEpochMillis("2026-11-29T10:00:00.123999999Z"));
    assertEquals(1_795_942_800_000L, IsoInstants.toEpochMillis("2026-11-29T10:00:00+01:00"));
    assertEquals(1_795_950_000_500L, IsoInstants.toEpochMillis("2026-11-29T10:00:00.5-01:00"));
    assertEquals(-1L, IsoInstants.toEpochMillis("1969-12-31T23:59:59.999Z"));
    assertEquals(951_782_400_000L, IsoInstants.toEpochMillis("2000-02-29T00:00:00Z"));
  }

  @Test
  public void leavesEveryOtherFormToTheFormatter() {
    assertEquals(1_795_946_400_000L, IsoInstants.toEpochMillis("2026-11-29T10:00Z"));
    assertEquals(1_795_946_400_000L, IsoInstants.toEpochMillis("2026-11-29t10:00:00z"));
    assertEquals(1_795_946_400_000L, IsoInstants.toEpochMillis("2026-11-29T11:00:00+01:00[Europe/Paris]"));
    assertThrows(DateTimeException.class, () -> IsoInstants.toEpochMillis("2026-02-29T10:00:00Z"));
    assertThrows(DateTimeException.class, () -> IsoInstants.toEpochMillis("2026-11-29T10:00:60Z"));
    assertThrows(DateTimeException.class, () -> IsoInstants.toEpochMillis("2026-11-29T10:00:00"));
    assertEquals(1_795_946_400_000L, IsoInstants.toEpochMillis("2026-11-29T10:00:00.Z"));
    assertThrows(DateTimeException.class, () -> IsoInstants.toEpochMillis("2026-11-29T10:00:00+18:01"));
  }

  /** Random texts near the common form: the hand-read path must agree with the formatter on each. */
  @Test
  public void agreesWithTheFormatterOnRandomTexts() {
    Random random = new Random(20261202);
    int readByHand = 0;
    for (int i = 0; i < 200_000; i++) {
      String text = mutate(random, candidate(random));
      Long expected = formatterMillis(text);
      Long actual;
      try {
        actual = IsoInstants.toEpochMillis(text);
      } catch (DateTimeException | ArithmeticException e) {
        actual = null;
      }
      assertEquals(text, expected, actual);
      if (expected != null) {
        readByHand++;
      }
    }
    assertTrue("too few valid texts were tried: " + readByHand, readByHand > 50_000);
  }

  private static String candidate(Random r) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("%04d-%02d-%02dT%02d:%02d:%02d",
        r.nextInt(10_000), r.nextInt(14), r.nextInt(33), r.nextInt(25), r.nextInt(61), r.nextInt(61)));
    int fraction = r.nextInt(12) - 1;
    if (fraction >= 0) {
      s.append('.');
      for (int d = 0; d < fraction; d++) {
        s.append((char) ('0' + r.nextInt(10)));
      }
    }
    switch (r.nextInt(4)) {
      case 0 -> s.append('Z');
      case 1 -> s.append(String.format("%c%02d:%02d", r.nextBoolean() ? '+' : '-', r.nextInt(20), r.nextInt(61)));
      case 2 -> s.append(String.format("%c%02d:%02d", r.nextBoolean() ? '+' : '-', r.nextInt(3), 30 * r.nextInt(2)));
      default -> s.append(r.nextBoolean() ? "" : "+01:00:30");
    }
    return s.toString();
  }

  private static String mutate(Random r, String text) {
    if (r.nextInt(5) > 0) {
      return text;
    }
    char[] chars = text.toCharArray();
    chars[r.nextInt(chars.length)] = "0123456789-:T.Z+x٣ ".charAt(r.nextInt(19));
    return new String(chars);
  }

  private static Long formatterMillis(String text) {
    try {
      return ZonedDateTime.parse(text, DateTimeFormatter.ISO_ZONED_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeException | ArithmeticException e) {
      return null;
    }
  }
}
