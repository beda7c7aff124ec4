package io.freshforever.lake.connect;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.Event;
import io.freshforever.contract.RawRecord;
import io.freshforever.testing.GoldenLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The lake connector's task driven as a Connect worker drives it (open, put, preCommit, close),
 * writing real Parquet files into a local lake: every record one row, offsets handed back only when
 * published, the same flushes after a re-read, bounded memory, and no loss on a failed write.
 */
public class LakeSinkTaskTest {
  private static final String TOPIC = "events";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
  private static final TopicPartition P2 = new TopicPartition(TOPIC, 2);
  /** A Kafka time at the start of a flush interval of 60 s. */
  private static final long T0 = Instant.parse("2026-12-06T10:00:00Z").getMillis();

  @Rule public TemporaryFolder folder = new TemporaryFolder();
  private final List<LakeSinkTask> tasks = new ArrayList<>();

  @After
  public void stopTasks() {
    tasks.forEach(LakeSinkTask::stop);
  }

  private Path lake() {
    return folder.getRoot().toPath().resolve("lake");
  }

  private Map<String, String> settings(String... overrides) {
    Map<String, String> settings = new HashMap<>();
    settings.put("topics", TOPIC);
    settings.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    settings.put(LakeSinkConfig.LAKE_ROOT, lake().toString());
    settings.put(LakeSinkConfig.FLUSH_SECONDS, "60");
    for (int i = 0; i < overrides.length; i += 2) {
      settings.put(overrides[i], overrides[i + 1]);
    }
    return settings;
  }

  /** The task's processing time, which a test moves on. */
  private final AtomicReference<Instant> clock = new AtomicReference<>(Instant.parse("2026-12-06T10:00:10Z"));

  private LakeSinkTask start(RecordingContext context, Instant now, Map<String, String> settings, TopicPartition... partitions) {
    clock.set(now);
    LakeSinkTask task = new LakeSinkTask(clock::get);
    tasks.add(task);
    task.initialize(context);
    task.start(settings);
    task.open(List.of(partitions));
    return task;
  }

  private static SinkRecord record(int partition, long offset, long kafkaTime, byte[] value) {
    return new SinkRecord(TOPIC, partition, null, null, null, value, offset, kafkaTime, TimestampType.LOG_APPEND_TIME);
  }

  private static SinkRecord event(int partition, long offset, long kafkaTime, String eventTime) {
    String json = "{\"event_id\":\"e-" + partition + "-" + offset + "\",\"event_type\":\"click\",\"event_time\":\"" + eventTime + "\"}";
    return record(partition, offset, kafkaTime, json.getBytes(StandardCharsets.UTF_8));
  }

  /** Events 'first' to 'last' of a partition, Kafka times from 'kafkaTime' a millisecond apart. */
  private static List<SinkRecord> events(int partition, long first, long last, long kafkaTime) {
    List<SinkRecord> records = new ArrayList<>();
    for (long offset = first; offset <= last; offset++) {
      records.add(event(partition, offset, kafkaTime + offset - first, new Instant(kafkaTime).toString()));
    }
    return records;
  }

  private static List<SinkRecord> concat(List<SinkRecord> a, List<SinkRecord> b) {
    List<SinkRecord> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Map<TopicPartition, Long> committable(LakeSinkTask task, TopicPartition... assigned) {
    Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
    for (TopicPartition partition : assigned) {
      current.put(partition, new OffsetAndMetadata(Long.MAX_VALUE));
    }
    Map<TopicPartition, Long> offsets = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
    task.preCommit(current).forEach((partition, offset) -> offsets.put(partition, offset.offset()));
    return offsets;
  }

  /** "partition/offset" of every row under the folder, copies included. */
  private List<String> rowOffsets(String lakeFolder) throws Exception {
    List<String> offsets = new ArrayList<>();
    for (GenericRecord row : LakeFolder.rows(lake(), lakeFolder)) {
      offsets.add(row.get("kafka_partition") + "/" + row.get("kafka_offset"));
    }
    offsets.sort(null);
    return offsets;
  }

  private static List<String> offsets(int partition, long first, long last) {
    List<String> offsets = new ArrayList<>();
    for (long offset = first; offset <= last; offset++) {
      offsets.add(partition + "/" + offset);
    }
    offsets.sort(null);
    return offsets;
  }

  @Test
  public void theGoldenLogBecomesOneRowPerRecordWithTheContractsReasons() throws Exception {
    RecordingContext context = new RecordingContext();
    LakeSinkTask task = start(context, GoldenLog.NOW, settings(LakeSinkConfig.FLUSH_SECONDS, "1"),
        P0, P1, P2, new TopicPartition(TOPIC, 3));
    List<SinkRecord> records = new ArrayList<>();
    for (RawRecord raw : GoldenLog.records()) {
      records.add(record(raw.kafkaPartition(), raw.kafkaOffset(), raw.ingestTime().getMillis(), raw.payload()));
    }
    task.put(records);
    clock.set(GoldenLog.NOW.plus(Duration.millis(1_000))); // every flush has been quiet for its whole interval
    Map<TopicPartition, Long> committed = committable(task, P0, P1, P2, new TopicPartition(TOPIC, 3));

    int lines = GoldenLog.records().size();
    Map<TopicPartition, Long> expectedCommits = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
    for (int p = 0; p < 4; p++) {
      long lastOffset = ((lines - 1 - p) / 4) * 4 + p;
      expectedCommits.put(new TopicPartition(TOPIC, p), lastOffset + 1);
    }
    assertEquals("every partition committed up to its last record", expectedCommits, committed);

    List<String> expectedEvents = new ArrayList<>();
    for (Event event : GoldenLog.lakeEvents()) {
      expectedEvents.add(event.kafkaPartition() + "/" + event.kafkaOffset());
    }
    expectedEvents.sort(null);
    assertEquals(expectedEvents, rowOffsets("events"));
    Map<Long, String> reasons = new TreeMap<>();
    for (GenericRecord row : LakeFolder.rows(lake(), "dlq")) {
      reasons.put((Long) row.get("kafka_offset"), row.get("reason").toString());
    }
    Map<Long, String> expectedReasons = new TreeMap<>();
    for (String line : GoldenLog.rows("expected_dead_letters.csv")) {
      expectedReasons.put(Long.parseLong(line.split(",")[0]), line.split(",")[1]);
    }
    assertEquals(expectedReasons, reasons);
    assertEquals("no temporary file left", List.of(), LakeFolder.tempFiles(lake()));
  }

  @Test
  public void offsetsAreHandedBackOnlyForPublishedRowsAndFlushesEndWhereTheLogsTimeSays() throws Exception {
    RecordingContext context = new RecordingContext();
    LakeSinkTask task = start(context, Instant.now(), settings(), P0, P1);
    task.put(events(0, 0, 4, T0));
    assertEquals("nothing published yet", Map.of(), committable(task, P0, P1));
    task.put(concat(events(0, 5, 6, T0 + 60_000), events(1, 0, 2, T0)));

    assertEquals(Map.of(P0, 5L), committable(task, P0, P1));
    assertEquals(1, context.commitRequests);
    assertEquals(
        List.of("events/dt=2026-12-06/hr=10/part-p000-00000000000000000000-00000000000000000004.parquet"),
        LakeFolder.files(lake(), "events"));
    assertEquals(offsets(0, 0, 4), rowOffsets("events"));
  }

  @Test
  public void aPartitionReadAgainFromItsCommittedOffsetMakesTheSameFilesAndNoCopies() throws Exception {
    List<SinkRecord> log =
        concat(concat(events(0, 0, 4, T0), events(0, 5, 6, T0 + 60_000)), events(0, 7, 9, T0 + 120_000));
    // The first owner publishes offsets 0-4 and 5-6, but dies before Connect commits 5-6.
    LakeSinkTask first = start(new RecordingContext(), Instant.now(), settings(), P0);
    first.put(log.subList(0, 8));
    assertEquals(Map.of(P0, 7L), committable(first, P0));
    List<String> filesOfFirst = LakeFolder.files(lake(), "events");
    Map<String, Object> identities = new TreeMap<>();
    for (String file : filesOfFirst) {
      identities.put(file, identity(lake().resolve(file)));
    }
    // Connect had committed only up to 5: the next owner reads from there, with a temporary file
    // of the dead owner's open flush (offset 7) still in the lake.
    assertEquals(1, LakeFolder.tempFiles(lake()).size());
    LakeSinkTask next = start(new RecordingContext(), Instant.now(), settings(), P0);
    assertEquals("the dead owner's temporary file is deleted on assignment", List.of(), LakeFolder.tempFiles(lake()));
    next.put(concat(log.subList(5, 10), events(0, 10, 10, T0 + 180_000)));

    assertEquals(Map.of(P0, 10L), committable(next, P0));
    assertEquals(
        List.of(
            "events/dt=2026-12-06/hr=10/part-p000-00000000000000000000-00000000000000000004.parquet",
            "events/dt=2026-12-06/hr=10/part-p000-00000000000000000005-00000000000000000006.parquet",
            "events/dt=2026-12-06/hr=10/part-p000-00000000000000000007-00000000000000000009.parquet"),
        LakeFolder.files(lake(), "events"));
    for (String file : filesOfFirst) {
      assertEquals("a published file is kept as it was: " + file, identities.get(file), identity(lake().resolve(file)));
    }
    assertEquals("each record once", offsets(0, 0, 9), rowOffsets("events"));
  }

  /** The file itself (inode, size, time written): a replaced file has another. */
  private static Object identity(Path file) throws Exception {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return List.of(String.valueOf(attributes.fileKey()), attributes.size(), attributes.lastModifiedTime().toMillis());
  }

  @Test
  public void aQuietPartitionIsPublishedOnlyAWholeIntervalAfterItsRecordsInterval() throws Exception {
    RecordingContext context = new RecordingContext();
    LakeSinkTask task = start(context, new Instant(T0 + 10_000), settings(), P0);
    task.put(List.of(event(0, 0, T0 + 5_000, "2026-12-06T10:00:05Z")));
    // Records of the interval [10:00, 10:01) may still come until 10:01: publishing at
    // 10:00:10 + 60 s would end the flush where a re-read might not.
    clock.set(new Instant(T0 + 119_999));
    assertEquals(Map.of(), committable(task, P0));
    clock.set(new Instant(T0 + 120_000));
    assertEquals(Map.of(P0, 1L), committable(task, P0));
  }

  @Test
  public void aRecordWithoutAKafkaTimeEndsNoFlush() throws Exception {
    LakeSinkTask task = start(new RecordingContext(), new Instant(T0), settings(), P0);
    task.put(List.of(event(0, 0, -1, "2026-12-06T10:00:05Z"), event(0, 1, T0 + 1_000, "2026-12-06T10:00:05Z"),
        event(0, 2, -1, "2026-12-06T10:00:05Z"), event(0, 3, T0 + 60_000, "2026-12-06T10:01:00Z")));
    assertEquals("the first flush holds 0-2, as on a re-read from any earlier flush's end", Map.of(P0, 3L), committable(task, P0));
  }

  @Test
  public void aWriteThatFailsWhileConnectCommitsRewindsAtTheNextPutNotDuringTheCommit() throws Exception {
    Files.createDirectories(lake());
    Path blocker = Files.createFile(lake().resolve("events")); // no folder can be made under it
    RecordingContext context = new RecordingContext();
    LakeSinkTask task = start(context, new Instant(T0 + 1_000), settings(), P0);
    task.put(events(0, 4, 6, T0));
    clock.set(new Instant(T0 + 180_000));
    assertEquals(Map.of(), committable(task, P0));
    assertEquals("no seek while Connect commits: the partition may be leaving", Map.of(), context.rewoundTo);

    Files.delete(blocker);
    task.put(events(0, 7, 7, T0 + 170_000)); // read before the seek takes effect: read again after it
    assertEquals(Map.of(P0, 4L), context.rewoundTo);
    task.put(events(0, 4, 7, T0 + 170_000));
    clock.set(new Instant(T0 + 360_000));
    assertEquals(Map.of(P0, 8L), committable(task, P0));
    assertEquals(offsets(0, 4, 7), rowOffsets("events"));
  }

  @Test
  public void memoryIsBoundedWhateverTheRecordsSizesAndEventTimes() throws Exception {
    long maxBytes = 1024 * 1024;
    int maxFolders = 4;
    RecordingContext context = new RecordingContext();
    LakeSinkTask task = start(context, Instant.now(),
        settings(LakeSinkConfig.FLUSH_MAX_BYTES, String.valueOf(maxBytes), LakeSinkConfig.FLUSH_MAX_FOLDERS, String.valueOf(maxFolders)),
        P0);
    byte[] huge = new byte[3_900_000];
    java.util.Arrays.fill(huge, (byte) 'x');
    long offset = 0;
    long largestBuffered = 0;
    int largestOpenFiles = 0;
    for (int hour = 0; hour < 400; hour++, offset++) {
      // An event in each of 400 hours of the last 800 days (the contract's horizon is 1,095),
      // all in the same second of Kafka time.
      String eventTime = new Instant(T0 - 800L * 86_400_000 + hour * 48L * 3_600_000).toString();
      task.put(List.of(event(0, offset, T0, eventTime)));
      if (hour % 40 == 0) {
        task.put(List.of(record(0, ++offset, T0, huge))); // a dead letter: not JSON, 3.9 MB
        assertTrue("a record larger than the limit is a flush of its own", task.bufferedBytes() <= huge.length + 128);
      } else {
        largestBuffered = Math.max(largestBuffered, task.bufferedBytes());
      }
      largestOpenFiles = Math.max(largestOpenFiles, task.openFiles());
    }
    assertTrue("open files " + largestOpenFiles, largestOpenFiles <= maxFolders);
    assertTrue("bytes held " + largestBuffered, largestBuffered <= maxBytes);
    for (int year = 1971; year < 1976; year++, offset++) {
      // Beyond the horizon: a dead letter in the folder of its ingest day, not a folder of 1971.
      task.put(List.of(event(0, offset, T0, year + "-06-01T00:00:00Z")));
      assertTrue(task.openFiles() <= maxFolders);
    }

    task.put(List.of(event(0, offset, T0 + 60_000, "2026-12-06T10:01:00Z")));
    assertEquals(Map.of(P0, offset), committable(task, P0));
    assertEquals("every event once", 400, rowOffsets("events").size());
    Map<String, Long> reasons = new TreeMap<>();
    for (GenericRecord row : LakeFolder.rows(lake(), "dlq")) {
      reasons.merge(row.get("reason").toString(), 1L, Long::sum);
    }
    assertEquals(Map.of("EVENT_TIME_TOO_OLD", 5L, "PAYLOAD_TOO_LARGE", 10L), reasons);
    assertEquals(List.of("dlq/dt=2026-12-06"), LakeFolder.files(lake(), "dlq").stream()
        .map(f -> f.substring(0, f.lastIndexOf('/'))).distinct().toList());
    assertEquals(offset, rowOffsets("events").size() + rowOffsets("dlq").size());
  }

  @Test
  public void aFailedWriteRewindsThePartitionAndNothingIsSkipped() throws Exception {
    Files.createDirectories(lake());
    Path blocker = Files.createFile(lake().resolve(io.freshforever.lake.LakeFlush.TEMP_FOLDER));
    RecordingContext context = new RecordingContext();
    LakeSinkTask task = start(context, Instant.now(), settings(), P0, P1);
    task.put(concat(events(0, 3, 5, T0), events(1, 7, 7, T0)));
    assertEquals("each partition back at its first unpublished record", Map.of(P0, 3L, P1, 7L), context.rewoundTo);
    assertEquals(Map.of(), committable(task, P0, P1));

    Files.delete(blocker);
    task.put(concat(concat(events(0, 3, 5, T0), events(1, 7, 7, T0)), events(0, 6, 6, T0 + 60_000)));
    assertEquals(Map.of(P0, 6L), committable(task, P0, P1));
    assertEquals(offsets(0, 3, 5), rowOffsets("events"));
  }

  @Test
  public void aRevokedPartitionLeavesUnpublishedAndTheNextOwnerCleansUp() throws Exception {
    LakeSinkTask task = start(new RecordingContext(), Instant.now(), settings(), P0);
    task.put(events(0, 0, 2, T0));
    assertEquals(1, LakeFolder.tempFiles(lake()).size());
    task.close(List.of(P0));
    assertEquals("the open flush is dropped, for the next owner to read again", List.of(), LakeFolder.tempFiles(lake()));
    assertEquals(Map.of(), committable(task, P0));
    assertEquals(List.of(), LakeFolder.files(lake(), "events"));

    Path temp = lake().resolve(io.freshforever.lake.LakeFlush.TEMP_FOLDER);
    Files.createFile(temp.resolve("events-p001-of-a-dead-task.parquet"));
    Files.createFile(temp.resolve("events-p002-of-a-live-task.parquet"));
    Files.createFile(temp.resolve("other-p001-of-another-topic.parquet"));
    task.open(List.of(P1));
    assertEquals(List.of(temp.resolve("events-p002-of-a-live-task.parquet"), temp.resolve("other-p001-of-another-topic.parquet")),
        LakeFolder.tempFiles(lake()).stream().sorted().toList());
  }

  @Test
  public void settingsThatWouldLoseOrChangeRecordsAreRefusedByName() {
    assertThat(refused(settings("value.converter", "org.apache.kafka.connect.json.JsonConverter")),
        containsString("value.converter=org.apache.kafka.connect.converters.ByteArrayConverter"));
    Map<String, String> noConverter = settings();
    noConverter.remove("value.converter");
    assertThat(refused(noConverter), containsString("value.converter"));
    assertThat(refused(settings("topics", "events,other")), containsString("exactly one topic"));
    assertThat(refused(settings("topics.regex", "events.*")), containsString("exactly one topic"));
    assertThat(refused(settings(LakeSinkConfig.LAKE_ROOT, "nope://bucket/lake")), containsString(LakeSinkConfig.LAKE_ROOT));
    assertThat(refused(settings(LakeSinkConfig.FLUSH_SECONDS, "0")), containsString(LakeSinkConfig.FLUSH_SECONDS));
    assertFalse(new LakeSinkConfig(settings()).lakeRoot().isEmpty());
  }

  @Test
  public void aWorkerRefusesTheConnectorWhenItIsCreatedNamingEachSetting() {
    Map<String, String> bad = settings("topics", "events,other", "value.converter", "org.apache.kafka.connect.json.JsonConverter",
        LakeSinkConfig.FLUSH_SECONDS, "0");
    Map<String, List<String>> errors = new TreeMap<>();
    for (ConfigValue value : new LakeSinkConnector().validate(bad).configValues()) {
      if (!value.errorMessages().isEmpty()) {
        errors.put(value.name(), value.errorMessages());
      }
    }
    assertEquals(List.of(LakeSinkConfig.FLUSH_SECONDS, "topics", "value.converter"), new ArrayList<>(errors.keySet()));
    assertThat(errors.get("topics").get(0), containsString("exactly one topic"));
    assertEquals(Map.of(), withErrors(new LakeSinkConnector().validate(settings()).configValues()));
  }

  private static Map<String, List<String>> withErrors(List<ConfigValue> values) {
    Map<String, List<String>> errors = new TreeMap<>();
    values.stream().filter(v -> !v.errorMessages().isEmpty()).forEach(v -> errors.put(v.name(), v.errorMessages()));
    return errors;
  }

  private static String refused(Map<String, String> settings) {
    return assertThrows(ConfigException.class, () -> new LakeSinkConnector().start(settings)).getMessage();
  }
}
