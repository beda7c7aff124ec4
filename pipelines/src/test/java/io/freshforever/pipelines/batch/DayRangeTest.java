package io.freshforever.pipelines.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.LocalDate;
import java.util.List;
import org.junit.Test;

public class DayRangeTest {
  @Test
  public void fromIsInclusiveToIsExclusive() {
    assertEquals(
        List.of(LocalDate.parse("2026-02-28"), LocalDate.parse("2026-03-01")),
        DayRange.of("2026-02-28", "2026-03-02"));
  }

  @Test
  public void daysRelativeToTodayForSchedulers() {
    LocalDate today = LocalDate.parse("2026-03-01");
    assertEquals(
        List.of(LocalDate.parse("2026-02-27"), LocalDate.parse("2026-02-28")),
        DayRange.of("today-2", "today", today));
    assertEquals(List.of(today), DayRange.of("today", "today+1", today));
  }

  @Test
  public void badRangesSayWhatIsWrong() {
    assertEquals(
        "--to (2026-11-29) must be after --from (2026-11-29): the range is [from, to)",
        assertThrows(IllegalArgumentException.class, () -> DayRange.of("2026-11-29", "2026-11-29")).getMessage());
    assertEquals(
        "--from must be a date YYYY-MM-DD, or today, today-N, today+N (UTC), was '29/11/2026'",
        assertThrows(IllegalArgumentException.class, () -> DayRange.of("29/11/2026", "2026-11-30")).getMessage());
    assertEquals(
        "the range 2026-01-01 to 2062-01-01 is over 366 days: split it into runs",
        assertThrows(IllegalArgumentException.class, () -> DayRange.of("2026-01-01", "2062-01-01")).getMessage());
  }
}
