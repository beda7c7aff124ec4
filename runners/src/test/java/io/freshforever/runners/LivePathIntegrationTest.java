package io.freshforever.runners;

import static io.freshforever.runners.LiveHarness.await;
import static io.freshforever.runners.LiveHarness.deadLetterReasons;
import static io.freshforever.runners.LiveHarness.lakeIds;
import static io.freshforever.runners.LiveHarness.liveCounts;
import static io.freshforever.runners.LiveHarness.warehouseCounts;
import static org.junit.Assert.assertEquals;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.warehouse.DuckDbWarehouse;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.StreamingJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
    STACK.stack().runLakeConnector(topic, lake, LiveHarness.LAKE_FLUSH, 4);

    LiveJob job = startPipeline(topic, table, lake, 60);
    try (LiveCounts live = LiveCounts.connect(EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, table, STACK.stack().bigtable.host())) {
      LiveHarness.warmUp(STACK.stack().kafka.bootstrapServers(), topic, live);

      EventGenerator.Settings settings =
          EventGenerator.Settings.defaultMix(STACK.stack().kafka.bootstrapServers(), topic)
              .withEventTypes(List.of("page_view", "click", "search", "purchase"))
              .withDuplicateRate(0.10)
              .withLateRate(0.05)
              .withTooLateRate(0.02)
              .withBadRate(0.01)
              .withAllowedLateness(Duration.standardMinutes(10))
              .withSeed(7L);
      Expectations expected;
      try (EventGenerator generator = new EventGenerator(settings)) {
        generator.produce(RECORDS, RATE, Long.MAX_VALUE, () -> {});
        expected = generator.expectations();
      }

      Map<String, Long> wantLive = expected.live();
      Map<String, Long> gotLive =
          await("live counts equal to the expected ones", Duration.standardMinutes(4), () -> {
            Map<String, Long> counts = liveCounts(live);
            return counts.equals(wantLive) ? counts : null;
          }, () -> liveCounts(live));
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
      job.close();
      Instant now = Instant.now();
      Path warehouse = LiveHarness.warehouseOfLoaded(lake);
      assertEquals(expected.warehouse(), warehouseCounts(warehouse));
      assertEquals(List.of(distinctEvents + 1, distinctEvents + 1), idsAndRows(warehouse));

      // Late data: events 3, 40 and 400 days late land in old lake days; a load without a range
      // finds exactly those days by their new files, and the warehouse is exact again.
      Map<String, Long> withLate = new TreeMap<>(expected.warehouse());
      List<String> said = new ArrayList<>();
      for (int daysLate : new int[] {3, 40, 400}) {
        Instant eventTime = now.minus(Duration.standardDays(daysLate));
        LiveHarness.produce(STACK.stack().kafka.bootstrapServers(), topic, "late-" + daysLate, "click", eventTime, null);
        Instant minute = new Instant(eventTime.getMillis() - eventTime.getMillis() % 60_000);
        withLate.merge(Expectations.minuteKey("click", minute), 1L, Long::sum);
        said.add(eventTime.toString().substring(0, 10) + ": 1 new lake file, 1 row");
      }
      await("the late events in the lake", Duration.standardMinutes(2),
          () -> lakeIds(lake).containsAll(List.of("late-3", "late-40", "late-400")) ? Boolean.TRUE : null);
      String output = LiveHarness.loadWarehouse(lake);
      said.sort(null);
      assertEquals(output, said, dayLines(output));
      assertEquals(withLate, warehouseCounts(warehouse));
      assertEquals(List.of(distinctEvents + 4, distinctEvents + 4), idsAndRows(warehouse));

      Instant from = new Instant(now.getMillis() - now.getMillis() % 3_600_000).minus(Duration.standardHours(2));
      FreshCli.Run reconcile =
          FreshCli.run(
              "reconcile",
              "--from=" + from,
              "--to=" + new Instant(now.getMillis() - now.getMillis() % 60_000).plus(Duration.standardMinutes(1)),
              "--warehouse=duckdb:" + warehouse,
              "--bigtableTable=" + table,
              "--bigtableEmulatorHost=" + STACK.stack().bigtable.host());
      assertEquals("every difference explained:\n" + reconcile.stdout(), 0, reconcile.exitCode());
    } finally {
      job.close();
    }
  }

  /** Distinct ids and rows of the warehouse's {@code events}. */
  private static List<Long> idsAndRows(Path warehouse) throws Exception {
    try (Connection db = DuckDbWarehouse.openForQueries(warehouse.toString());
        ResultSet rows = db.createStatement().executeQuery("SELECT count(DISTINCT event_id), count(*) FROM events")) {
      rows.next();
      return List.of(rows.getLong(1), rows.getLong(2));
    }
  }

  /** The lines of {@code fresh batch} that say which day loads and why. */
  private static List<String> dayLines(String output) {
    return output.lines()
        .map(line -> line.replaceFirst("^fresh batch: ", ""))
        .filter(line -> line.matches("\\d{4}-\\d{2}-\\d{2}: .*"))
        .toList();
  }

  private LiveJob startPipeline(String topic, String table, Path lake, int windowSeconds) {
    List<String> args = new ArrayList<>(runnerArgs);
    args.add("--kafkaTopic=" + topic);
    args.add("--kafkaConsumerGroup=it-" + topic);
    args.add("--bigtableTable=" + table);
    args.add("--lake=" + lake);
    args.add("--windowSeconds=" + windowSeconds);
    return StreamingJobs.start(STACK.stack(), args);
  }
}
