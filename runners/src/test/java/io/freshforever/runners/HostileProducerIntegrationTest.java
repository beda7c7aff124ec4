package io.freshforever.runners;

import static io.freshforever.runners.LiveHarness.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.runners.generate.Expectations;
import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.FreshProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/**
 * A hostile producer beside normal traffic, on both runners, with the live job as {@code fresh
 * stream} in a process of its own with a heap of 1 GiB: records of 3.9 MB, events from 1971 to 2020,
 * events whose record times are forged two days into the past and the future, and then 50,000 new
 * event types. The job stays up; the normal types are counted exactly; the live view counts at most
 * 1,000 types per window and the flood's other events in one overflow row; every oversized and every
 * too-old record is a dead letter in the lake with its reason; a forged record time moves nothing
 * (the broker's clock stamps the log); the dashboard's API answers within a second throughout.
 */
@RunWith(Parameterized.class)
public class HostileProducerIntegrationTest {
  @ClassRule public static final LocalStackRule STACK = new LocalStackRule();
  private static final int HUGE = 200;
  private static final int ANCIENT = 5_000;
  private static final int FORGED = 1_000;
  private static final int NEW_TYPES = 50_000;
  private static final String FLOOD = "flood-";
  private static final Set<String> COUNTED_EXACTLY = Set.of("page_view", "click", "search", "purchase", "forged");
  private static Path runDir;

  @BeforeClass
  public static void createRunDir() throws Exception {
    runDir = LiveHarness.newRunDir("hostile-");
  }

  @Parameterized.Parameters(name = "{0}")
  public static List<Object[]> runners() {
    return LiveHarness.streamProcessRunners();
  }

  private final String runner;
  private final List<String> runnerArgs;

  public HostileProducerIntegrationTest(String runner, List<String> runnerArgs) {
    this.runner = runner;
    this.runnerArgs = runnerArgs;
  }

  @Test
  public void hostileRecordsCostNothingAndMoveNothing() throws Exception {
    String name = "hostile_" + runner.toLowerCase();
    LiveHarness.Lane lane = new LiveHarness.Lane(name, runDir.resolve("lake-" + name));
    LiveHarness.startLake(STACK.stack(), lane, 4);
    STACK.stack().bigtable.createTable(lane.table());
    List<String> args = new ArrayList<>(List.of("stream"));
    args.addAll(runnerArgs);
    args.addAll(List.of(
        "--kafkaBootstrapServers=" + STACK.stack().kafka.bootstrapServers(),
        "--bigtableEmulatorHost=" + STACK.stack().bigtable.host(),
        "--kafkaTopic=" + lane.topic(), "--kafkaConsumerGroup=live-" + name, "--bigtableTable=" + lane.table(),
        "--lake=" + lane.lake(), "--stateBackendStoragePath=" + runDir.resolve("checkpoints-" + name).toUri()));
    Instant started = Instant.now();
    try (FreshProcess stream = FreshProcess.start(FreshCli.classpath(), args, runDir.resolve(name + ".log"), "1g");
        LiveCounts live = LiveHarness.liveView(STACK.stack(), lane);
        DashboardProbe dashboard = DashboardProbe.start(live)) {
      LiveHarness.warmUp(STACK.stack().kafka.bootstrapServers(), lane.topic(), live);
      LiveHarness.Traffic normal =
          LiveHarness.Traffic.start(LiveHarness.faultTraffic(STACK.stack().kafka.bootstrapServers(), lane.topic(), 31L), 20_000, 1_000);
      Instant forgedAt = Instant.now();
      produceHostile(lane.topic(), forgedAt);
      // The types counted before the flood keep their places through it.
      await("every normal type and the forged one counted", Duration.standardMinutes(2),
          () -> typesOf(LiveHarness.liveCounts(live)).containsAll(COUNTED_EXACTLY) ? Boolean.TRUE : null,
          () -> typesOf(LiveHarness.liveCounts(live)));
      produceNewTypes(lane.topic());
      Expectations expected = normal.awaitSent();
      Instant ended = Instant.now();
      assertTrue("fresh stream died:\n" + stream.output(), stream.isAlive());

      Map<String, Long> want = new TreeMap<>(expected.live());
      want.put(Expectations.minuteKey("forged", forgedAt), (long) FORGED);
      Map<String, Long> got =
          await("the normal types and the forged-time events counted exactly", Duration.standardMinutes(4),
              () -> countedExactly(LiveHarness.liveCounts(live)).equals(want) ? countedExactly(LiveHarness.liveCounts(live)) : null,
              () -> countedExactly(LiveHarness.liveCounts(live)));
      assertEquals(want, got);
      long flood =
          await("every event of the new types counted, under its type or " + EventContract.OTHER_TYPES,
              Duration.standardMinutes(2),
              () -> floodCounted(live) == NEW_TYPES ? (long) NEW_TYPES : null, () -> floodCounted(live));
      assertEquals(NEW_TYPES, flood);
      Map<String, Set<String>> typesPerWindow = new TreeMap<>();
      for (LiveRow row : live.readAll()) {
        typesPerWindow.computeIfAbsent(row.windowStart().toString(), w -> new TreeSet<>()).add(row.eventType());
      }
      typesPerWindow.forEach((window, types) -> assertTrue(
          window + " has " + types.size() + " types",
          types.size() <= EventContract.DEFAULT_MAX_TYPES_PER_WINDOW + 1));
      assertTrue("fresh stream died:\n" + stream.output(), stream.isAlive());
      assertEquals("dashboard answers not 200, slower than 3 s, or over 1% slower than a second, of " + dashboard.requests(),
          List.of(), dashboard.outOfBounds());
      assertTrue("the dashboard was asked throughout: " + dashboard.requests(), dashboard.requests() > 100);

      Map<String, Long> deadLetters = new TreeMap<>(expected.deadLetters());
      deadLetters.merge("PAYLOAD_TOO_LARGE", (long) HUGE, Long::sum);
      deadLetters.merge("EVENT_TIME_TOO_OLD", (long) ANCIENT, Long::sum);
      assertTrue("the lake connector caught up", STACK.stack().awaitLakeCaughtUp(lane.topic(), java.time.Duration.ofMinutes(2)));
      assertEquals("every oversized and too-old record is a dead letter with its reason",
          deadLetters, LiveHarness.deadLetterReasons(lane.lake()));
      Set<String> days = new TreeSet<>();
      for (GenericRecord row : LakeFilesReader.readAll(lane.lake().resolve("dlq"))) {
        days.add(dayOf((long) row.get("ingest_time")));
      }
      assertTrue("dead letters are filed by the broker's day, not by a forged record time: " + days,
          days.stream().allMatch(d -> d.equals(dayOf(started.getMillis())) || d.equals(dayOf(ended.getMillis()))));
      for (GenericRecord row : LakeFilesReader.readAll(lane.lake().resolve("events"))) {
        long ingested = (long) row.get("ingest_time");
        assertTrue("ingest_time is the broker's: " + new Instant(ingested),
            ingested >= started.getMillis() - 60_000 && ingested <= Instant.now().getMillis());
      }
    }
  }

  private static Set<String> typesOf(Map<String, Long> counts) {
    Set<String> types = new TreeSet<>();
    counts.keySet().forEach(k -> types.add(k.substring(0, k.indexOf(','))));
    return types;
  }

  private static Map<String, Long> countedExactly(Map<String, Long> counts) {
    Map<String, Long> exact = new TreeMap<>(counts);
    exact.keySet().removeIf(k -> !COUNTED_EXACTLY.contains(k.substring(0, k.indexOf(','))));
    return exact;
  }

  /** The flood's events the live view counted under their own types and in the overflow row. */
  private static long floodCounted(LiveCounts live) {
    return live.readAll().stream()
        .filter(r -> r.eventType().startsWith(FLOOD) || r.eventType().equals(EventContract.OTHER_TYPES))
        .mapToLong(LiveRow::count)
        .sum();
  }

  private static String dayOf(long millis) {
    return new Instant(millis).toString().substring(0, 10);
  }

  /** Oversized records, events from 1971-2020, and events with forged record times, as fast as the producer goes. */
  private static void produceHostile(String topic, Instant now) throws Exception {
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.stack().kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 5 * 1024 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024),
            new ByteArraySerializer(), new ByteArraySerializer())) {
      String padding = "x".repeat(3_900_000);
      for (int i = 0; i < HUGE; i++) {
        send(producer, topic, null, json("huge-" + i, "click", now, "{\"blob\":\"" + padding + "\"}"), failed);
      }
      for (int i = 0; i < ANCIENT; i++) {
        Instant ancient = Instant.parse("1971-01-01T00:00:00Z").plus(Duration.standardHours(i * 86L));
        send(producer, topic, null, json("ancient-" + i, "click", ancient, null), failed);
      }
      for (int i = 0; i < FORGED; i++) {
        long forged = now.getMillis() + (i % 2 == 0 ? -1 : 1) * Duration.standardDays(2).getMillis();
        send(producer, topic, forged, json("forged-" + i, "forged", now, null), failed);
      }
      producer.flush();
    }
    if (failed.get() != null) {
      throw failed.get();
    }
  }

  /** One event of each of {@value #NEW_TYPES} new types. */
  private static void produceNewTypes(String topic) throws Exception {
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.stack().kafka.bootstrapServers()),
            new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < NEW_TYPES; i++) {
        send(producer, topic, null, json("new-type-" + i, FLOOD + i, Instant.now(), null), failed);
      }
      producer.flush();
    }
    if (failed.get() != null) {
      throw failed.get();
    }
  }

  private static String json(String id, String type, Instant eventTime, String properties) {
    return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"event_time\":\"" + eventTime + "\""
        + (properties == null ? "" : ",\"properties\":" + properties) + "}";
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Long timestamp, String json, AtomicReference<Exception> failed) {
    producer.send(
        new ProducerRecord<>(topic, null, timestamp, null, json.getBytes(StandardCharsets.UTF_8)),
        (metadata, error) -> {
          if (error != null) {
            failed.compareAndSet(null, error);
          }
        });
  }
}
