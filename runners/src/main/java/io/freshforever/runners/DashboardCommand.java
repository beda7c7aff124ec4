package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.dashboard.Dashboard;
import io.freshforever.runners.live.LiveCounts;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.joda.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the ops dashboard (the page and its read-only JSON API) over the live view in Bigtable,",
      "the emulator or a real instance, until Ctrl-C. It only reads. /api/health answers 503",
      "(\"stale\", with the reason) when the newest counted event is older than --stale-after-seconds:",
      "point a probe at it."
    })
final class DashboardCommand implements Callable<Integer> {
  @Option(names = "--host", description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  String host = "localhost";

  @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port = 8080;

  @Option(
      names = "--stale-after-seconds",
      description = "Health is stale when the newest counted event is older than this (default: ${DEFAULT-VALUE}).")
  long staleAfterSeconds = Dashboard.DEFAULT_STALE_AFTER.getStandardSeconds();

  @Option(
      names = "--allowed-lateness-seconds",
      description = "The streaming job's grace period: minutes younger than it are shown as open (default: ${DEFAULT-VALUE}).")
  long allowedLatenessSeconds = EventContract.DEFAULT_ALLOWED_LATENESS_SECONDS;

  @Mixin LiveStoreMixin store = new LiveStoreMixin();

  @Override
  public Integer call() throws Exception {
    if (staleAfterSeconds < 1 || allowedLatenessSeconds < 0 || port < 0 || port > 65535) {
      System.err.println("fresh dashboard: --stale-after-seconds must be at least 1, --allowed-lateness-seconds"
          + " at least 0 and --port from 0 to 65535");
      return 2;
    }
    try (LiveCounts live = store.connect()) {
      Dashboard dashboard;
      try {
        dashboard =
            Dashboard.start(
                host, port, live, Duration.standardSeconds(allowedLatenessSeconds), Duration.standardSeconds(staleAfterSeconds));
      } catch (IOException e) {
        System.err.println("fresh dashboard: cannot listen on " + host + ":" + port + ": " + e.getMessage());
        return 2;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        dashboard.close();
        stopped.countDown();
      }, "fresh-dashboard-stop"));
      String emulator = store.emulator();
      System.out.printf(
          "fresh dashboard: http://%s:%d  (health: /api/health, stale after %d s)%n"
              + "  reading Bigtable %s/%s table %s%s; Ctrl-C stops%n",
          host, dashboard.port(), staleAfterSeconds, store.project, store.instance, store.table,
          emulator == null ? "" : " on the emulator at " + emulator);
      stopped.await();
    }
    return 0;
  }
}
