package io.freshforever.runners;

import static org.junit.Assert.assertEquals;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.pipelines.warehouse.DuckDbWarehouse;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.LocalStack;
import io.freshforever.runners.stack.StreamingJobs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * What the end-to-end tests share: producing single events, waiting for the live path, and
 * reading back the live view, the lake and the warehouse in the generator's terms.
 */
final class LiveHarness {
  static final String WARM_UP_TYPE = "warmup";

  private LiveHarness() {}

  /** Both runners as a test's `fresh stream` process takes them: {name, runner arguments}. */
  static List<Object[]> streamProcessRunners() {
    return List.of(
        new Object[] {"DirectRunner", List.of("--runner=DirectRunner")},
        new Object[] {"FlinkRunner", List.of("--runner=FlinkRunner", "--parallelism=2", "--checkpointingInterval=5000")});
  }

  /** Lakes, checkpoints and logs of this run only: a rerun must not resume an old checkpoint. */
  static Path newRunDir(String prefix) throws IOException {
    Files.createDirectories(Path.of("target"));
    return Files.createTempDirectory(Path.of("target"), prefix).toAbsolutePath();
  }

  /** A test's own topic, table, consumer groups and lake: {@code events-<name>}, {@code event_counts_<name>}. */
  record Lane(String name, Path lake) {
    String topic() {
      return "events-" + name;
    }

    String table() {
      return "event_counts_" + name;
    }
  }

  /** The lake connector's flush interval in tests: a quiet partition's rows are in the lake seconds later. */
  static final java.time.Duration LAKE_FLUSH = java.time.Duration.ofSeconds(2);

  /**
   * Creates the lane's topic (if new) and table and starts the live job on the DirectRunner, reading
   * the topic from its start.
   */
  static LiveJob startOnDirectRunner(LocalStack stack, Lane lane, int partitions, String... extraArgs)
      throws Exception {
    stack.kafka.createTopic(lane.topic(), partitions);
    stack.bigtable.createTable(lane.table());
    List<String> args = new ArrayList<>(List.of(
        "--runner=DirectRunner", "--blockOnRun=false",
        "--kafkaTopic=" + lane.topic(),
        "--kafkaConsumerGroup=it-" + lane.name(),
        "--bigtableTable=" + lane.table(),
        "--lake=" + lane.lake()));
    args.addAll(List.of(extraArgs));
    return StreamingJobs.start(stack, args);
  }

  /** The lake connector writing the lane's topic (created if new) into its lake, one task per partition. */
  static void startLake(LocalStack stack, Lane lane, int partitions) throws Exception {
    stack.kafka.createTopic(lane.topic(), partitions);
    stack.runLakeConnector(lane.topic(), lane.lake(), LAKE_FLUSH, partitions);
  }

  static LiveCounts liveView(LocalStack stack, Lane lane) throws Exception {
    return LiveCounts.connect(EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, lane.table(), stack.bigtable.host());
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

  /**
   * The pipeline is live once the watermark has passed a first event's window: from then on an
   * event too late for the live view is dropped, whichever runner reads the log, and the
   * generator's late and too-late records are what their names say.
   */
  static void warmUp(String bootstrapServers, String topic, LiveCounts live) throws Exception {
    produce(bootstrapServers, topic, "warm-up-1", WARM_UP_TYPE, Instant.now().minus(Duration.standardSeconds(75)), null);
    await("the warm-up event's window closed for on-time data", Duration.standardMinutes(3),
        () -> live.readAll().stream().anyMatch(m -> m.eventType().equals(WARM_UP_TYPE) && !m.pane().equals("EARLY"))
            ? Boolean.TRUE : null);
  }

  /** "type,minute" to the count the live view shows, as {@link Expectations} keys them. */
  static Map<String, Long> liveCounts(LiveCounts live) {
    Map<String, Long> counts = new TreeMap<>();
    for (LiveRow m : live.readAll()) {
      counts.put(Expectations.minuteKey(m.eventType(), m.windowStart()), m.count());
    }
    return withoutWarmUp(counts);
  }

  /** The traffic a fault test injects its fault into: copies (some on other partitions), late, too-late and bad records. */
  static EventGenerator.Settings faultTraffic(String bootstrapServers, String topic, long seed) {
    return EventGenerator.Settings.defaultMix(bootstrapServers, topic)
        .withEventTypes(List.of("page_view", "click", "search", "purchase"))
        .withDuplicateRate(0.10)
        .withLateRate(0.03)
        .withTooLateRate(0.01)
        .withBadRate(0.01)
        .withSeed(seed);
  }

  /** Records produced at a steady rate in a thread of their own, while a test does harm. */
  static final class Traffic {
    private final Thread thread;
    private final AtomicReference<Expectations> sent = new AtomicReference<>();
    private final AtomicReference<Exception> failed = new AtomicReference<>();

    private Traffic(EventGenerator.Settings settings, long records, double rate) {
      thread = new Thread(() -> {
        try (EventGenerator generator = new EventGenerator(settings)) {
          generator.produce(records, rate, Long.MAX_VALUE, () -> {});
          sent.set(generator.expectations());
        } catch (Exception e) {
          failed.set(e);
        }
      }, "test-traffic");
    }

    static Traffic start(EventGenerator.Settings settings, long records, double rate) {
      Traffic traffic = new Traffic(settings, records, rate);
      traffic.thread.start();
      return traffic;
    }

    /** What was sent, once all of it was. */
    Expectations awaitSent() throws Exception {
      thread.join();
      if (failed.get() != null) {
        throw failed.get();
      }
      return sent.get();
    }
  }

  /**
   * After traffic with faults: every live window settles on its in-grace count without ever leaving
   * [in-grace, exact], and the lake holds every distinct event (and the warm-up event) and every
   * dead letter, one per Kafka record.
   */
  static void assertLiveViewAndLakeAfterFaults(LiveCounts live, Path lake, Expectations expected) throws Exception {
    Map<String, Long> inGrace = expected.live();
    Map<String, Long> got =
        await("every live window at its in-grace count", Duration.standardMinutes(5), () -> {
          Map<String, Long> counts = liveCounts(live);
          return counts.equals(inGrace) ? counts : null;
        }, () -> liveCounts(live));
    assertEquals("live windows outside [in-grace, exact]", List.of(), windowsOutOfBounds(got, inGrace, expected.warehouse()));
    assertEquals("every live window settles on its in-grace count", inGrace, got);

    long distinctEvents = expected.warehouse().values().stream().mapToLong(Long::longValue).sum();
    long gotDistinct =
        await("every distinct event in the lake", Duration.standardMinutes(2), () -> {
          long distinct = new HashSet<>(lakeIds(lake)).size();
          return distinct == distinctEvents + 1 ? distinct : null;
        }, () -> (long) new HashSet<>(lakeIds(lake)).size());
    assertEquals("distinct events in the lake (and the warm-up event)", distinctEvents + 1, gotDistinct);
    Map<String, Long> deadLetters =
        await("every bad record in the dlq", Duration.standardMinutes(1), () -> {
          Map<String, Long> reasons = deadLetterReasons(lake);
          return reasons.equals(expected.deadLetters()) ? reasons : null;
        }, () -> deadLetterReasons(lake));
    assertEquals(expected.deadLetters(), deadLetters);
  }

  /** {@code fresh batch} over the lake loads exactly the counts of every distinct event sent. */
  static void assertWarehouseExact(Path lake, Expectations expected) throws Exception {
    assertEquals("the warehouse is exact", new TreeMap<>(expected.warehouse()), warehouseCounts(warehouseOfLoaded(lake)));
  }

  /**
   * Each live window whose count is not within [its in-grace count, its exact count], and each
   * window with an in-grace count that is missing: what no restart may cause.
   */
  static List<String> windowsOutOfBounds(Map<String, Long> got, Map<String, Long> inGrace, Map<String, Long> exact) {
    List<String> outOfBounds = new ArrayList<>();
    for (Map.Entry<String, Long> window : got.entrySet()) {
      long low = inGrace.getOrDefault(window.getKey(), 0L);
      long high = exact.getOrDefault(window.getKey(), 0L);
      if (window.getValue() < low || window.getValue() > high) {
        outOfBounds.add(window.getKey() + "=" + window.getValue() + " not in [" + low + ", " + high + "]");
      }
    }
    for (String window : inGrace.keySet()) {
      if (!got.containsKey(window)) {
        outOfBounds.add(window + " missing, in-grace count " + inGrace.get(window));
      }
    }
    return outOfBounds;
  }

  static Map<String, Long> withoutWarmUp(Map<String, Long> counts) {
    Map<String, Long> rest = new TreeMap<>(counts);
    rest.keySet().removeIf(k -> k.startsWith(WARM_UP_TYPE + ","));
    return rest;
  }

  /** The {@code event_id} of every event row in the lake, copies included. */
  static List<String> lakeIds(Path lake) throws Exception {
    List<String> ids = new ArrayList<>();
    for (GenericRecord row : LakeFilesReader.readAll(lake.resolve("events"))) {
      ids.add(row.get("event_id").toString());
    }
    return ids;
  }

  /**
   * Dead letters by reason, one per Kafka record (partition and offset): a record written twice
   * after a crash is still one dead letter.
   */
  static Map<String, Long> deadLetterReasons(Path lake) throws Exception {
    Map<String, String> byRecord = new TreeMap<>();
    for (GenericRecord row : LakeFilesReader.readAll(lake.resolve("dlq"))) {
      byRecord.put(row.get("kafka_partition") + "/" + row.get("kafka_offset"), row.get("reason").toString());
    }
    Map<String, Long> reasons = new TreeMap<>();
    byRecord.values().forEach(reason -> reasons.merge(reason, 1L, Long::sum));
    return reasons;
  }

  /**
   * Runs {@code fresh batch} without a range, as a user would, into {@link #warehouseOf} {@code
   * lake}: every day whose lake files changed since the last load. Returns what it printed.
   */
  static String loadWarehouse(Path lake) {
    FreshCli.Run run =
        FreshCli.run(
            "batch",
            "--lake=" + lake,
            "--warehouse=duckdb:" + warehouseOf(lake));
    if (run.exitCode() != 0) {
      throw new AssertionError("fresh batch exited " + run.exitCode() + ":\n" + run.stdout() + run.stderr());
    }
    return run.stdout();
  }

  /** The DuckDB file beside {@code lake} that {@link #loadWarehouse} loads. */
  static Path warehouseOf(Path lake) {
    return lake.resolveSibling(lake.getFileName() + ".duckdb");
  }

  /** {@link #loadWarehouse} then {@link #warehouseOf}. */
  static Path warehouseOfLoaded(Path lake) {
    loadWarehouse(lake);
    return warehouseOf(lake);
  }

  /** {@code event_counts_minute} of a DuckDB warehouse, keyed as {@link Expectations} keys them. */
  static Map<String, Long> warehouseCounts(Path warehouse) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    try (Connection db = DuckDbWarehouse.openForQueries(warehouse.toString());
        ResultSet rows =
            db.createStatement().executeQuery("SELECT event_type, epoch_ms(window_start), count FROM event_counts_minute")) {
      while (rows.next()) {
        counts.put(Expectations.minuteKey(rows.getString(1), new Instant(rows.getLong(2))), rows.getLong(3));
      }
    }
    return withoutWarmUp(counts);
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
