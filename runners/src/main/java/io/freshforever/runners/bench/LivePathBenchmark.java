package io.freshforever.runners.bench;

import io.freshforever.pipelines.LiveJob;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.LocalStack;
import io.freshforever.runners.stack.StreamingJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.joda.time.Duration;

/**
 * Measures the live path on a private local stack and prints the figures. The records are what
 * {@code fresh generate} makes by default: 5% retried copies, 2% late within grace, 0.5% too late,
 * 0.5% bad.
 *
 * <ol>
 *   <li><b>The limit</b>: {@link PlainConsumerLimit} reads the same backlog first.
 *   <li><b>Throughput</b>: a backlog of {@code events} records is produced first, then the
 *       pipeline starts; the figure is records / seconds from the first count in Bigtable until
 *       every expected count is there.
 *   <li><b>Freshness</b>: with the pipeline caught up, records are produced at {@code rate} for
 *       {@code seconds}; four times a second the newest counted event time in Bigtable is compared
 *       with the clock (events are stamped when produced), giving p50 and p99 of "produced until
 *       visible to a dashboard".
 * </ol>
 */
public final class LivePathBenchmark {
  /**
   * {@code p50ByThird}: the median lag in each third of the freshness run, in time order: a path
   * that keeps up shows three similar figures, one that falls behind a rising series.
   */
  public record Result(
      PlainConsumerLimit.Result limit,
      long records,
      double catchUpSeconds,
      double throughput,
      double p50,
      double p99,
      int samples,
      List<Double> p50ByThird) {}

  private LivePathBenchmark() {}

  public static Result run(
      List<String> runnerArgs, int partitions, long records, double rate, int seconds)
      throws Exception {
    Path dir = Files.createTempDirectory("fresh-bench");
    try (LocalStack stack = LocalStack.startOnFreePorts(dir)) {
      String topic = "events-bench";
      stack.kafka.createTopic(topic, partitions);
      List<String> types = List.of("page_view", "click", "search", "add_to_cart", "purchase", "signup", "login", "share");
      Expectations backlog;
      try (EventGenerator generator = new EventGenerator(settings(stack, topic, types, 1L))) {
        generator.produce(records, 0, Long.MAX_VALUE, () -> {});
        backlog = generator.expectations();
      }
      long wantTotal = backlog.live().values().stream().mapToLong(Long::longValue).sum();
      PlainConsumerLimit.Result limit = PlainConsumerLimit.read(stack.kafka.bootstrapServers(), topic);

      List<String> args = new ArrayList<>(runnerArgs);
      args.add("--kafkaTopic=" + topic);
      args.add("--lake=" + dir.resolve("lake"));
      args.add(runnerArgs.stream().anyMatch(a -> a.contains("Flink")) ? "--attachedMode=false" : "--blockOnRun=false");
      LiveJob job = StreamingJobs.start(stack, args);
      try (LiveCounts live = LiveCounts.connect("fresh-local", "fresh-local", "event_counts", stack.bigtable.host())) {
        long firstRow = 0;
        long done = 0;
        long deadline = System.currentTimeMillis() + Duration.standardMinutes(20).getMillis();
        while (System.currentTimeMillis() < deadline) {
          long total = live.readAll().stream().mapToLong(LiveCounts.Minute::count).sum();
          if (total > 0 && firstRow == 0) {
            firstRow = System.currentTimeMillis();
          }
          if (total >= wantTotal) {
            done = System.currentTimeMillis();
            break;
          }
          Thread.sleep(250);
        }
        if (done == 0) {
          throw new IllegalStateException("the pipeline did not catch up with the backlog in 20 minutes");
        }
        double catchUp = (done - firstRow) / 1000.0;

        List<Double> lags = new ArrayList<>();
        Thread sampler =
            new Thread(
                () -> {
                  try {
                    while (!Thread.currentThread().isInterrupted()) {
                      long newest =
                          live.readAll().stream()
                              .mapToLong(m -> m.newestEvent().getMillis())
                              .max()
                              .orElse(0);
                      lags.add((System.currentTimeMillis() - newest) / 1000.0);
                      Thread.sleep(250);
                    }
                  } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                  }
                });
        try (EventGenerator generator = new EventGenerator(settings(stack, topic, types, 2L))) {
          long end = System.currentTimeMillis() + seconds * 1000L;
          generator.produce(Long.MAX_VALUE, rate, Math.min(end, System.currentTimeMillis() + 2000), () -> {});
          sampler.start(); // after 2 s of warm-up at the target rate
          generator.produce(Long.MAX_VALUE, rate, end, () -> {});
        }
        sampler.interrupt();
        sampler.join();
        List<Double> p50ByThird = new ArrayList<>();
        for (int third = 0; third < 3; third++) {
          List<Double> part =
              new ArrayList<>(lags.subList(third * lags.size() / 3, (third + 1) * lags.size() / 3));
          Collections.sort(part);
          p50ByThird.add(percentile(part, 0.50));
        }
        Collections.sort(lags);
        return new Result(
            limit,
            records,
            catchUp,
            records / catchUp,
            percentile(lags, 0.50),
            percentile(lags, 0.99),
            lags.size(),
            p50ByThird);
      } finally {
        job.close();
      }
    }
  }

  private static EventGenerator.Settings settings(
      LocalStack stack, String topic, List<String> types, long seed) {
    return new EventGenerator.Settings(
        stack.kafka.bootstrapServers(), topic, types, 0.05, 0.02, 0.005, 0.005,
        Duration.standardMinutes(10), Duration.ZERO, seed);
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
