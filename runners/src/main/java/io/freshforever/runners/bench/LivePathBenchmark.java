package io.freshforever.runners.bench;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.StreamingPipelineOptions;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.pipelines.live.WriteLiveCounts;
import io.freshforever.runners.bench.nativeflink.NativeFlinkJob;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.metrics.MetricsEndpoint;
import io.freshforever.runners.metrics.ScrapedMetrics;
import io.freshforever.runners.stack.Folders;
import io.freshforever.runners.stack.FreePorts;
import io.freshforever.runners.stack.LocalStack;
import io.freshforever.runners.stack.StreamingJobs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.core.execution.JobClient;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The live path against its peers, every row on one private local stack in one run, each row on a
 * backlog of its own made with the same seed (so the same records): what {@code fresh generate}
 * makes by default, 5% retried copies, 2% late within grace, 0.5% too late, 0.5% bad.
 *
 * <ol>
 *   <li><b>The limit</b>: {@link PlainConsumerLimit}, read + parse + dedup + count in one thread.
 *   <li><b>A native Flink job</b> doing the same work ({@link NativeFlinkJob}).
 *   <li><b>The pipeline on the FlinkRunner</b>, then <b>on the DirectRunner</b>.
 * </ol>
 *
 * A drain is timed from the first count in Bigtable until every expected count is there; the CPU
 * figure is this process's CPU time over the drain (the broker and the emulator run in processes
 * of their own) per record. After the drain, with every window still open, the heap after a full GC
 * minus the heap before the job, per distinct id, bounds what the dedup state holds per live id (it
 * also holds the runner's own state, so it is an upper bound); and, measured on the state itself,
 * the size of the Flink jobs' first checkpoint completed after the drain, per distinct id (all of
 * the job's state, of which dedup is nearly all). Neither job writes the lake: that is
 * the lake connector's work, in Kafka Connect.
 * Then, for the pipeline's rows, freshness: records produced at each fixed rate beside a probe
 * event a second ({@link FreshnessProbe}): p50, p99 and max of "sent until its minute's count in
 * Bigtable includes it", per probe; and the Bigtable row writes per second over the run ({@value
 * WriteLiveCounts#ROWS_WRITTEN}, scraped from the job's metrics endpoint).
 */
public final class LivePathBenchmark {
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(20);

  /** One drain of the backlog. A per-id figure is NaN where it was not measured. */
  public record Drain(
      String name, long records, double seconds, double cpuSeconds, double heapPerIdBytes, double checkpointPerIdBytes) {
    public double recordsPerSecond() {
      return records / seconds;
    }

    public double cpuMicrosPerRecord() {
      return cpuSeconds * 1e6 / records;
    }
  }

  /** Lags of the probes in seconds; {@code missed}: probes never seen; {@code writesPerSecond}: Bigtable row writes. */
  public record Freshness(
      String name, double rate, int seconds, double p50, double p99, double max, int probes, int missed,
      double writesPerSecond) {}

  public record Result(PlainConsumerLimit.Result limit, List<Drain> drains, List<Freshness> freshness) {}

  private LivePathBenchmark() {}

  /**
   * @param flinkArgs Beam options of the FlinkRunner row (runner, parallelism...)
   * @param directArgs Beam options of the DirectRunner row
   * @param progress told each row's figures as they are measured
   */
  public static Result run(
      List<String> flinkArgs,
      List<String> directArgs,
      int partitions,
      long records,
      List<Double> rates,
      int seconds,
      double badRate,
      Consumer<String> progress)
      throws Exception {
    Path dir = Files.createTempDirectory("fresh-bench");
    // The native peer does the Flink row's work, with its window, firings and grace.
    StreamingPipelineOptions defaults =
        PipelineOptionsFactory.fromArgs(flinkArgs.toArray(new String[0])).as(StreamingPipelineOptions.class);
    try (LocalStack stack = LocalStack.startOnFreePorts(dir)) {
      long wantTotal = produceBacklog(stack, "bench-limit", partitions, records, badRate);
      PlainConsumerLimit.Result limit = PlainConsumerLimit.read(stack.kafka.bootstrapServers(), "bench-limit");
      progress.accept(String.format("plain consumer: %,.0f records/s", limit.recordsPerSecond()));
      List<Drain> drains = new ArrayList<>();
      List<Freshness> freshness = new ArrayList<>();

      String nativeTable = table(stack, "native");
      wantTotal = produceBacklog(stack, "bench-native", partitions, records, badRate);
      long heapBefore = heapAfterGc();
      long cpuBefore = processCpuNanos();
      JobClient peer =
          NativeFlinkJob.start(
              new NativeFlinkJob.Settings(
                  stack.kafka.bootstrapServers(), "bench-native", "bench-native",
                  dir.resolve("checkpoints-native"),
                  EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE,
                  nativeTable, stack.bigtable.host(), parallelismOf(flinkArgs),
                  Duration.ofSeconds(defaults.getWindowSeconds()),
                  Duration.ofMillis(defaults.getEarlyFiringMillis()),
                  Duration.ofSeconds(defaults.getAllowedLatenessSeconds()),
                  Duration.ofSeconds(defaults.getWatermarkDelaySeconds()),
                  Duration.ofSeconds(defaults.getMaxFutureSkewSeconds()),
                  Duration.ofSeconds(10)));
      try (LiveCounts live = connect(stack, nativeTable)) {
        drains.add(
            drain("native Flink job", live, records, wantTotal, cpuBefore, heapBefore, dir.resolve("checkpoints-native")));
        progress.accept(describe(drains.get(drains.size() - 1)));
      } finally {
        peer.cancel().get();
      }

      for (List<String> runnerArgs : List.of(flinkArgs, directArgs)) {
        boolean flink = runnerArgs.stream().anyMatch(a -> a.startsWith("--runner=Flink"));
        String row = flink ? "flink" : "direct";
        String name = flink ? "Beam on the FlinkRunner" : "Beam on the DirectRunner";
        String topic = "bench-" + row;
        String table = table(stack, row);
        wantTotal = produceBacklog(stack, topic, partitions, records, badRate);
        List<String> args = new ArrayList<>(runnerArgs);
        args.add("--kafkaTopic=" + topic);
        args.add("--kafkaConsumerGroup=" + topic + "-live");
        args.add("--bigtableTable=" + table);
        args.add("--lake=" + dir.resolve("lake-" + row));
        args.add(flink ? "--attachedMode=false" : "--blockOnRun=false");
        int metricsPort = FreePorts.next();
        args = MetricsEndpoint.configure(args, metricsPort);
        heapBefore = heapAfterGc();
        cpuBefore = processCpuNanos();
        LiveJob job = StreamingJobs.start(stack, args);
        try (LiveCounts live = connect(stack, table);
            MetricsEndpoint metrics = MetricsEndpoint.serve(args, metricsPort, job.pipeline())) {
          drains.add(drain(name, live, records, wantTotal, cpuBefore, heapBefore, flink ? checkpointsOf(runnerArgs) : null));
          progress.accept(describe(drains.get(drains.size() - 1)));
          for (double rate : rates) {
            freshness.add(freshness(name, stack, topic, partitions, live, metrics.uri(), rate, seconds, badRate));
            progress.accept(describe(freshness.get(freshness.size() - 1)));
          }
        } finally {
          job.close();
        }
      }
      return new Result(limit, drains, freshness);
    } finally {
      Folders.deleteRecursively(dir); // four 1M-record backlogs, lakes and checkpoints: several GB
    }
  }

  /** Produces the backlog (always seed 1: every row gets the same records) and returns its total. */
  static long produceBacklog(LocalStack stack, String topic, int partitions, long records, double badRate)
      throws Exception {
    stack.kafka.createTopic(topic, partitions);
    try (EventGenerator generator = new EventGenerator(settings(stack, topic, 1L, badRate))) {
      generator.produce(records, 0, Long.MAX_VALUE, () -> {});
      return generator.expectations().live().values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static Drain drain(
      String name, LiveCounts live, long records, long wantTotal, long cpuBefore, long heapBefore,
      @Nullable Path checkpoints)
      throws InterruptedException, IOException {
    double seconds = secondsToCount(name, live, wantTotal);
    double cpu = (processCpuNanos() - cpuBefore) / 1e9;
    long counted = System.currentTimeMillis();
    int begunBefore = checkpoints == null ? 0 : newestCheckpointNumber(checkpoints);
    long grown = heapAfterGc() - heapBefore;
    // Less than before: the previous row's memory was still being freed; no figure.
    double heapPerId = grown > 0 ? grown / (double) wantTotal : Double.NaN;
    double checkpointPerId =
        checkpoints == null ? Double.NaN : checkpointBytesAfter(checkpoints, begunBefore) / (double) wantTotal;
    return new Drain(name, records, seconds, cpu, heapPerId, checkpointPerId);
  }

  /** The Flink row's checkpoint folder, from its options. */
  private static Path checkpointsOf(List<String> flinkArgs) {
    return flinkArgs.stream()
        .filter(a -> a.startsWith("--stateBackendStoragePath="))
        .map(a -> Path.of(URI.create(a.substring("--stateBackendStoragePath=".length()))))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the Flink row needs --stateBackendStoragePath"));
  }

  /** The number of the newest checkpoint begun under {@code root} (its {@code chk-N} folder made); 0 if none. */
  static int newestCheckpointNumber(Path root) {
    return checkpointFolders(root).stream().mapToInt(LivePathBenchmark::numberOf).max().orElse(0);
  }

  /**
   * The bytes of the first checkpoint under {@code root} begun after checkpoint {@code begunBefore}
   * and complete (its {@code _metadata} written): the job's whole state, as the heap backend
   * stores it, in full, in its {@code chk-N} folder. NaN when none completes in a minute.
   */
  static double checkpointBytesAfter(Path root, int begunBefore) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      Optional<Path> done =
          checkpointFolders(root).stream()
              .filter(chk -> numberOf(chk) > begunBefore && Files.isRegularFile(chk.resolve("_metadata")))
              .min(Comparator.comparingInt(LivePathBenchmark::numberOf));
      if (done.isPresent()) {
        try (Stream<Path> checkpoint = Files.walk(done.get())) {
          return checkpoint.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | UncheckedIOException deletedMeanwhile) {
          // Flink removes a superseded checkpoint as the next completes: look again.
        }
      }
      Thread.sleep(500);
    }
    return Double.NaN;
  }

  private static List<Path> checkpointFolders(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root, 2)) {
      return files.filter(f -> f.getFileName().toString().matches("chk-\\d+")).toList();
    } catch (IOException | UncheckedIOException deletedMeanwhile) {
      return List.of();
    }
  }

  private static int numberOf(Path checkpoint) {
    return Integer.parseInt(checkpoint.getFileName().toString().substring("chk-".length()));
  }

  /** Seconds from the first count in Bigtable until the counts add up to {@code wantTotal}. */
  static double secondsToCount(String name, LiveCounts live, long wantTotal) throws InterruptedException {
    long firstRow = 0;
    long deadline = System.currentTimeMillis() + DRAIN_LIMIT.toMillis();
    while (System.currentTimeMillis() < deadline) {
      long total = live.readAll().stream().mapToLong(LiveRow::count).sum();
      if (total > 0 && firstRow == 0) {
        firstRow = System.currentTimeMillis();
      }
      if (total >= wantTotal) {
        return (System.currentTimeMillis() - firstRow) / 1000.0;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(name + " did not count the backlog in " + DRAIN_LIMIT.toMinutes() + " minutes");
  }

  private static Freshness freshness(
      String name, LocalStack stack, String topic, int partitions, LiveCounts live, URI metrics, double rate,
      int seconds, double badRate)
      throws Exception {
    List<Double> lags;
    long writesBefore;
    long writesAfter;
    try (EventGenerator generator = new EventGenerator(settings(stack, topic, 2L + (long) rate, badRate))) {
      long end = System.currentTimeMillis() + seconds * 1000L;
      generator.produce(Long.MAX_VALUE, rate, Math.min(end, System.currentTimeMillis() + 2000), () -> {});
      // After 2 s of warm-up at the target rate.
      writesBefore = ScrapedMetrics.scrape(metrics).counter(WriteLiveCounts.ROWS_WRITTEN);
      long measuredFrom = System.currentTimeMillis();
      try (FreshnessProbe probe = FreshnessProbe.start(stack.kafka.bootstrapServers(), topic, partitions, live)) {
        generator.produce(Long.MAX_VALUE, rate, end, () -> {});
        writesAfter = ScrapedMetrics.scrape(metrics).counter(WriteLiveCounts.ROWS_WRITTEN);
        double measured = (System.currentTimeMillis() - measuredFrom) / 1000.0;
        lags = probe.lags(org.joda.time.Duration.standardSeconds(30));
        int missed = (int) lags.stream().filter(lag -> lag.isInfinite()).count();
        return new Freshness(
            name, rate, seconds, percentile(lags, 0.50), percentile(lags, 0.99), lags.isEmpty() ? Double.NaN : lags.get(lags.size() - 1),
            lags.size(), missed, (writesAfter - writesBefore) / measured);
      }
    }
  }

  static String describe(Drain d) {
    return String.format(
        "%s: %,d records in %.1f s = %,.0f records/s, %.1f us CPU/record%s%s",
        d.name(), d.records(), d.seconds(), d.recordsPerSecond(), d.cpuMicrosPerRecord(),
        Double.isNaN(d.heapPerIdBytes()) ? "" : String.format(", heap %.0f B/live id", d.heapPerIdBytes()),
        Double.isNaN(d.checkpointPerIdBytes()) ? "" : String.format(", checkpoint %.1f B/live id", d.checkpointPerIdBytes()));
  }

  static String describe(Freshness f) {
    return String.format(
        "%s, freshness at %,.0f records/s for %d s: p50 %.2f s, p99 %.2f s, max %.2f s (%d probes, %d never seen);"
            + " %,.0f Bigtable row writes/s",
        f.name(), f.rate(), f.seconds(), f.p50(), f.p99(), f.max(), f.probes(), f.missed(), f.writesPerSecond());
  }

  static String table(LocalStack stack, String row) throws Exception {
    String table = "event_counts_" + row;
    stack.bigtable.createTable(table);
    return table;
  }

  static LiveCounts connect(LocalStack stack, String table) throws Exception {
    return LiveCounts.connect(EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, table, stack.bigtable.host());
  }

  private static int parallelismOf(List<String> args) {
    return args.stream()
        .filter(a -> a.startsWith("--parallelism="))
        .map(a -> Integer.parseInt(a.substring("--parallelism=".length())))
        .findFirst()
        .orElse(Runtime.getRuntime().availableProcessors());
  }

  /**
   * The heap after full GCs, repeated until it stops falling: a job that was just closed still
   * frees its threads' memory for a moment, which would be charged to the next row's ids.
   */
  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long used = memory.getHeapMemoryUsage().getUsed();
    for (int attempt = 0; attempt < 10; attempt++) {
      Thread.sleep(500);
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used * 0.98) {
        return Math.min(used, now);
      }
      used = now;
    }
    return used;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static EventGenerator.Settings settings(LocalStack stack, String topic, long seed, double badRate) {
    return EventGenerator.Settings.defaultMix(stack.kafka.bootstrapServers(), topic).withBadRate(badRate).withSeed(seed);
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
