package io.freshforever.runners.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.freshforever.runners.dashboard.PipelineHealth.Minute;
import io.freshforever.runners.dashboard.PipelineHealth.Totals;
import java.net.URI;
import java.util.List;
import org.joda.time.Instant;
import org.junit.Test;

public class PipelineHealthTest {
  private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  public void eachScrapesIncreaseGoesToTheMinuteItWasTakenIn() {
    PipelineHealth health = new PipelineHealth(URI.create("http://localhost:9249/metrics"));
    health.record(T.plus(5_000), new Totals(100, 1, 0, 0, 0)); // the baseline: no minute yet
    health.record(T.plus(15_000), new Totals(300, 4, 1, 0, 2));
    health.record(T.plus(55_000), new Totals(700, 5, 1, 1, 2));
    health.record(T.plus(65_000), new Totals(750, 5, 2, 1, 2));

    assertEquals(
        List.of(new Minute(T, new Totals(600, 4, 1, 1, 2)), new Minute(T.plus(60_000), new Totals(50, 0, 1, 0, 0))),
        health.lastMinutes(30));
    assertEquals(List.of(new Minute(T.plus(60_000), new Totals(50, 0, 1, 0, 0))), health.lastMinutes(1));
    assertNull(health.error());
  }

  @Test
  public void aRestartedJobsCountersCountFromZeroAgain() {
    PipelineHealth health = new PipelineHealth(URI.create("http://localhost:9249/metrics"));
    health.record(T, new Totals(5_000, 50, 5, 5, 5));
    health.record(T.plus(10_000), new Totals(40, 1, 0, 0, 7)); // restarted: 40 read since

    assertEquals(List.of(new Minute(T, new Totals(40, 1, 0, 0, 2))), health.lastMinutes(30));
  }

  @Test
  public void aFailedScrapeIsSaidUntilOneWorks() {
    PipelineHealth health = new PipelineHealth(URI.create("http://localhost:9249/metrics"));
    assertEquals("not scraped yet", health.error());
    health.failed("java.net.ConnectException");
    assertEquals("java.net.ConnectException", health.error());
    health.record(T, new Totals(1, 0, 0, 0, 0));
    assertNull(health.error());
    assertEquals(List.of(), health.lastMinutes(30));
  }

  @Test
  public void onlyTheLastHourIsKept() {
    PipelineHealth health = new PipelineHealth(URI.create("http://localhost:9249/metrics"));
    for (int minute = 0; minute <= 70; minute++) {
      health.record(T.plus(minute * 60_000L), new Totals(minute * 10L, 0, 0, 0, 0));
    }
    List<Minute> kept = health.lastMinutes(1_000);
    assertEquals(PipelineHealth.MINUTES_KEPT, kept.size());
    assertEquals(T.plus(70 * 60_000L), kept.get(kept.size() - 1).start());
    assertEquals(new Totals(10, 0, 0, 0, 0), kept.get(0).increase());
  }
}
