package io.freshforever.runners;

import static org.junit.Assert.assertEquals;

import io.freshforever.contract.BigtableLayout;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.StreamingJobs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/**
 * The live path end to end on a real Kafka broker and the real Bigtable emulator, on the
 * DirectRunner and the FlinkRunner: tens of thousands of records with duplicates (also on other
 * partitions), late, too-late and bad ones; then every live count, every lake row and every dead
 * letter is checked against what the generator knows it sent.
 */
@RunWith(Parameterized.class)
public class LivePathIntegrationTest {
  private static final long RECORDS = 20_000;
  private static final double RATE = 2_000;
  @ClassRule public static final LocalStackRule STACK = new LocalStackRule();

  @Parameterized.Parameters(name = "{0}")
  public static List<Object[]> runners() {
    return Arrays.asList(
        // The same defaults as `fresh stream` (BeamArgs), which are part of what is tested.
        new Object[] {"DirectRunner", BeamArgs.forStreaming(List.of("--runner=DirectRunner", "--blockOnRun=false"))},
        new Object[] {"FlinkRunner", BeamArgs.forStreaming(List.of("--runner=FlinkRunner", "--attachedMode=false",
            "--flinkMaster=[local]", "--parallelism=2", "--checkpointingInterval=5000",
            "--stateBackendStoragePath=" + Path.of("target", "flink-checkpoints").toAbsolutePath().toUri()))});
  }

  private final String runner;
  private final List<String> runnerArgs;

  public LivePathIntegrationTest(String runner, List<String> runnerArgs) {
    this.runner = runner;
    this.runnerArgs = runnerArgs;
  }

  @Test
  public void everyCountLakeRowAndDeadLetterIsExact() throws Exception {
    String name = runner.toLowerCase();
    String topic = "events-" + name;
    String table = "event_counts_" + name;
    Path lake = Files.createTempDirectory("fresh-lake-" + name);
    STACK.stack().kafka.createTopic(topic, 4);
    STACK.stack().bigtable.createTable(table);

    PipelineResult job = startPipeline(topic, table, lake, 60);
    try (LiveCounts live = LiveCounts.connect("fresh-local", "fresh-local", table, STACK.stack().bigtable.host())) {
      // The pipeline is live once the watermark has passed a first event's window: then an
      // event too late for the live view is dropped, whichever runner reads the log.
      produce(STACK.stack().kafka.bootstrapServers(), topic, "warm-up-1", "warmup",
          Instant.now().minus(Duration.standardSeconds(75)), null);
      await("the warm-up event's window closed for on-time data", Duration.standardMinutes(3),
          () -> live.readAll().stream().anyMatch(m -> m.eventType().equals("warmup") && !m.pane().equals("EARLY"))
              ? Boolean.TRUE : null);

      EventGenerator.Settings settings =
          new EventGenerator.Settings(
              STACK.stack().kafka.bootstrapServers(), topic,
              List.of("page_view", "click", "search", "purchase"),
              0.10, 0.05, 0.02, 0.01, Duration.standardMinutes(10), Duration.ZERO, 7L);
      Expectations expected;
      try (EventGenerator generator = new EventGenerator(settings)) {
        generator.produce(RECORDS, RATE, Long.MAX_VALUE, () -> {});
        expected = generator.expectations();
      }

      Map<String, Long> wantLive = expected.live();
      Map<String, Long> gotLive =
          await("live counts equal to the expected ones", Duration.standardMinutes(4), () -> {
            Map<String, Long> counts = withoutWarmUp(liveCounts(live));
            return counts.equals(wantLive) ? counts : null;
          }, () -> withoutWarmUp(liveCounts(live)));
      assertEquals(wantLive, gotLive);

      List<String> gotLake =
          await("one lake row per valid record", Duration.standardMinutes(2), () -> {
            List<String> ids = lakeIds(lake);
            return ids.size() == expected.lakeRows() + 1 ? ids : null;
          }, () -> lakeIds(lake));
      assertEquals(expected.lakeRows() + 1, gotLake.size());
      Set<String> distinct = new HashSet<>(gotLake);
      long distinctEvents = expected.warehouse().values().stream().mapToLong(Long::longValue).sum();
      assertEquals("every distinct event, too-late ones included", distinctEvents + 1, distinct.size());

      Map<String, Long> gotDeadLetters =
          await("every bad record in the dlq", Duration.standardMinutes(2), () -> {
            Map<String, Long> reasons = deadLetterReasons(lake);
            return reasons.equals(expected.deadLetters()) ? reasons : null;
          }, () -> deadLetterReasons(lake));
      assertEquals(expected.deadLetters(), gotDeadLetters);

      // The history path over what the live path wrote: exact, too-late events included.
      job.cancel();
      Path warehouse = lake.resolveSibling(lake.getFileName() + ".duckdb");
      Instant now = Instant.now();
      java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
      assertEquals(
          0,
          FreshCli.run(
                  "batch",
                  "--from=" + today.minusDays(1),
                  "--to=" + today.plusDays(1),
                  "--lake=" + lake,
                  "--warehouse=duckdb:" + warehouse,
                  "--stagingDir=" + lake + "-staging")
              .exitCode());
      assertEquals(expected.warehouse(), withoutWarmUp(warehouseCounts(warehouse)));

      Instant from = new Instant(now.getMillis() - now.getMillis() % 3_600_000).minus(Duration.standardHours(2));
      FreshCli.Run reconcile =
          FreshCli.run(
              "reconcile",
              "--from=" + from,
              "--to=" + new Instant(now.getMillis() - now.getMillis() % 60_000).plus(Duration.standardMinutes(1)),
              "--warehouse=" + warehouse,
              "--bigtable-table=" + table,
              "--bigtable-emulator-host=" + STACK.stack().bigtable.host());
      assertEquals("every difference explained:\n" + reconcile.stdout(), 0, reconcile.exitCode());
    } finally {
      cancelIfRunning(job);
    }
  }

  /** A detached Flink job whose cluster is gone throws on getState: that must not hide the real failure. */
  private static void cancelIfRunning(PipelineResult job) {
    try {
      if (!job.getState().isTerminal()) {
        job.cancel();
      }
    } catch (IOException | RuntimeException alreadyStopped) {
      System.err.println("the job could not be cancelled: " + alreadyStopped);
    }
  }

  private static Map<String, Long> warehouseCounts(Path warehouse) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    try (java.sql.Connection db = io.freshforever.pipelines.warehouse.DuckDbWarehouse.openForQueries(warehouse.toString());
        java.sql.ResultSet rows =
            db.createStatement().executeQuery("SELECT event_type, epoch_ms(window_start), count FROM event_counts_minute")) {
      while (rows.next()) {
        counts.put(Expectations.minuteKey(rows.getString(1), new Instant(rows.getLong(2))), rows.getLong(3));
      }
    }
    return counts;
  }

  private PipelineResult startPipeline(String topic, String table, Path lake, int windowSeconds) {
    List<String> args = new ArrayList<>(runnerArgs);
    args.add("--kafkaTopic=" + topic);
    args.add("--kafkaConsumerGroup=it-" + topic);
    args.add("--bigtableTable=" + table);
    args.add("--lake=" + lake);
    args.add("--lakeFlushSeconds=5");
    args.add("--windowSeconds=" + windowSeconds);
    return StreamingJobs.start(STACK.stack(), args);
  }

  /** One event, sent synchronously: {@code partition} null lets the key choose. */
  static void produce(
      String bootstrapServers, String topic, String id, String type, Instant time, Integer partition)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrapServers),
            new ByteArraySerializer(), new ByteArraySerializer())) {
      String json = "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"event_time\":\"" + time + "\"}";
      producer.send(new ProducerRecord<>(topic, partition, id.getBytes(StandardCharsets.UTF_8),
          json.getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  static Map<String, Long> liveCounts(LiveCounts live) {
    Map<String, Long> counts = new TreeMap<>();
    for (LiveCounts.Minute m : live.readAll()) {
      counts.put(Expectations.minuteKey(m.eventType(), m.windowStart()), m.count());
    }
    return counts;
  }

  static Map<String, Long> withoutWarmUp(Map<String, Long> counts) {
    Map<String, Long> rest = new TreeMap<>(counts);
    rest.keySet().removeIf(k -> k.startsWith("warmup,"));
    return rest;
  }

  private static List<String> lakeIds(Path lake) throws Exception {
    List<String> ids = new ArrayList<>();
    for (GenericRecord row : LakeFilesReader.readAll(lake.resolve("events"))) {
      ids.add(row.get("event_id").toString());
    }
    return ids;
  }

  private static Map<String, Long> deadLetterReasons(Path lake) throws Exception {
    Map<String, Long> reasons = new TreeMap<>();
    for (GenericRecord row : LakeFilesReader.readAll(lake.resolve("dlq"))) {
      reasons.merge(row.get("reason").toString(), 1L, Long::sum);
    }
    return reasons;
  }

  interface Probe<T> {
    T get() throws Exception;
  }

  static <T> T await(String what, Duration timeout, Probe<T> probe) throws Exception {
    return await(what, timeout, probe, () -> "(not shown)");
  }

  /** Polls until {@code probe} returns non-null; on timeout returns {@code lastSeen} to assert on. */
  @SuppressWarnings("unchecked")
  static <T> T await(String what, Duration timeout, Probe<T> probe, Probe<?> lastSeen)
      throws Exception {
    long deadline = System.currentTimeMillis() + timeout.getMillis();
    while (System.currentTimeMillis() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(1000);
    }
    Object seen = lastSeen.get();
    System.err.println("gave up waiting for " + what + "; last seen: " + seen);
    return (T) seen;
  }
}
