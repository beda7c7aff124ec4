package io.freshforever.runners.bench;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.FreshProcess;
import io.freshforever.runners.stack.LocalConnect;
import io.freshforever.runners.stack.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;

/**
 * Chaos on a private local stack: traffic at a steady rate for a long time while the live job
 * ({@code fresh stream}, a process of its own) and the Connect worker running the lake connector
 * are killed with SIGKILL every few minutes, the first started again with the same command, the
 * second by the stack. Prints, as it goes, the kills and the stream process's
 * heap after a full GC; at the end, once the live view has caught up: records lost from the lake
 * (must be 0), dead letters lost, and live windows above their exact or below their in-grace count.
 */
public final class SoakBenchmark {
  /** What one soak found. */
  public record Result(
      long produced,
      int kills,
      long distinctSent,
      long distinctInLake,
      long deadLettersSent,
      long deadLettersInLake,
      int windows,
      int windowsOver,
      int windowsUnder,
      List<String> windowsOutOfBounds,
      List<Long> heapAfterGcMb) {}

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private SoakBenchmark() {}

  public static Result run(
      List<String> streamArgs, double rate, Duration length, Duration killEvery, long seed, Consumer<String> progress)
      throws Exception {
    Path dir = Files.createTempDirectory("fresh-soak");
    progress.accept("soak: stack, stream logs and lake in " + dir);
    Random random = new Random(seed);
    try (LocalStack stack = LocalStack.startOnFreePorts(dir)) {
      String topic = "events-soak";
      stack.kafka.createTopic(topic, 4);
      stack.runLakeConnector(topic, dir.resolve("lake"), java.time.Duration.ofSeconds(10), 4);
      LocalConnect lakeWorker = stack.connectWorkers().get(0);
      List<String> args = new ArrayList<>(List.of("stream"));
      args.addAll(streamArgs);
      args.add("--kafkaBootstrapServers=" + stack.kafka.bootstrapServers());
      args.add("--bigtableEmulatorHost=" + stack.bigtable.host());
      args.add("--kafkaTopic=" + topic);
      args.add("--lake=" + dir.resolve("lake"));
      args.add("--stateBackendStoragePath=" + dir.resolve("checkpoints").toUri());
      String classpath = System.getProperty("java.class.path");
      int starts = 1;
      FreshProcess stream = FreshProcess.start(classpath, args, dir.resolve("stream-1.log"));
      List<Long> heap = new ArrayList<>();
      EventGenerator.Settings settings =
          EventGenerator.Settings.defaultMix(stack.kafka.bootstrapServers(), topic)
              .withEventTypes(List.of("page_view", "click", "search", "add_to_cart", "purchase", "signup"))
              .withWarmUp(Duration.standardSeconds(30))
              .withSeed(seed);
      AtomicReference<Exception> producing = new AtomicReference<>();
      Expectations expected;
      try (EventGenerator generator = new EventGenerator(settings);
          LiveCounts live =
              LiveCounts.connect(
                  EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE,
                  LiveRow.TABLE, stack.bigtable.host())) {
        long end = System.currentTimeMillis() + length.getMillis();
        Thread traffic =
            new Thread(() -> {
              try {
                generator.produce(Long.MAX_VALUE, rate, end, () -> {});
              } catch (Exception e) {
                producing.set(e);
              }
            }, "soak-traffic");
        traffic.start();
        long started = System.currentTimeMillis();
        long nextKill = started + jitter(killEvery, random);
        long nextHeap = started + 60_000;
        while (System.currentTimeMillis() < end) {
          Thread.sleep(1000);
          long now = System.currentTimeMillis();
          if (now >= nextKill) {
            stream.kill();
            ProcessHandle.of(lakeWorker.pid()).ifPresent(ProcessHandle::destroyForcibly); // the stack starts it again
            starts++;
            stream = FreshProcess.start(classpath, args, dir.resolve("stream-" + starts + ".log"));
            progress.accept(String.format("[%s] kill %d at %s: SIGKILL of fresh stream and the Connect worker, both started again; %,d records produced",
                clock(now - started), starts - 1, java.time.Instant.ofEpochMilli(now),
                generator.expectations().produced()));
            nextKill = now + jitter(killEvery, random);
            nextHeap = now + 60_000; // let the new process warm up before measuring it
          } else if (now >= nextHeap) {
            long mb = heapAfterFullGcMb(stream.pid());
            heap.add(mb);
            progress.accept(String.format("[%s] heap after full GC %,d MB (start %d); %,d records produced",
                clock(now - started), mb, starts, generator.expectations().produced()));
            nextHeap = now + 60_000;
          }
        }
        traffic.join();
        if (producing.get() != null) {
          throw producing.get();
        }
        generator.flush();
        expected = generator.expectations();
        progress.accept(String.format("traffic over: %,d records; waiting for the live view to catch up", expected.produced()));
        Map<String, Long> inGrace = expected.live();
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(15);
        Map<String, Long> got = liveCounts(live);
        while (!got.equals(inGrace) && System.currentTimeMillis() < deadline) {
          Thread.sleep(5000);
          got = liveCounts(live);
        }
        if (!stack.awaitLakeCaughtUp(topic, java.time.Duration.ofMinutes(5))) {
          progress.accept("the lake connector has not caught up with the log after 5 minutes");
        }
        int over = 0;
        int under = 0;
        List<String> outOfBounds = new ArrayList<>();
        Map<String, Long> exact = expected.warehouse();
        for (String window : exact.keySet()) {
          long count = got.getOrDefault(window, 0L);
          boolean above = count > exact.get(window);
          boolean below = count < inGrace.getOrDefault(window, 0L);
          over += above ? 1 : 0;
          under += below ? 1 : 0;
          if (above || below) {
            outOfBounds.add(String.format("%s live %,d in-grace %,d exact %,d",
                window, count, inGrace.getOrDefault(window, 0L), exact.get(window)));
          }
        }
        for (String window : got.keySet()) {
          if (!exact.containsKey(window)) {
            over++;
            outOfBounds.add(String.format("%s live %,d, never sent", window, got.get(window)));
          }
        }
        stream.close();
        long distinctSent = exact.values().stream().mapToLong(Long::longValue).sum();
        long deadSent = expected.deadLetters().values().stream().mapToLong(Long::longValue).sum();
        return new Result(
            expected.produced(), starts - 1, distinctSent, distinctLakeEvents(dir.resolve("lake")),
            deadSent, distinctLakeDeadLetters(dir.resolve("lake")), exact.size(), over, under, outOfBounds, heap);
      } finally {
        stream.close();
      }
    }
  }

  private static Map<String, Long> liveCounts(LiveCounts live) {
    Map<String, Long> counts = new TreeMap<>();
    for (LiveRow m : live.readAll()) {
      counts.put(Expectations.minuteKey(m.eventType(), m.windowStart()), m.count());
    }
    return counts;
  }

  private static long distinctLakeEvents(Path lake) throws Exception {
    return duckDbCount("SELECT count(DISTINCT event_id) FROM read_parquet('" + lake + "/events/*/*/*.parquet')");
  }

  private static long distinctLakeDeadLetters(Path lake) throws Exception {
    return duckDbCount(
        "SELECT count(*) FROM (SELECT DISTINCT kafka_partition, kafka_offset FROM read_parquet('" + lake + "/dlq/*/*.parquet'))");
  }

  private static long duckDbCount(String sql) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = db.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** {@code jcmd GC.run}, then the heap in use: what the process really holds. */
  private static long heapAfterFullGcMb(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    return used.find() ? Long.parseLong(used.group(1)) / 1024 : -1;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  /** Between half and one and a half times {@code every}. */
  private static long jitter(Duration every, Random random) {
    return (long) (every.getMillis() * (0.5 + random.nextDouble()));
  }

  private static String clock(long millis) {
    return String.format("%02d:%02d", millis / 60_000, millis / 1000 % 60);
  }
}
