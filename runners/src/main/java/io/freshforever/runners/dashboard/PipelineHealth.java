package io.freshforever.runners.dashboard;

import io.freshforever.runners.metrics.ScrapedMetrics;
import io.freshforever.transforms.FreshMetrics;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The pipeline's own counters per minute, for the dashboard's health strip: the streaming job's
 * metrics endpoint ({@code fresh stream --metricsPort}) is scraped every {@value #SCRAPE_SECONDS}
 * s and each scrape's increase is added to the minute it was taken in. A counter that went down
 * (the job restarted) counts from zero again, as Prometheus' {@code increase} does.
 */
public final class PipelineHealth implements AutoCloseable {
  static final int SCRAPE_SECONDS = 10;
  static final int MINUTES_KEPT = 60;

  /** What the strip shows, in its order. */
  public record Totals(long eventsIn, long duplicatesDropped, long lateUpdates, long tooLate, long deadLetters) {
    public static Totals of(ScrapedMetrics metrics) {
      return new Totals(
          metrics.counter(FreshMetrics.RECORDS_READ),
          metrics.counter(FreshMetrics.DUPLICATES_DROPPED),
          metrics.counter(FreshMetrics.LATE_UPDATES),
          metrics.tooLateForLiveView(),
          metrics.counter(FreshMetrics.DEAD_LETTERS));
    }

    Totals increaseSince(Totals before) {
      return new Totals(
          increase(before.eventsIn, eventsIn),
          increase(before.duplicatesDropped, duplicatesDropped),
          increase(before.lateUpdates, lateUpdates),
          increase(before.tooLate, tooLate),
          increase(before.deadLetters, deadLetters));
    }

    Totals plus(Totals other) {
      return new Totals(
          eventsIn + other.eventsIn,
          duplicatesDropped + other.duplicatesDropped,
          lateUpdates + other.lateUpdates,
          tooLate + other.tooLate,
          deadLetters + other.deadLetters);
    }

    private static long increase(long before, long now) {
      return now >= before ? now - before : now;
    }
  }

  public record Minute(Instant start, Totals increase) {}

  private final URI endpoint;
  private final TreeMap<Instant, Totals> minutes = new TreeMap<>();
  private @Nullable Totals last;
  private @Nullable String error = "not scraped yet";
  private @Nullable ScheduledExecutorService scraper;

  PipelineHealth(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** Scrapes {@code endpoint} from now on, until {@link #close}. */
  public static PipelineHealth scraping(URI endpoint) {
    PipelineHealth health = new PipelineHealth(endpoint);
    health.scraper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "dashboard-metrics-scrape");
      thread.setDaemon(true);
      return thread;
    });
    health.scraper.scheduleWithFixedDelay(health::scrape, 0, SCRAPE_SECONDS, TimeUnit.SECONDS);
    return health;
  }

  public URI endpoint() {
    return endpoint;
  }

  private void scrape() {
    try {
      record(Instant.now(), Totals.of(ScrapedMetrics.scrape(endpoint)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failed(e.toString());
    }
  }

  synchronized void record(Instant at, Totals totals) {
    if (last != null) {
      Instant minute = at.minus(at.getMillis() % Duration.standardMinutes(1).getMillis());
      minutes.merge(minute, totals.increaseSince(last), Totals::plus);
      while (minutes.size() > MINUTES_KEPT) {
        minutes.pollFirstEntry();
      }
    }
    last = totals;
    error = null;
  }

  synchronized void failed(String why) {
    error = why;
  }

  /** The last {@code n} minutes that have a scrape, oldest first. */
  synchronized List<Minute> lastMinutes(int n) {
    List<Minute> shown = new ArrayList<>();
    for (Map.Entry<Instant, Totals> minute : minutes.descendingMap().entrySet()) {
      if (shown.size() == n) {
        break;
      }
      shown.add(0, new Minute(minute.getKey(), minute.getValue()));
    }
    return shown;
  }

  /** Why the last scrape failed; null when it worked. */
  synchronized @Nullable String error() {
    return error;
  }

  @Override
  public void close() {
    if (scraper != null) {
      scraper.shutdownNow();
    }
  }
}
