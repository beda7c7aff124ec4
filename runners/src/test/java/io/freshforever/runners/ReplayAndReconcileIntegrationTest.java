package io.freshforever.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import io.freshforever.lake.LakeLayout;
import io.freshforever.pipelines.lake.LakeFixture;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.LocalBigtable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * `fresh batch`, `fresh reconcile` and `fresh replay` end to end, on a lake written by the
 * streaming path's writer, the embedded DuckDB warehouse and the real Bigtable emulator. The live
 * rows are crafted to hold one difference of every kind; times are relative to now, so "past
 * grace", "still open" and "past retention" mean the same whenever the test runs.
 */
public class ReplayAndReconcileIntegrationTest {
  private static LocalBigtable bigtable;

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @BeforeClass
  public static void startEmulator() throws Exception {
    bigtable = LocalBigtable.startOnFreePort();
  }

  @AfterClass
  public static void stopEmulator() {
    bigtable.close();
  }

  @Test
  public void reconcileExplainsEveryDifferenceAndReplayRepairsTheLiveView() throws Exception {
    Instant now = Instant.now();
    Instant hour = new Instant(now.getMillis() - now.getMillis() % 3_600_000);
    Instant base = hour.minus(Duration.standardHours(2));
    Instant openMinute = new Instant(now.getMillis() - now.getMillis() % 60_000).minus(Duration.standardMinutes(1));
    Instant pastRetention = base.minus(Duration.standardHours(2));

    Instant w1 = base;
    Instant w2 = base.plus(Duration.standardMinutes(1));
    Instant w4 = base.plus(Duration.standardMinutes(2));
    List<Event> lake = new ArrayList<>();
    addEvents(lake, "click", w1, 5, Duration.standardSeconds(2));
    addEvents(lake, "click", w1, 2, Duration.standardMinutes(30)); // too late for the live view
    addEvents(lake, "click", w2, 3, Duration.standardSeconds(2));
    addEvents(lake, "view", w2, 4, Duration.standardSeconds(2));
    addEvents(lake, "view", w4, 1, Duration.standardSeconds(2));
    addEvents(lake, "purchase", pastRetention, 2, Duration.standardSeconds(2));
    addEvents(lake, "click", openMinute, 1, Duration.standardSeconds(1));
    String lakeDir = tmp.newFolder("lake").getPath();
    LakeFixture.write(lakeDir, lake);

    writeLive("click", w1, 5);
    writeLive("click", w2, 3);
    writeLive("view", w2, 2); // 2 lost without a reason
    writeLive("view", w4, 3); // more than happened
    writeLive("ghost", base.plus(Duration.standardMinutes(10)), 9); // no event at all
    Instant outside = base.minus(Duration.standardHours(3));
    writeLive("click", outside, 42); // outside every range below: left alone

    String warehouse = tmp.getRoot() + "/warehouse.duckdb";
    FreshCli.Run batch =
        FreshCli.run(
            "batch",
            "--from=" + day(pastRetention),
            "--to=" + day(now).plusDays(1),
            "--lake=" + lakeDir,
            "--warehouse=duckdb:" + warehouse);
    assertEquals(batch.stderr(), 0, batch.exitCode());
    long files = eventFiles(lakeDir);
    // What lies ahead, said before the run, and the summary after it.
    String range = days(ChronoUnit.DAYS.between(day(pastRetention), day(now).plusDays(1)));
    assertThat(batch.stdout(), containsString(String.format(
        "fresh batch: loading %s into duckdb:%s from %s (%d with events), %,d lake files, ",
        range, warehouse, range, eventDays(lake), files)));
    assertThat(batch.stdout(), containsString(String.format(": %,d lake files, %,d rows read; ", files, lake.size())));

    FreshCli.Run before = reconcile(warehouse, pastRetention, openMinute.plus(Duration.standardMinutes(1)));
    assertEquals(1, before.exitCode());
    Map<String, String> expected = new TreeMap<>();
    expected.put("purchase " + pastRetention, "PAST_RETENTION null/2");
    expected.put("click " + w1, "TOO_LATE_FOR_LIVE_VIEW 5/7");
    expected.put("click " + w2, "MATCH 3/3");
    expected.put("view " + w2, "UNEXPLAINED 2/4");
    expected.put("view " + w4, "UNEXPLAINED 3/1");
    expected.put("ghost " + base.plus(Duration.standardMinutes(10)), "UNEXPLAINED 9/0");
    expected.put("click " + openMinute, "STILL_OPEN null/1");
    assertEquals(expected, classes(before.stdout()));

    Instant replayTo = base.plus(Duration.standardMinutes(30));
    FreshCli.Run replay =
        FreshCli.run(
            "replay",
            "--from=" + pastRetention,
            "--to=" + replayTo,
            "--lake=" + lakeDir,
            "--bigtableEmulatorHost=" + bigtable.host());
    assertEquals(replay.stderr(), 0, replay.exitCode());
    assertThat(replay.stdout(), containsString(String.format(
        "fresh replay: replaying %s to %s from %s", pastRetention, replayTo,
        days(ChronoUnit.DAYS.between(day(pastRetention), day(replayTo.minus(1))) + 1))));

    Map<String, Long> liveAfter = new TreeMap<>();
    try (LiveCounts counts =
        LiveCounts.connect(
            EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, LiveRow.TABLE, bigtable.host())) {
      for (LiveRow m : counts.readAll()) {
        liveAfter.put(m.eventType() + " " + m.windowStart(), m.count());
      }
    }
    Map<String, Long> expectedLive = new TreeMap<>();
    expectedLive.put("purchase " + pastRetention, 2L);
    expectedLive.put("click " + w1, 7L); // the too-late events count now: exact
    expectedLive.put("click " + w2, 3L);
    expectedLive.put("view " + w2, 4L);
    expectedLive.put("view " + w4, 1L);
    expectedLive.put("click " + outside, 42L);
    assertEquals(expectedLive, liveAfter);

    FreshCli.Run after = reconcile(warehouse, pastRetention, replayTo);
    assertEquals(after.stdout(), 0, after.exitCode());
    assertEquals(5, classes(after.stdout()).size());
    classes(after.stdout()).values().forEach(c -> assertEquals("MATCH", c.split(" ")[0]));
  }

  private static String days(long n) {
    return n + (n == 1 ? " day" : " days");
  }

  private static long eventDays(List<Event> lake) {
    return lake.stream().map(e -> day(e.eventTime())).distinct().count();
  }

  private static long eventFiles(String lakeDir) throws Exception {
    try (Stream<Path> files = Files.walk(Path.of(lakeDir, LakeLayout.EVENTS))) {
      return files.filter(f -> f.toString().endsWith(".parquet")).count();
    }
  }

  private static void addEvents(List<Event> lake, String type, Instant minute, int n, Duration ingestDelay) {
    for (int i = 0; i < n; i++) {
      Instant eventTime = minute.plus(Duration.standardSeconds(10 + i));
      int id = lake.size();
      lake.add(
          Event.builder()
              .eventId("id-" + id)
              .eventType(type)
              .eventTime(eventTime)
              .userId(null)
              .propertiesJson(null)
              .ingestTime(eventTime.plus(ingestDelay))
              .kafkaPartition(id % 4)
              .kafkaOffset(id)
              .payload("{}")
              .build());
    }
  }

  private static void writeLive(String type, Instant minute, long count) throws Exception {
    try (LiveRows rows = new LiveRows(bigtable)) {
      rows.write(type, minute, count, minute.plus(Duration.standardSeconds(30)), PaneInfo.Timing.ON_TIME, 3);
    }
  }

  private FreshCli.Run reconcile(String warehouse, Instant from, Instant to) {
    return FreshCli.run(
        "reconcile",
        "--from=" + from,
        "--to=" + to,
        "--warehouse=duckdb:" + warehouse,
        "--retentionHours=3",
        "--bigtableEmulatorHost=" + bigtable.host(),
        "--json");
  }

  /** "type windowStart" -> "CLASS live/warehouse" from reconcile's JSON. */
  private static Map<String, String> classes(String json) throws Exception {
    Map<String, String> classes = new TreeMap<>();
    for (JsonNode w : new ObjectMapper().readTree(json).get("windows")) {
      classes.put(
          w.get("event_type").asText() + " " + Instant.parse(w.get("window_start").asText()),
          w.get("class").asText() + " " + (w.get("live").isNull() ? "null" : w.get("live").asText()) + "/" + w.get("warehouse").asText());
    }
    return classes;
  }

  private static java.time.LocalDate day(Instant instant) {
    return java.time.Instant.ofEpochMilli(instant.getMillis()).atOffset(java.time.ZoneOffset.UTC).toLocalDate();
  }
}
