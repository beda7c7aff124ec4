package io.freshforever.runners.dashboard;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.LiveRows;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.LocalBigtable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The dashboard's JSON API against the Bigtable emulator holding known rows. */
public class DashboardApiTest {
  private static LocalBigtable bigtable;
  private static LiveCounts live;
  private static Dashboard dashboard;
  private static Instant minute;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeClass
  public static void start() throws Exception {
    bigtable = LocalBigtable.startOnFreePort();
    Instant now = Instant.now();
    minute = new Instant(now.getMillis() - now.getMillis() % 60_000);
    try (LiveRows rows = new LiveRows(bigtable)) {
      rows.write("click", minute, 12, minute.plus(Duration.standardSeconds(1)), PaneInfo.Timing.EARLY, 4);
      rows.write("click", minute.minus(Duration.standardMinutes(2)), 40, minute.minus(Duration.standardSeconds(70)), PaneInfo.Timing.ON_TIME, 9);
      rows.write("click", minute.minus(Duration.standardMinutes(20)), 7, minute.minus(Duration.standardMinutes(19)), PaneInfo.Timing.LATE, 30);
      rows.write("view", minute.minus(Duration.standardMinutes(1)), 3, minute.minus(Duration.standardSeconds(5)), PaneInfo.Timing.EARLY, 1);
      // an older pane landing after a newer one must not win
      rows.write("view", minute.minus(Duration.standardMinutes(1)), 2, minute.minus(Duration.standardSeconds(30)), PaneInfo.Timing.EARLY, 0);
    }
    live = LiveCounts.connect(EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, LiveRow.TABLE, bigtable.host());
    // The newest row is up to a minute old by the time a test reads it: not stale for this one.
    dashboard = Dashboard.start("localhost", 0, live, EventContract.DEFAULT_ALLOWED_LATENESS, Duration.standardMinutes(5), null);
  }

  @AfterClass
  public static void stop() {
    dashboard.close();
    live.close();
    bigtable.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return get(dashboard, path);
  }

  private HttpResponse<String> get(Dashboard server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path, int status) throws Exception {
    return json(dashboard, path, status);
  }

  private JsonNode json(Dashboard server, String path, int status) throws Exception {
    HttpResponse<String> response = get(server, path);
    assertEquals(response.body(), status, response.statusCode());
    assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  public void typesListsEveryTypeWithRows() throws Exception {
    assertEquals("{\"types\":[\"click\",\"view\"]}", json("/api/types", 200).toString());
  }

  @Test
  public void countsGiveTheLastMinutesOldestFirstWithOpenFlagsAndTheRunningCount() throws Exception {
    JsonNode body = json("/api/counts?type=click&minutes=10", 200);
    assertEquals("click", body.get("type").asText());
    assertEquals(minute.minus(Duration.standardMinutes(9)).toString(), body.get("from").asText());
    assertEquals(12, body.get("current_minute_count").asLong());
    assertEquals(600, body.get("allowed_lateness_seconds").asLong());
    JsonNode windows = body.get("windows");
    assertEquals(2, windows.size()); // the 20-minute-old row is outside the last 10 minutes
    assertEquals(minute.minus(Duration.standardMinutes(2)).toString(), windows.get(0).get("start").asText());
    assertEquals(40, windows.get(0).get("count").asLong());
    assertEquals("ON_TIME", windows.get(0).get("pane").asText());
    assertEquals(true, windows.get(0).get("open").asBoolean());
    assertEquals(minute.toString(), windows.get(1).get("start").asText());
    assertEquals(12, windows.get(1).get("count").asLong());
    assertEquals("EARLY", windows.get(1).get("pane").asText());

    JsonNode wide = json("/api/counts?type=click&minutes=30", 200).get("windows");
    assertEquals(3, wide.size());
    assertEquals(7, wide.get(0).get("count").asLong());
    assertEquals(false, wide.get(0).get("open").asBoolean()); // 20 minutes old: past its grace
  }

  @Test
  public void theNewestPaneWinsWhateverTheWriteOrder() throws Exception {
    JsonNode windows = json("/api/counts?type=view&minutes=5", 200).get("windows");
    assertEquals(1, windows.size());
    assertEquals(3, windows.get(0).get("count").asLong());
  }

  @Test
  public void anUnknownTypeHasNoWindows() throws Exception {
    JsonNode body = json("/api/counts?type=purchase", 200);
    assertEquals(0, body.get("windows").size());
    assertEquals(30, body.get("minutes").asInt());
    assertEquals(true, body.get("freshness_seconds").isNull());
  }

  @Test
  public void badParametersGetA400ThatSaysWhy() throws Exception {
    assertEquals("type is required, e.g. /api/counts?type=click&minutes=30", json("/api/counts", 400).get("error").asText());
    assertEquals(
        "type must match [a-z0-9_.-]{1,64} or be ~other", json("/api/counts?type=Bad%20Type", 400).get("error").asText());
    assertEquals("the overflow row is a type to the API", EventContract.OTHER_TYPES,
        json("/api/counts?type=" + EventContract.OTHER_TYPES, 200).get("type").asText());
    for (String minutes : new String[] {"0", "1441", "ten", "", "-3"}) {
      assertEquals(
          "minutes must be a whole number from 1 to 1440",
          json("/api/counts?type=click&minutes=" + minutes, 400).get("error").asText());
    }
    assertEquals("parameter type given twice", json("/api/counts?type=a&type=b", 400).get("error").asText());
    assertEquals(
        "unknown parameter(s) [limit]; this endpoint takes [minutes, type]",
        json("/api/counts?type=click&limit=5", 400).get("error").asText());
    assertEquals("unknown parameter(s) [x]; this endpoint takes []", json("/api/types?x=1", 400).get("error").asText());
    assertEquals(404, get("/api/nope").statusCode());
  }

  @Test
  public void theApiIsReadOnly() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + dashboard.port() + "/api/counts?type=click"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, response.statusCode());
    assertEquals("{\"error\":\"the API is read-only: GET only\"}", response.body());
  }

  @Test
  public void healthSaysTheStoreAnswersAndHowFreshItIs() throws Exception {
    JsonNode body = json("/api/health", 200);
    assertEquals("ok", body.get("status").asText());
    double freshness = body.get("freshness_seconds").asDouble();
    double expected = (Instant.now().getMillis() - minute.plus(Duration.standardSeconds(1)).getMillis()) / 1000.0;
    assertEquals(expected, freshness, 5.0);
    assertEquals(300.0, body.get("stale_after_seconds").asDouble(), 0.0);
    assertEquals(minute.plus(Duration.standardSeconds(1)).toString(), body.get("newest_event").asText());
  }

  @Test
  public void healthIsStaleWithA503AndTheReasonWhenTheNewestCountedEventIsTooOld() throws Exception {
    String table = "stale_counts";
    bigtable.createTable(table);
    Instant now = Instant.now();
    Instant fiveMinutesAgo = now.minus(Duration.standardMinutes(5));
    Instant windowStart = new Instant(fiveMinutesAgo.getMillis() - fiveMinutesAgo.getMillis() % 60_000);
    try (LiveCounts store = LiveCounts.connect(
            EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, table, bigtable.host());
        Dashboard stalled = Dashboard.start("localhost", 0, store, EventContract.DEFAULT_ALLOWED_LATENESS, Duration.standardSeconds(60), null)) {
      JsonNode empty = json(stalled, "/api/health", 503);
      assertEquals("stale", empty.get("status").asText());
      assertEquals("no counted event in the last 15 minutes", empty.get("reason").asText());
      assertEquals(true, empty.get("freshness_seconds").isNull());

      try (LiveRows rows = new LiveRows(bigtable, table)) {
        rows.write("click", windowStart, 9, fiveMinutesAgo, PaneInfo.Timing.ON_TIME, 3);
      }
      JsonNode old = json(stalled, "/api/health", 503);
      assertEquals("stale", old.get("status").asText());
      assertEquals(fiveMinutesAgo.toString(), old.get("newest_event").asText());
      double age = old.get("freshness_seconds").asDouble();
      assertEquals(300.0, age, 5.0);
      assertEquals(
          String.format("the newest counted event is %.1f s old, over the 60 s threshold", age),
          old.get("reason").asText());

      try (LiveRows rows = new LiveRows(bigtable, table)) {
        Instant fresh = Instant.now();
        rows.write("click", new Instant(fresh.getMillis() - fresh.getMillis() % 60_000), 1, fresh, PaneInfo.Timing.EARLY, 0);
      }
      assertEquals("ok", json(stalled, "/api/health", 200).get("status").asText());
    }
  }

  @Test
  public void pipelineGivesTheJobsCountersPerMinuteFromItsMetricsEndpoint() throws Exception {
    assertEquals("{\"minutes\":[],\"source\":null,\"error\":null}", json("/api/pipeline", 200).toString());

    PipelineHealth health = new PipelineHealth(URI.create("http://localhost:9249/metrics"));
    Instant at = Instant.parse("2026-12-03T10:00:10Z");
    health.record(at, new PipelineHealth.Totals(100, 1, 0, 0, 0));
    health.record(at.plus(10_000), new PipelineHealth.Totals(350, 9, 2, 1, 3));
    try (Dashboard withStrip = Dashboard.start("localhost", 0, live, EventContract.DEFAULT_ALLOWED_LATENESS, Duration.standardMinutes(5), health)) {
      assertEquals(
          "{\"minutes\":[{\"start\":\"2026-12-03T10:00:00.000Z\",\"events_in\":250,\"duplicates_dropped\":8,"
              + "\"late_updates\":2,\"too_late\":1,\"dead_letters\":3}],"
              + "\"source\":\"http://localhost:9249/metrics\",\"error\":null}",
          json(withStrip, "/api/pipeline?minutes=5", 200).toString());
      assertEquals("minutes must be a whole number from 1 to 60", json(withStrip, "/api/pipeline?minutes=61", 400).get("error").asText());
    }
  }

  @Test
  public void thePageAndItsScriptAreServedFromTheJar() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
    assertEquals(true, page.body().contains("<script src=\"/dashboard.js\"></script>"));
    assertEquals(false, page.body().contains("http://") || page.body().contains("https://")); // no CDN
    assertEquals(200, get("/dashboard.js").statusCode());
    assertEquals(404, get("/secret.txt").statusCode());
  }
}
