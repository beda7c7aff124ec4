package io.freshforever.pipelines.batch;

import static io.freshforever.pipelines.batch.LocalWarehouse.copy;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.Event;
import io.freshforever.pipelines.lake.LakeFixture;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.pipelines.warehouse.DuckDbWarehouse;
import io.freshforever.pipelines.warehouse.LoadPlan;
import io.freshforever.testing.GoldenLog;
import io.freshforever.transforms.FreshMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Loads without a range: the warehouse's ledger says which days changed, late data lands however
 * late, one row per event_id holds across days, and a failed load changes nothing.
 */
public class LateDataLoadTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final Event TEMPLATE = GoldenLog.lakeEvents().get(0); // a click
  private static final String LEDGER =
      "SELECT event_day, count(*), max(loaded_at) FROM " + DuckDbWarehouse.LEDGER + " GROUP BY 1 ORDER BY 1";

  private static List<String> whys(LoadPlan plan) {
    return plan.days().stream().map(LoadPlan.DayLoad::why).toList();
  }

  private static LoadPlan planOf(LocalWarehouse warehouse) throws Exception {
    return LoadPlan.changedSince(warehouse.lake, DuckDbWarehouse.ledger(warehouse.warehouse));
  }

  @Test
  public void aLoadWithoutRangeReplacesExactlyTheDaysWhoseLakeFilesChangedHoweverLate() throws Exception {
    LocalWarehouse warehouse = new LocalWarehouse(tmp.newFolder());
    LakeFixture.write(warehouse.lake, GoldenLog.lakeEvents()); // 2026-11-29
    LakeFixture.write(
        warehouse.lake,
        List.of(
            copy(TEMPLATE, "year-back", "2025-11-29T08:00:00Z", "2025-11-29T08:00:01Z", 4, 1),
            copy(TEMPLATE, "quiet-day", "2026-11-20T12:00:00Z", "2026-11-20T12:00:01Z", 4, 2)));
    assertEquals(
        List.of("2025-11-29: 1 new lake file, 1 row", "2026-11-20: 1 new lake file, 1 row",
            "2026-11-29: 5 new lake files, 21 rows"), // the golden log: one file per partition and hour
        whys(planOf(warehouse)));
    warehouse.loadChanged();
    List<String> ledgerBefore = warehouse.query(LEDGER);

    LakeFixture.write(
        warehouse.lake,
        List.of(
            copy(TEMPLATE, "late-3d", "2026-11-29T10:00:30Z", "2026-12-02T10:00:00Z", 9, 100),
            copy(TEMPLATE, "late-40d", "2026-10-23T07:15:00Z", "2026-12-02T10:00:01Z", 9, 101),
            copy(TEMPLATE, "late-400d", "2025-11-29T08:00:59Z", "2027-01-03T08:00:00Z", 9, 102)));
    assertEquals(
        List.of("2025-11-29: 1 new lake file, 1 row", "2026-10-23: 1 new lake file, 1 row",
            "2026-11-29: 1 new lake file, 1 row"),
        whys(planOf(warehouse)));
    warehouse.loadChanged();

    List<String> expected = new ArrayList<>(LocalWarehouse.goldenEvents());
    expected.addAll(
        List.of(
            "late-3d,click,2026-11-29T10:00:30Z,,9,100",
            "late-400d,click,2025-11-29T08:00:59Z,,9,102",
            "late-40d,click,2026-10-23T07:15:00Z,,9,101",
            "quiet-day,click,2026-11-20T12:00:00Z,,4,2",
            "year-back,click,2025-11-29T08:00:00Z,,4,1"));
    expected.sort(null);
    assertEquals(expected, warehouse.events());
    Map<String, Long> counts = new TreeMap<>(GoldenLog.expectedCounts("expected_warehouse_counts.csv"));
    counts.merge("click,2026-11-29T10:00:00.000Z", 1L, Long::sum);
    counts.put("click,2026-10-23T07:15:00.000Z", 1L);
    counts.put("click,2026-11-20T12:00:00.000Z", 1L);
    counts.put("click,2025-11-29T08:00:00.000Z", 2L);
    assertEquals(counts, warehouse.counts());

    List<String> ledgerAfter = warehouse.query(LEDGER);
    assertEquals(4, ledgerAfter.size());
    assertEquals("the untouched day keeps its load", ledgerBefore.get(1), ledgerAfter.get(2));
    assertNotEquals(ledgerBefore.get(0), ledgerAfter.get(0));
    assertEquals(List.of(), planOf(warehouse).days());
  }

  @Test
  public void aLateFileIsReadAloneAndItsEarlierCopiesReplaceLoadedRowsOnTheirDayOrAnother() throws Exception {
    LocalWarehouse warehouse = new LocalWarehouse(tmp.newFolder());
    LakeFixture.write(warehouse.lake, GoldenLog.lakeEvents());
    warehouse.loadChanged();

    // The log accepted these copies before the loaded ones (a lake writer that lagged behind):
    // e01 moves a minute on its own day, e02 moves to the day before.
    LakeFixture.write(
        warehouse.lake,
        List.of(
            copy(TEMPLATE, "e01", "2026-11-29T10:07:00Z", "2026-11-29T00:00:01Z", 9, 200),
            copy(TEMPLATE, "e02", "2026-11-28T23:00:00Z", "2026-11-28T23:00:01Z", 9, 201)));
    PipelineResult load = warehouse.loadChanged();

    assertEquals("only the two new rows are read", 2, FreshMetrics.counter(load.metrics(), ReadLakeEvents.ROWS_READ));
    List<String> expected = new ArrayList<>(LocalWarehouse.goldenEvents());
    expected.replaceAll(row -> row.startsWith("e01,") ? "e01,click,2026-11-29T10:07:00Z,,9,200" : row);
    expected.replaceAll(row -> row.startsWith("e02,") ? "e02,click,2026-11-28T23:00:00Z,,9,201" : row);
    assertEquals(expected, warehouse.events());
    Map<String, Long> counts = new TreeMap<>(GoldenLog.expectedCounts("expected_warehouse_counts.csv"));
    counts.merge("click,2026-11-29T10:00:00.000Z", -2L, Long::sum);
    counts.values().removeIf(n -> n == 0);
    counts.put("click,2026-11-29T10:07:00.000Z", 1L);
    counts.put("click,2026-11-28T23:00:00.000Z", 1L);
    assertEquals(counts, warehouse.counts());
  }

  @Test
  public void aGoneFileMakesEvenAForcedRangeReplaceEveryDaySoTheCopyItHidBecomesTheRow() throws Exception {
    LocalWarehouse warehouse = new LocalWarehouse(tmp.newFolder());
    LakeFixture.write(warehouse.lake, List.of(copy(TEMPLATE, "x", "2026-11-29T10:00:00Z", "2026-11-29T10:00:01Z", 1, 1)));
    LakeFixture.write(warehouse.lake, List.of(copy(TEMPLATE, "x", "2026-11-30T10:00:00Z", "2026-11-30T10:00:01Z", 2, 1)));
    warehouse.loadChanged();
    assertEquals(List.of("x,click,2026-11-29T10:00:00Z,,1,1"), warehouse.events());

    try (Stream<Path> files = Files.walk(Path.of(warehouse.lake, "events", "dt=2026-11-29"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.delete(file); // an operator removes a corrupt file for good
      }
    }
    warehouse.loadRange("2026-11-29", "2026-11-30");

    assertEquals(List.of("x,click,2026-11-30T10:00:00Z,,2,1"), warehouse.events());
    assertEquals(Map.of("click,2026-11-30T10:00:00.000Z", 1L), warehouse.counts());
    assertEquals(List.of(), planOf(warehouse).days());
  }

  @Test
  public void aLoadedFileThatCannotBeReadNowIsRefusedEvenWhenSkipping() throws Exception {
    LocalWarehouse warehouse = new LocalWarehouse(tmp.newFolder());
    LakeFixture.write(warehouse.lake, GoldenLog.lakeEvents());
    warehouse.loadChanged();
    List<String> events = warehouse.events();
    Path file;
    try (Stream<Path> files = Files.walk(Path.of(warehouse.lake, "events", "dt=2026-11-29", "hr=09"))) {
      file = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    Exception refused =
        assertThrows(Exception.class, () -> warehouse.loadRange("2026-11-29", "2026-11-30", "--skipCorruptFiles=true"));
    assertTrue(messages(refused), messages(refused).contains("was loaded before and cannot be read now"));
    assertEquals(events, warehouse.events());
  }

  @Test
  public void aRowOutsideItsFilesDayFolderIsRefusedNamingTheFile() throws Exception {
    LocalWarehouse warehouse = new LocalWarehouse(tmp.newFolder());
    LakeFixture.write(warehouse.lake, List.of(copy(TEMPLATE, "moved", "2026-11-29T10:00:00Z", "2026-11-29T10:00:01Z", 1, 1)));
    Path wrong = Path.of(warehouse.lake, "events", "dt=2026-11-28", "hr=10");
    Files.createDirectories(wrong);
    Path moved;
    try (Stream<Path> files = Files.walk(Path.of(warehouse.lake, "events", "dt=2026-11-29"))) {
      Path file = files.filter(Files::isRegularFile).findFirst().orElseThrow();
      moved = Files.move(file, wrong.resolve(file.getFileName()));
    }

    Exception refused = assertThrows(Exception.class, warehouse::loadChanged);
    assertTrue(messages(refused), messages(refused).contains("lake file " + moved + " holds a row of 2026-11-29"));
  }

  @Test
  public void aWarehouseLoadedBeforeTheLedgerIsReplacedWholeOnItsFirstLoad() throws Exception {
    LocalWarehouse warehouse = new LocalWarehouse(tmp.newFolder());
    LakeFixture.write(warehouse.lake, GoldenLog.lakeEvents());
    warehouse.loadChanged();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse.warehouse);
        Statement sql = connection.createStatement()) {
      sql.execute("DROP TABLE " + DuckDbWarehouse.LEDGER); // as an older fresh batch left it
      sql.execute("INSERT INTO events VALUES ('stale', 'click', TIMESTAMP '2026-11-01 10:00:00', NULL, NULL,"
          + " TIMESTAMP '2026-11-01 10:00:01', 0, 99)"); // a day the lake no longer has
    }

    assertEquals(
        List.of("2026-11-01: 1 lake file gone", "2026-11-29: 5 new lake files, 21 rows, 1 lake file gone"),
        whys(planOf(warehouse)));
    warehouse.loadChanged();

    assertEquals(LocalWarehouse.goldenEvents(), warehouse.events());
    assertEquals(GoldenLog.expectedCounts("expected_warehouse_counts.csv"), warehouse.counts());
    assertEquals(List.of(), planOf(warehouse).days());
  }

  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  @Test
  public void copiesOfAnIdEitherSideOfMidnightKeepTheFirstAcceptedWhateverTheLoadOrder() throws Exception {
    Event first = copy(TEMPLATE, "dup", "2026-11-29T23:59:59Z", "2026-11-30T00:00:01Z", 1, 5);
    Event retry = copy(TEMPLATE, "dup", "2026-11-30T00:00:00.500Z", "2026-11-30T00:00:03Z", 2, 9);
    Event neighbour = copy(TEMPLATE, "other", "2026-11-30T00:00:10Z", "2026-11-30T00:00:11Z", 2, 10);
    List<List<String[]>> orders =
        List.of(
            List.of(new String[] {"2026-11-30", "2026-12-01"}, new String[] {"2026-11-29", "2026-11-30"}),
            List.of(new String[] {"2026-11-29", "2026-11-30"}, new String[] {"2026-11-30", "2026-12-01"}),
            List.of()); // both days in one load without a range
    for (List<String[]> order : orders) {
      LocalWarehouse warehouse = new LocalWarehouse(tmp.newFolder());
      LakeFixture.write(warehouse.lake, List.of(first, retry, neighbour));
      for (String[] range : order) {
        warehouse.loadRange(range[0], range[1]);
      }
      if (order.isEmpty()) {
        warehouse.loadChanged();
      }
      assertEquals(
          List.of("dup,click,2026-11-29T23:59:59Z,,1,5", "other,click,2026-11-30T00:00:10Z,,2,10"), warehouse.events());
      assertEquals(
          Map.of("click,2026-11-29T23:59:00.000Z", 1L, "click,2026-11-30T00:00:00.000Z", 1L), warehouse.counts());
    }
  }

  @Test
  public void aLoadThatFailsBeforeItsLedgerEntryChangesNothingAndTheNextLoadRedoesTheDay() throws Exception {
    LocalWarehouse warehouse = new LocalWarehouse(tmp.newFolder());
    LakeFixture.write(warehouse.lake, GoldenLog.lakeEvents());
    warehouse.loadChanged();
    List<String> events = warehouse.events();
    Map<String, Long> counts = warehouse.counts();
    List<String> ledger = warehouse.query(LEDGER);

    LakeFixture.write(
        warehouse.lake, List.of(copy(TEMPLATE, "late", "2026-11-29T10:00:30Z", "2026-12-02T10:00:00Z", 9, 100)));
    // The ledger refuses the new file's name: the load fails at its very last step.
    ledgerRefusing(warehouse, "lake_file NOT LIKE '%part-p009-%'");
    assertThrows(RuntimeException.class, warehouse::loadChanged);
    assertEquals(events, warehouse.events());
    assertEquals(counts, warehouse.counts());
    assertEquals(ledger, warehouse.query(LEDGER));

    ledgerRefusing(warehouse, "true");
    warehouse.loadChanged();
    List<String> withLate = new ArrayList<>(events);
    withLate.add("late,click,2026-11-29T10:00:30Z,,9,100");
    withLate.sort(null);
    assertEquals(withLate, warehouse.events());
    assertEquals(counts.get("click,2026-11-29T10:00:00.000Z") + 1, (long) warehouse.counts().get("click,2026-11-29T10:00:00.000Z"));
  }

  /** Rebuilds the ledger table, same rows, with a CHECK on its rows. */
  private static void ledgerRefusing(LocalWarehouse warehouse, String check) throws Exception {
    String ledger = DuckDbWarehouse.LEDGER;
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse.warehouse);
        Statement sql = connection.createStatement()) {
      sql.execute("CREATE TABLE kept AS SELECT * FROM " + ledger);
      sql.execute("DROP TABLE " + ledger);
      sql.execute(
          "CREATE TABLE " + ledger + " (event_day DATE NOT NULL, lake_file VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL,"
              + " CHECK (" + check + "))");
      sql.execute("INSERT INTO " + ledger + " SELECT * FROM kept");
      sql.execute("DROP TABLE kept");
    }
  }
}
