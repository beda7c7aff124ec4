package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.dashboard.Dashboard;
import io.freshforever.runners.live.LiveCounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.joda.time.Duration;

/**
 * A dashboard over a live view, asked what the page asks (types, health, a type's counts) five
 * times a second from a thread of its own while a test does harm: every answer slower than a second,
 * or other than 200 (or a stale health), is kept with what was asked and how long it took. The
 * machine is two noisy cores: {@link #outOfBounds} allows one answer in a hundred slower than a
 * second (a pause of the JVM or the box), none slower than three seconds, no failed one.
 */
final class DashboardProbe implements AutoCloseable {
  private static final List<String> PATHS =
      List.of("/api/types", "/api/health", "/api/counts?type=click&minutes=30",
          "/api/counts?type=" + EventContract.OTHER_TYPES + "&minutes=30");
  private static final java.time.Duration LIMIT = java.time.Duration.ofSeconds(1);
  private static final java.time.Duration HARD_LIMIT = java.time.Duration.ofSeconds(3);

  private final Dashboard dashboard;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> slowOrFailed = new ArrayList<>();
  private final Thread thread;

  private DashboardProbe(Dashboard dashboard) {
    this.dashboard = dashboard;
    this.thread = new Thread(this::ask, "dashboard-probe");
  }

  /** A health threshold of 5 minutes: this probe measures answers, not freshness. */
  static DashboardProbe start(LiveCounts live) throws Exception {
    DashboardProbe probe =
        new DashboardProbe(
            Dashboard.start("localhost", 0, live, EventContract.DEFAULT_ALLOWED_LATENESS, Duration.standardMinutes(5), null));
    probe.thread.start();
    return probe;
  }

  private void ask() {
    while (!stopped.get()) {
      for (String path : PATHS) {
        long started = System.nanoTime();
        String outcome;
        try {
          HttpResponse<String> response =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + dashboard.port() + path))
                      .timeout(LIMIT.multipliedBy(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          // Stale is an answer (no event counted yet in the lookback); a store that did not answer is not.
          boolean answered =
              response.statusCode() == 200
                  || (path.equals("/api/health") && response.body().contains("\"status\":\"stale\""));
          outcome = answered ? null : "status " + response.statusCode() + ": " + response.body();
        } catch (Exception e) {
          outcome = e.toString();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        requests.incrementAndGet();
        if (outcome != null || millis > LIMIT.toMillis()) {
          synchronized (slowOrFailed) {
            slowOrFailed.add(path + " " + millis + " ms" + (outcome == null ? "" : ", " + outcome));
          }
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  int requests() {
    return requests.get();
  }

  /** Every slow or failed answer when any failed, one took over three seconds, or over 1% were slow; else none. */
  List<String> outOfBounds() {
    List<String> seen = slowOrFailed();
    boolean failedOrHung =
        seen.stream().anyMatch(answer -> answer.contains(", ") || millisOf(answer) > HARD_LIMIT.toMillis());
    return failedOrHung || seen.size() * 100 > requests() ? seen : List.of();
  }

  private static long millisOf(String answer) {
    String[] words = answer.split(" ");
    return Long.parseLong(words[1]);
  }

  private List<String> slowOrFailed() {
    synchronized (slowOrFailed) {
      return List.copyOf(slowOrFailed);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped.set(true);
    thread.join();
    dashboard.close();
  }
}
