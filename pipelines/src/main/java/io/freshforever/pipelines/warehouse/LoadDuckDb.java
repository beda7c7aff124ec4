package io.freshforever.pipelines.warehouse;

import io.freshforever.transforms.FreshMetrics;
import java.io.IOException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The days of a {@link LoadPlan} into the local DuckDB file, loaded the way BigQuery loads: the
 * {@code events} rows are staged as Parquet files per day, then one transaction replaces every day
 * of the plan from them (a bulk read, not row inserts), keeps one row per {@code event_id} across
 * all days, counts the minutes of each day it touched and records the plan's lake files in the
 * ledger ({@link DuckDbWarehouse#loadDays}). Days that now have no rows are emptied. Counts the rows
 * loaded as {@value #EVENTS_LOADED} and {@value #COUNTS_LOADED}, and the other days whose rows a
 * first-accepted copy displaced as {@value #DAYS_DISPLACED}.
 */
public final class LoadDuckDb extends PTransform<PCollection<GenericRecord>, PDone> {
  public static final String EVENTS_LOADED = "warehouse_events_loaded";
  public static final String COUNTS_LOADED = "warehouse_minute_counts_loaded";
  public static final String DAYS_DISPLACED = "warehouse_days_displaced";
  private static final Logger LOG = LoggerFactory.getLogger(LoadDuckDb.class);

  /** Makes sure the loader runs once even when the plan holds no rows at all. */
  private static final String NOTHING_STAGED = "";

  /**
   * Fixed, not runner-chosen: without it a file is written per bundle, and the DirectRunner makes a
   * bundle of every event_id after the dedup (2,000 events took 6 minutes; with 4 shards, seconds).
   */
  private static final int STAGED_FILES_PER_DAY = 4;

  private final WarehouseTarget.DuckDb target;
  private final LoadPlan plan;
  private final String stagingDir;

  private LoadDuckDb(WarehouseTarget.DuckDb target, LoadPlan plan, String stagingDir) {
    this.target = target;
    this.plan = plan;
    this.stagingDir = stagingDir;
  }

  /** {@code stagingDir} must be unique to this run: its files are deleted after the load. */
  public static LoadDuckDb into(WarehouseTarget.DuckDb target, LoadPlan plan, String stagingDir) {
    return new LoadDuckDb(target, plan, stagingDir);
  }

  @Override
  public PDone expand(PCollection<GenericRecord> events) {
    WarehouseTable table = WarehouseTable.EVENTS;
    PCollection<String> staged =
        events
            .apply(
                "Stage " + table.tableName(),
                FileIO.<String, GenericRecord>writeDynamic()
                    .by(table::dayOf)
                    .withDestinationCoder(StringUtf8Coder.of())
                    .via(ParquetIO.sink(table.stagingSchema()))
                    .to(stagingDir + "/" + table.tableName())
                    .withNaming(day -> FileIO.Write.defaultNaming("dt=" + day + "/part", ".parquet"))
                    .withNumShards(STAGED_FILES_PER_DAY))
            .getPerDestinationOutputFilenames()
            .apply("Describe", MapElements.into(TypeDescriptors.strings()).via(dayFile -> dayFile.getKey() + "\t" + dayFile.getValue()));
    PCollectionList.of(events.getPipeline().apply("Always", Create.of(NOTHING_STAGED)))
        .and(staged)
        .apply("AllStagedFiles", Flatten.pCollections())
        .apply("OneLoader", WithKeys.of("load"))
        .apply("Gather", GroupByKey.create())
        .apply("LoadDays", ParDo.of(new LoadDaysFn(target.path(), plan)));
    return PDone.in(events.getPipeline());
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
    public void process(@Element KV<String, Iterable<String>> staged) throws SQLException, IOException {
      List<LocalDate> days = plan.dayList();
      List<String> files = new ArrayList<>();
      for (String line : staged.getValue()) {
        if (line.equals(NOTHING_STAGED)) {
          continue;
        }
        String[] dayAndFile = line.split("\t", 2);
        if (!days.contains(LocalDate.parse(dayAndFile[0]))) {
          throw new IllegalStateException(
              "a lake partition of " + days + " holds a row of " + dayAndFile[0] + " (" + dayAndFile[1]
                  + "): the lake's layout is broken; fix the file's partition, then re-run");
        }
        files.add(dayAndFile[1]);
      }
      Map<LocalDate, List<String>> lakeFiles = new TreeMap<>();
      plan.days().forEach(day -> lakeFiles.put(day.day(), day.files()));
      try (DuckDbWarehouse warehouse = DuckDbWarehouse.openForLoading(path)) {
        DuckDbWarehouse.Loaded loaded = warehouse.loadDays(lakeFiles, files);
        eventsLoaded.inc(loaded.events());
        countsLoaded.inc(loaded.minuteCounts());
        daysDisplaced.inc(loaded.displacedDays().size());
        LOG.info(
            "{} days loaded into {}: {} events, {} minute counts; rows displaced on {}",
            days.size(), path, loaded.events(), loaded.minuteCounts(), loaded.displacedDays());
      }
      List<ResourceId> stagedFiles = new ArrayList<>();
      for (String file : files) {
        stagedFiles.add(FileSystems.matchNewResource(file, false));
      }
      FileSystems.delete(stagedFiles, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }
}
