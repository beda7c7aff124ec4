package io.freshforever.pipelines.warehouse;

import io.freshforever.pipelines.lake.LakeEventFiles;
import io.freshforever.pipelines.lake.LakeEventFiles.LakeFile;
import io.freshforever.pipelines.lake.LakeListing;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The event days a load replaces and the lake files each is read from, decided by comparing the
 * lake with the warehouse's ledger of the files each day was loaded from.
 *
 * <p>A day is loaded when its files differ from its ledger entry: new files (late data, however
 * late), or a day the warehouse has never loaded. Only its new files are read: their rows are
 * merged into the day's (the first accepted copy of an id wins wherever it is, so a merge gives
 * what reading all of the day's files would), and each lake row is read once. A day that lost files
 * (an operator removed a corrupt one) makes every day of the lake be replaced from all its files:
 * the lost file may have held the first copy of an id whose other copies the warehouse left out,
 * and only a whole load finds them. A forced range replaces its days from all their files (every
 * day, too, when a file is gone). A plan that replaces every day ({@code wholeWarehouse}) also
 * empties the days the warehouse holds and neither the lake nor the ledger knows of (loaded before
 * the ledger existed).
 */
public record LoadPlan(String lakeRoot, List<DayLoad> days, boolean wholeWarehouse) implements Serializable {
  /**
   * One day to load.
   *
   * @param files every event file of the day, relative to the lake root: what the ledger records
   * @param toRead the files to read: the new ones, merged into the day's rows, or all of them when
   *     the day is replaced
   * @param replace whether the day's rows are replaced (a forced range, or a file gone) rather than
   *     merged with the new files' rows
   * @param newFiles files the ledger did not have for the day
   * @param goneFiles files the ledger had that the lake no longer has
   * @param unchanged why a day with neither loads: asked for, or replaced with every day
   * @param newRows rows of the new files, from their footers; -1 if one cannot be read
   * @param oldestNewMillis when the oldest new file was published; {@code Long.MAX_VALUE} if none
   */
  public record DayLoad(
      LocalDate day,
      List<String> files,
      List<String> toRead,
      boolean replace,
      List<String> newFiles,
      int goneFiles,
      long newRows,
      long bytes,
      long oldestNewMillis,
      String unchanged)
      implements Serializable {
    /** Why the day loads, for the operator: {@code 2026-11-02: 3 new lake files, 1,812 rows}. */
    public String why() {
      List<String> reasons = new ArrayList<>();
      if (!newFiles.isEmpty()) {
        reasons.add(
            String.format(
                "%,d new lake file%s, %s", newFiles.size(), newFiles.size() == 1 ? "" : "s",
                newRows < 0 ? "rows unknown (a file is unreadable)" : String.format("%,d row%s", newRows, newRows == 1 ? "" : "s")));
      }
      if (goneFiles > 0) {
        reasons.add(String.format("%,d lake file%s gone", goneFiles, goneFiles == 1 ? "" : "s"));
      }
      if (reasons.isEmpty()) {
        reasons.add(files.isEmpty() ? "no lake files" : unchanged);
      }
      return day + ": " + String.join(", ", reasons);
    }
  }

  /** The days whose lake files differ from the ledger's; see the class comment. */
  public static LoadPlan changed(
      String lakeRoot,
      SortedMap<LocalDate, SortedMap<String, LakeFile>> lake,
      Map<LocalDate, Set<String>> ledger,
      BiFunction<String, String, OptionalLong> rowsOfFile) {
    if (anyGone(lake, ledger)) {
      return everyDay(lakeRoot, lake, ledger, rowsOfFile);
    }
    List<LocalDate> changed = new ArrayList<>();
    for (LocalDate day : allDays(lake, ledger)) {
      if (!ledger.getOrDefault(day, Set.of()).equals(lake.getOrDefault(day, emptyDay()).keySet())) {
        changed.add(day);
      }
    }
    return plan(lakeRoot, changed, false, lake, ledger, rowsOfFile, "");
  }

  /**
   * Exactly {@code days}, changed or not, each replaced from all its files ({@code --from}/{@code
   * --to}); every day of the lake if a file the ledger names is gone, wherever it was.
   */
  public static LoadPlan of(
      String lakeRoot,
      List<LocalDate> days,
      SortedMap<LocalDate, SortedMap<String, LakeFile>> lake,
      Map<LocalDate, Set<String>> ledger,
      BiFunction<String, String, OptionalLong> rowsOfFile) {
    return anyGone(lake, ledger)
        ? everyDay(lakeRoot, lake, ledger, rowsOfFile)
        : plan(lakeRoot, days, true, lake, ledger, rowsOfFile, "unchanged, loaded as asked");
  }

  private static LoadPlan everyDay(
      String lakeRoot,
      SortedMap<LocalDate, SortedMap<String, LakeFile>> lake,
      Map<LocalDate, Set<String>> ledger,
      BiFunction<String, String, OptionalLong> rowsOfFile) {
    return everyDay(lakeRoot, lake, ledger, rowsOfFile, "replaced with every day: a loaded lake file is gone");
  }

  private static LoadPlan everyDay(
      String lakeRoot,
      SortedMap<LocalDate, SortedMap<String, LakeFile>> lake,
      Map<LocalDate, Set<String>> ledger,
      BiFunction<String, String, OptionalLong> rowsOfFile,
      String why) {
    LoadPlan days = plan(lakeRoot, List.copyOf(allDays(lake, ledger)), true, lake, ledger, rowsOfFile, why);
    return new LoadPlan(lakeRoot, days.days(), true);
  }

  /**
   * Every day of the lake from all its files, replacing the whole warehouse: for a warehouse whose
   * days were loaded before it had a ledger (BigQuery cannot list them without a query).
   */
  public static LoadPlan everyDayOfTheLake(String lakeRoot) {
    return everyDay(
        lakeRoot, LakeEventFiles.list(lakeRoot), Map.of(), LakeEventFiles::rows,
        "replaced with every day: the warehouse was loaded before it had a ledger");
  }

  private static boolean anyGone(
      SortedMap<LocalDate, SortedMap<String, LakeFile>> lake, Map<LocalDate, Set<String>> ledger) {
    return ledger.entrySet().stream()
        .anyMatch(day -> !lake.getOrDefault(day.getKey(), emptyDay()).keySet().containsAll(day.getValue()));
  }

  private static SortedSet<LocalDate> allDays(
      SortedMap<LocalDate, SortedMap<String, LakeFile>> lake, Map<LocalDate, Set<String>> ledger) {
    SortedSet<LocalDate> days = new TreeSet<>(lake.keySet());
    days.addAll(ledger.keySet());
    return days;
  }

  private static LoadPlan plan(
      String lakeRoot,
      List<LocalDate> days,
      boolean replace,
      SortedMap<LocalDate, SortedMap<String, LakeFile>> lake,
      Map<LocalDate, Set<String>> ledger,
      BiFunction<String, String, OptionalLong> rowsOfFile,
      String unchanged) {
    List<DayLoad> loads = new ArrayList<>();
    for (LocalDate day : days) {
      SortedMap<String, LakeFile> files = lake.getOrDefault(day, emptyDay());
      Set<String> loaded = ledger.getOrDefault(day, Set.of());
      List<String> newFiles = new ArrayList<>();
      long newRows = 0;
      long oldestNew = Long.MAX_VALUE;
      for (String file : files.keySet()) {
        if (!loaded.contains(file)) {
          newFiles.add(file);
          oldestNew = Math.min(oldestNew, files.get(file).publishedMillis());
          OptionalLong rows = rowsOfFile.apply(lakeRoot, file);
          newRows = newRows < 0 || rows.isEmpty() ? -1 : newRows + rows.getAsLong();
        }
      }
      int gone = (int) loaded.stream().filter(file -> !files.containsKey(file)).count();
      List<String> toRead = replace ? List.copyOf(files.keySet()) : List.copyOf(newFiles);
      long bytes = toRead.stream().mapToLong(file -> files.get(file).bytes()).sum();
      loads.add(
          new DayLoad(
              day, List.copyOf(files.keySet()), toRead, replace, List.copyOf(newFiles), gone, newRows, bytes, oldestNew,
              unchanged));
    }
    return new LoadPlan(lakeRoot, List.copyOf(loads), false);
  }

  /** As {@link #changed}, listing the lake and counting rows from the files' footers. */
  public static LoadPlan changedSince(String lakeRoot, Map<LocalDate, Set<String>> ledger) {
    return changed(lakeRoot, LakeEventFiles.list(lakeRoot), ledger, LakeEventFiles::rows);
  }

  /** As {@link #of}, listing the lake and counting rows from the files' footers. */
  public static LoadPlan forDays(String lakeRoot, List<LocalDate> days, Map<LocalDate, Set<String>> ledger) {
    return of(lakeRoot, days, LakeEventFiles.list(lakeRoot), ledger, LakeEventFiles::rows);
  }

  /**
   * What a warehouse loads of this plan, given which of its files were found readable.
   *
   * @param ledgerFiles per day, the files the ledger is to record: the day's files but its
   *     unreadable (skipped) new ones, which the next load tries again
   * @param replaced the days whose rows are replaced, not merged into
   * @param paths the readable files to read, as full paths
   */
  public record Readable(
      String lakeRoot,
      Map<LocalDate, List<String>> ledgerFiles, Set<LocalDate> replaced, List<String> paths, boolean wholeWarehouse)
      implements Serializable {}

  /**
   * @param readablePaths full paths of this plan's files found readable
   * @throws IllegalStateException when a file the ledger had cannot be read: left out, its removal
   *     would look like no change, and the ids only it holds would be lost for good
   */
  public Readable readable(Collection<String> readablePaths) {
    Set<String> readable = new HashSet<>();
    readablePaths.forEach(path -> readable.add(LakeEventFiles.relative(path)));
    Map<LocalDate, List<String>> ledgerFiles = new TreeMap<>();
    Set<LocalDate> replaced = new TreeSet<>();
    for (DayLoad day : days) {
      // Sets: a day of a production lake has ~100K files, and list lookups per file are quadratic.
      Set<String> toRead = Set.copyOf(day.toRead());
      Set<String> newFiles = Set.copyOf(day.newFiles());
      for (String file : toRead) {
        if (!readable.contains(file) && !newFiles.contains(file)) {
          throw new IllegalStateException(
              "lake file " + file + " was loaded before and cannot be read now: nothing was loaded."
                  + " Restore it, or remove it and load without a range (every day is then replaced)");
        }
      }
      ledgerFiles.put(day.day(), day.files().stream().filter(f -> !toRead.contains(f) || readable.contains(f)).toList());
      if (day.replace()) {
        replaced.add(day.day());
      }
    }
    return new Readable(lakeRoot, ledgerFiles, replaced, List.copyOf(new TreeSet<>(readablePaths)), wholeWarehouse);
  }

  public List<LocalDate> dayList() {
    return days.stream().map(DayLoad::day).toList();
  }

  /** Every file to read, as full paths. */
  public List<String> paths() {
    return days.stream().flatMap(d -> d.toRead().stream()).map(f -> LakeEventFiles.path(lakeRoot, f)).toList();
  }

  public LakeListing listing() {
    return new LakeListing(
        days.size(),
        (int) days.stream().filter(d -> !d.toRead().isEmpty()).count(),
        days.stream().mapToLong(d -> d.toRead().size()).sum(),
        days.stream().mapToLong(DayLoad::bytes).sum());
  }

  private static SortedMap<String, LakeFile> emptyDay() {
    return java.util.Collections.emptySortedMap();
  }
}
