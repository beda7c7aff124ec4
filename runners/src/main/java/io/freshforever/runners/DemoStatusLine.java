package io.freshforever.runners;

import io.freshforever.runners.dashboard.PipelineHealth;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.metrics.MetricsEndpoint;
import io.freshforever.runners.metrics.ScrapedMetrics;
import java.io.IOException;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** The demo's status line, every few seconds: the same figures on both runners. */
final class DemoStatusLine {
  private DemoStatusLine() {}

  /** One status line: what was produced, the pipeline's counters, the live view's lag, the last load. */
  static String of(Expectations sent, MetricsEndpoint metrics, LiveCounts live, String lastBatch) {
    String pipeline = pipelineMetrics(metrics);
    String lag;
    try {
      Instant now = Instant.now();
      lag =
          live.newestEventSince(live.types(), now.minus(Duration.standardMinutes(2)))
              .map(newest -> String.format("%.1f s", (now.getMillis() - newest.getMillis()) / 1000.0))
              .orElse("no counts yet");
    } catch (RuntimeException e) {
      lag = "unknown (" + e.getMessage() + ")";
    }
    return String.format(
        "[%s] produced %,d (%,d retries, %,d too late, %,d bad) | %s | live-view lag %s | warehouse %s",
        Instant.now().toString().substring(11, 19), sent.produced(), sent.duplicates(), sent.tooLate(),
        sent.deadLetters().values().stream().mapToLong(Long::longValue).sum(), pipeline, lag, lastBatch);
  }

  /** From the metrics endpoint, as Prometheus reads them: the same on both runners. */
  private static String pipelineMetrics(MetricsEndpoint endpoint) {
    try {
      PipelineHealth.Totals totals = PipelineHealth.Totals.of(ScrapedMetrics.scrape(endpoint.uri()));
      return String.format(
          "read %,d, duplicates dropped %,d, late updates %,d, dead letters %,d",
          totals.eventsIn(), totals.duplicatesDropped(), totals.lateUpdates(), totals.deadLetters());
    } catch (IOException e) {
      return "pipeline metrics unavailable: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "pipeline metrics unavailable: interrupted";
    }
  }
}
