package io.freshforever.pipelines.warehouse;

import io.freshforever.pipelines.lake.LakeEventFiles;
import io.freshforever.transforms.FreshMetrics;
import java.io.IOException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The days of a {@link LoadPlan} into the local DuckDB file, from the lake files themselves: they
 * are immutable Parquet, so they are the staging files, and DuckDB bulk-reads the warehouse's
 * columns of them (the payload, most of the bytes, is never read). One transaction merges the new
 * files' rows into their days (or replaces the plan's replaced days), keeps one row per {@code
 * event_id} across all days, counts the minutes of each day it touched and records the loaded
 * files in the ledger ({@link DuckDbWarehouse#loadDays}). Replaced days with no rows are emptied. Counts the rows loaded as {@value #EVENTS_LOADED} and
 * {@value #COUNTS_LOADED}, and the other days whose rows a first-accepted copy displaced as
 * {@value #DAYS_DISPLACED}.
 */
public final class LoadDuckDb extends PTransform<PCollection<String>, PDone> {
  public static final String EVENTS_LOADED = "warehouse_events_loaded";
  public static final String COUNTS_LOADED = "warehouse_minute_counts_loaded";
  public static final String DAYS_DISPLACED = "warehouse_days_displaced";
  private static final Logger LOG = LoggerFactory.getLogger(LoadDuckDb.class);

  /** Makes sure the loader runs once even when the plan holds no files at all. */
  private static final String NO_FILE = "";

  private final WarehouseTarget.DuckDb target;
  private final LoadPlan plan;

  private LoadDuckDb(WarehouseTarget.DuckDb target, LoadPlan plan) {
    this.target = target;
    this.plan = plan;
  }

  public static LoadDuckDb into(WarehouseTarget.DuckDb target, LoadPlan plan) {
    return new LoadDuckDb(target, plan);
  }

  /** {@code readableFiles}: the full paths of the plan's lake files found readable. */
  @Override
  public PDone expand(PCollection<String> readableFiles) {
    PCollectionList.of(readableFiles.getPipeline().apply("Always", Create.of(NO_FILE)))
        .and(readableFiles)
        .apply("AllFiles", Flatten.pCollections())
        .apply("OneLoader", WithKeys.of("load"))
        .apply("Gather", GroupByKey.create())
        .apply("LoadDays", ParDo.of(new LoadDaysFn(target.path(), plan)));
    return PDone.in(readableFiles.getPipeline());
  }

  private static final class LoadDaysFn extends DoFn<KV<String, Iterable<String>>, Void> {
    private final Counter eventsLoaded = Metrics.counter(FreshMetrics.NAMESPACE, EVENTS_LOADED);
    private final Counter countsLoaded = Metrics.counter(FreshMetrics.NAMESPACE, COUNTS_LOADED);
    private final Counter daysDisplaced = Metrics.counter(FreshMetrics.NAMESPACE, DAYS_DISPLACED);
    private final String path;
    private final LoadPlan plan;

    LoadDaysFn(String path, LoadPlan plan) {
      this.path = path;
      this.plan = plan;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> files) throws SQLException, IOException {
      Set<String> readable = new TreeSet<>();
      List<String> paths = new ArrayList<>();
      for (String file : files.getValue()) {
        if (!file.equals(NO_FILE)) {
          readable.add(LakeEventFiles.relative(file));
          paths.add(file);
        }
      }
      // A day's unreadable (skipped) new files stay out of the ledger: the next load tries them
      // again. One the ledger had is refused: left out, its removal would look like no change.
      Map<LocalDate, List<String>> loadedFiles = new TreeMap<>();
      Set<LocalDate> replaced = new TreeSet<>();
      for (LoadPlan.DayLoad day : plan.days()) {
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
        loadedFiles.put(
            day.day(), day.files().stream().filter(f -> !toRead.contains(f) || readable.contains(f)).toList());
        if (day.replace()) {
          replaced.add(day.day());
        }
      }
      try (DuckDbWarehouse warehouse = DuckDbWarehouse.openForLoading(path)) {
        DuckDbWarehouse.Loaded loaded = warehouse.loadDays(loadedFiles, replaced, paths);
        eventsLoaded.inc(loaded.events());
        countsLoaded.inc(loaded.minuteCounts());
        daysDisplaced.inc(loaded.displacedDays().size());
        LOG.info(
            "{} days loaded into {}: {} events, {} minute counts; rows displaced on {}",
            loadedFiles.size(), path, loaded.events(), loaded.minuteCounts(), loaded.displacedDays());
      }
    }
  }
}
