package io.freshforever.runners.dashboard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.LiveRows;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.LocalBigtable;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The dashboard against what the network and the store can do to it: a page of another host
 * (DNS rebinding), a flood of event types, a store that stops answering; and the headers every
 * answer carries. On the real Bigtable emulator.
 */
public class DashboardDefencesTest {
  private static LocalBigtable bigtable;
  private static LiveCounts live;
  private static Dashboard dashboard;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeClass
  public static void start() throws Exception {
    bigtable = LocalBigtable.startOnFreePort();
    Instant now = Instant.now();
    Instant minute = new Instant(now.getMillis() - now.getMillis() % 60_000);
    try (LiveRows rows = new LiveRows(bigtable)) {
      for (int i = 0; i <= TypeIndex.MAX_TYPES; i++) {
        rows.write(String.format("type-%04d", i), minute, 1, now, PaneInfo.Timing.EARLY, 0);
      }
    }
    live = LiveCounts.connect(EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, LiveRow.TABLE, bigtable.host());
    dashboard = Dashboard.start("localhost", 0, live, EventContract.DEFAULT_ALLOWED_LATENESS, Duration.standardMinutes(5), null);
  }

  @AfterClass
  public static void stop() {
    dashboard.close();
    live.close();
    bigtable.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + dashboard.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  public void everyAnswerForbidsSniffingFramingAndForeignScripts() throws Exception {
    for (String path : List.of("/", "/dashboard.js", "/api/types", "/nothing-here")) {
      HttpResponse<String> response = get(path);
      assertEquals(path, "nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
      assertEquals(path, "DENY", response.headers().firstValue("X-Frame-Options").orElse(""));
      assertThat(path, response.headers().firstValue("Content-Security-Policy").orElse(""),
          containsString("default-src 'self'; script-src 'self';"));
    }
  }

  @Test
  public void aRequestForAnotherHostIsRefused() throws Exception {
    assertThat(rawGet("evil.example"), containsString("HTTP/1.1 403"));
    assertThat(rawGet("evil.example:" + dashboard.port()), containsString("not served to host evil.example"));
    assertThat(rawGet("localhost:" + dashboard.port()), containsString("HTTP/1.1 200"));
    assertThat(rawGet("127.0.0.1:" + dashboard.port()), containsString("HTTP/1.1 200"));
  }

  /** A request as a browser that resolved a hostile name to this machine sends it. */
  private static String rawGet(String host) throws Exception {
    try (Socket socket = new Socket("localhost", dashboard.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/pipeline HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  public void aFloodOfTypesIsListedUpToTheIndexBoundInOneCheapAnswer() throws Exception {
    long started = System.nanoTime();
    JsonNode types = new ObjectMapper().readTree(get("/api/types").body());
    assertEquals(TypeIndex.MAX_TYPES, types.get("types").size());
    assertEquals("type-0000", types.get("types").get(0).asText());
    assertTrue(types.get("truncated").asBoolean());
    assertEquals(200, get("/api/health").statusCode());
    assertTrue("answered within 5 s", System.nanoTime() - started < 5_000_000_000L);
  }

  @Test
  public void aStoreThatStopsAnsweringIsA503WithinTheDeadline() throws Exception {
    bigtable.pause();
    try {
      long started = System.nanoTime();
      HttpResponse<String> health = get("/api/counts?type=type-0001&minutes=5");
      double seconds = (System.nanoTime() - started) / 1e9;
      assertEquals(health.body(), 503, health.statusCode());
      assertThat(health.body(), containsString("store unreachable"));
      assertTrue("answered in " + seconds + " s", seconds < Dashboard.STORE_DEADLINE.getStandardSeconds() + 2);
    } finally {
      bigtable.resume();
    }
  }
}
