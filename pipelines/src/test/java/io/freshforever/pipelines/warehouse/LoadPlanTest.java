package io.freshforever.pipelines.warehouse;

import static org.junit.Assert.assertEquals;

import io.freshforever.pipelines.lake.LakeEventFiles.LakeFile;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.Test;

/** Which days a load without a range replaces, from the lake's files and the ledger alone. */
public class LoadPlanTest {
  private static final LocalDate NOV_1 = LocalDate.parse("2026-11-01");
  private static final LocalDate NOV_2 = LocalDate.parse("2026-11-02");
  private static final LocalDate YEAR_BACK = LocalDate.parse("2025-11-02");

  /** Every file holds as many rows as its name is long; "bad" files cannot be read. */
  private static OptionalLong rows(String root, String file) {
    return file.contains("bad") ? OptionalLong.empty() : OptionalLong.of(file.length());
  }

  private static SortedMap<LocalDate, SortedMap<String, LakeFile>> lake(Object... dayAndFiles) {
    SortedMap<LocalDate, SortedMap<String, LakeFile>> lake = new TreeMap<>();
    for (int i = 0; i < dayAndFiles.length; i += 2) {
      SortedMap<String, LakeFile> files = new TreeMap<>();
      for (String file : (List<String>) dayAndFiles[i + 1]) {
        files.put(file, new LakeFile(100, 1_000L * file.length()));
      }
      lake.put((LocalDate) dayAndFiles[i], files);
    }
    return lake;
  }

  private static List<String> whys(LoadPlan plan) {
    return plan.days().stream().map(LoadPlan.DayLoad::why).toList();
  }

  @Test
  public void aNewWarehouseLoadsEveryDayOfTheLake() {
    LoadPlan plan = LoadPlan.changed("/lake", lake(YEAR_BACK, List.of("a"), NOV_1, List.of("bb", "ccc")), Map.of(), LoadPlanTest::rows);
    assertEquals(List.of("2025-11-02: 1 new lake file, 1 row", "2026-11-01: 2 new lake files, 5 rows"), whys(plan));
    assertEquals(List.of("/lake/a", "/lake/bb", "/lake/ccc"), plan.paths());
    assertEquals(300, plan.listing().bytes());
  }

  @Test
  public void onlyDaysWithNewFilesLoadHoweverOldTheDay() {
    LoadPlan plan =
        LoadPlan.changed(
            "/lake",
            lake(YEAR_BACK, List.of("a", "late"), NOV_1, List.of("bb"), NOV_2, List.of("c")),
            Map.of(YEAR_BACK, Set.of("a"), NOV_1, Set.of("bb"), NOV_2, Set.of("c")),
            LoadPlanTest::rows);
    assertEquals(List.of("2025-11-02: 1 new lake file, 4 rows"), whys(plan));
    assertEquals(List.of("a", "late"), plan.days().get(0).files());
    assertEquals("only the new file is read, merged into the day", List.of("/lake/late"), plan.paths());
    assertEquals(false, plan.days().get(0).replace());
    assertEquals(4_000, plan.days().get(0).oldestNewMillis());
  }

  @Test
  public void nothingChangedLoadsNothing() {
    LoadPlan plan = LoadPlan.changed("/lake", lake(NOV_1, List.of("bb")), Map.of(NOV_1, Set.of("bb")), LoadPlanTest::rows);
    assertEquals(List.of(), plan.days());
  }

  @Test
  public void aFileGoneLoadsEveryDaySinceACopyElsewhereMayNowBeTheFirst() {
    LoadPlan plan =
        LoadPlan.changed(
            "/lake",
            lake(NOV_1, List.of("bb"), NOV_2, List.of("c")),
            Map.of(YEAR_BACK, Set.of("a"), NOV_1, Set.of("bb", "gone"), NOV_2, Set.of("c")),
            LoadPlanTest::rows);
    assertEquals(
        List.of("2025-11-02: 1 lake file gone", "2026-11-01: 1 lake file gone",
            "2026-11-02: replaced with every day: a loaded lake file is gone"),
        whys(plan));
    assertEquals(List.of(), plan.days().get(0).files());
    assertEquals("every day replaced from all its files", List.of("/lake/bb", "/lake/c"), plan.paths());
    assertEquals(List.of(true, true, true), plan.days().stream().map(LoadPlan.DayLoad::replace).toList());
  }

  @Test
  public void aForcedRangeReplacesEveryDayWhenAFileIsGoneElsewhere() {
    LoadPlan plan =
        LoadPlan.of(
            "/lake", List.of(NOV_2), lake(NOV_1, List.of("bb"), NOV_2, List.of("c")),
            Map.of(NOV_1, Set.of("bb", "gone"), NOV_2, Set.of("c")), LoadPlanTest::rows);
    assertEquals(
        List.of("2026-11-01: 1 lake file gone", "2026-11-02: replaced with every day: a loaded lake file is gone"),
        whys(plan));
  }

  @Test
  public void anUnreadableNewFileLoadsItsDayWithRowsUnknown() {
    LoadPlan plan = LoadPlan.changed("/lake", lake(NOV_1, List.of("bad", "bb")), Map.of(), LoadPlanTest::rows);
    assertEquals(List.of("2026-11-01: 2 new lake files, rows unknown (a file is unreadable)"), whys(plan));
  }

  @Test
  public void aForcedRangeLoadsItsDaysChangedOrNot() {
    LoadPlan plan =
        LoadPlan.of("/lake", List.of(NOV_1, NOV_2), lake(NOV_1, List.of("bb")), Map.of(NOV_1, Set.of("bb")), LoadPlanTest::rows);
    assertEquals(List.of("2026-11-01: unchanged, loaded as asked", "2026-11-02: no lake files"), whys(plan));
    assertEquals(List.of("/lake/bb"), plan.paths());
    assertEquals(List.of(true, true), plan.days().stream().map(LoadPlan.DayLoad::replace).toList());
  }
}
