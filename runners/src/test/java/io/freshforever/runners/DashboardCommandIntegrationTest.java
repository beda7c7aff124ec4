package io.freshforever.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.runners.stack.FreePorts;
import io.freshforever.runners.stack.FreshProcess;
import io.freshforever.runners.stack.LocalBigtable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Instant;
import org.junit.Test;

/** {@code fresh dashboard} as ops run it: its own process, over a store it is pointed at. */
public class DashboardCommandIntegrationTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  public void servesTheStoreItIsPointedAtAndStopsOnASignal() throws Exception {
    int port = FreePorts.next();
    Path log = Path.of("target", "dashboard-command-test.log");
    try (LocalBigtable bigtable = LocalBigtable.startOnFreePort();
        LiveRows rows = new LiveRows(bigtable)) {
      Instant now = Instant.now();
      rows.write("purchase", new Instant(now.getMillis() - now.getMillis() % 60_000), 3, now, PaneInfo.Timing.EARLY, 0);
      FreshProcess dashboard =
          FreshProcess.start(
              System.getProperty("java.class.path"),
              List.of("dashboard", "--port=" + port, "--bigtableEmulatorHost=" + bigtable.host(), "--staleAfterSeconds=120"),
              log);
      try {
        HttpResponse<String> health = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (health == null && System.currentTimeMillis() < deadline && dashboard.isAlive()) {
          try {
            health = get(port, "/api/health");
          } catch (java.io.IOException notYet) {
            Thread.sleep(300);
          }
        }
        assertTrue("the dashboard did not answer; its log:\n" + dashboard.output(), health != null);
        assertEquals(health.body(), 200, health.statusCode());
        assertThat(health.body(), containsString("\"stale_after_seconds\":120.0"));
        assertEquals("{\"types\":[\"purchase\"]}", get(port, "/api/types").body());
      } finally {
        dashboard.close(); // SIGTERM, as Ctrl-C
      }
      assertTrue("stopped on SIGTERM", !dashboard.isAlive());
    }
    assertThat(Files.readString(log), containsString("fresh dashboard: http://localhost:" + port));
  }

  @Test
  public void badValuesGetOneLineAndExitTwo() {
    assertEquals(2, FreshCli.run("dashboard", "--staleAfterSeconds=0").exitCode());
    assertEquals(2, FreshCli.run("dashboard", "--port=70000").exitCode());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
