package io.freshforever.pipelines.warehouse;

import io.freshforever.transforms.FreshMetrics;
import java.io.IOException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
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
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Both warehouse tables into the local DuckDB file, loaded the way BigQuery loads: the rows are
 * staged as Parquet files per table and day, then one transaction per day replaces that day of
 * both tables from its files (a bulk read, not row inserts). Every day of the range is replaced,
 * including days that now have no rows. Counts the rows loaded as {@value #EVENTS_LOADED} and
 * {@value #COUNTS_LOADED}.
 */
public final class LoadDuckDb extends PTransform<PCollectionTuple, PDone> {
  public static final String EVENTS_LOADED = "warehouse_events_loaded";
  public static final String COUNTS_LOADED = "warehouse_minute_counts_loaded";
  private static final Logger LOG = LoggerFactory.getLogger(LoadDuckDb.class);

  /** Makes sure the loader runs once even when the range holds no rows at all. */
  private static final String NOTHING_STAGED = "";

  /**
   * Fixed, not runner-chosen: without it a file is written per bundle, and the DirectRunner makes a
   * bundle of every event_id after the dedup (2,000 events took 6 minutes; with 4 shards, seconds).
   */
  private static final int STAGED_FILES_PER_DAY = 4;

  private final WarehouseTarget.DuckDb target;
  private final List<LocalDate> days;
  private final String stagingDir;

  private LoadDuckDb(WarehouseTarget.DuckDb target, List<LocalDate> days, String stagingDir) {
    this.target = target;
    this.days = List.copyOf(days);
    this.stagingDir = stagingDir;
  }

  /** {@code stagingDir} must be unique to this run: its files are deleted after the load. */
  public static LoadDuckDb into(WarehouseTarget.DuckDb target, List<LocalDate> days, String stagingDir) {
    return new LoadDuckDb(target, days, stagingDir);
  }

  @Override
  public PDone expand(PCollectionTuple rows) {
    List<PCollection<String>> staged = new ArrayList<>();
    staged.add(rows.getPipeline().apply("Always", Create.of(NOTHING_STAGED)));
    for (WarehouseTable table : WarehouseTable.values()) {
      staged.add(
          rows.get(table.rows())
              .apply(
                  "Stage " + table.tableName(),
                  FileIO.<String, GenericRecord>writeDynamic()
                      .by(row -> table.dayOf(row))
                      .withDestinationCoder(StringUtf8Coder.of())
                      .via(ParquetIO.sink(table.stagingSchema()))
                      .to(stagingDir + "/" + table.tableName())
                      .withNaming(day -> FileIO.Write.defaultNaming("dt=" + day + "/part", ".parquet"))
                      .withNumShards(STAGED_FILES_PER_DAY))
              .getPerDestinationOutputFilenames()
              .apply(
                  "Describe " + table.tableName(),
                  MapElements.into(TypeDescriptors.strings())
                      .via((KV<String, String> dayFile) ->
                          table.name() + "\t" + dayFile.getKey() + "\t" + dayFile.getValue())));
    }
    PCollectionList.of(staged)
        .apply("AllStagedFiles", Flatten.pCollections())
        .apply("OneLoader", WithKeys.of("load"))
        .apply("Gather", GroupByKey.create())
        .apply("ReplaceDays", ParDo.of(new ReplaceDaysFn(target.path(), days)));
    return PDone.in(rows.getPipeline());
  }

  private static final class ReplaceDaysFn extends DoFn<KV<String, Iterable<String>>, Void> {
    private final Counter eventsLoaded = Metrics.counter(FreshMetrics.NAMESPACE, EVENTS_LOADED);
    private final Counter countsLoaded = Metrics.counter(FreshMetrics.NAMESPACE, COUNTS_LOADED);
    private final String path;
    private final List<LocalDate> days;

    ReplaceDaysFn(String path, List<LocalDate> days) {
      this.path = path;
      this.days = days;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> staged)
        throws SQLException, IOException {
      Map<LocalDate, Map<WarehouseTable, List<String>>> byDay = new TreeMap<>();
      List<ResourceId> allFiles = new ArrayList<>();
      for (String line : staged.getValue()) {
        if (line.equals(NOTHING_STAGED)) {
          continue;
        }
        String[] parts = line.split("\t", 3);
        LocalDate day = LocalDate.parse(parts[1]);
        if (!days.contains(day)) {
          throw new IllegalStateException(
              "a lake partition of " + days + " holds a row of " + day + " (" + parts[2]
                  + "): the lake's layout is broken; fix the file's partition, then re-run");
        }
        byDay.computeIfAbsent(day, d -> new EnumMap<>(WarehouseTable.class))
            .computeIfAbsent(WarehouseTable.valueOf(parts[0]), t -> new ArrayList<>())
            .add(parts[2]);
        allFiles.add(FileSystems.matchNewResource(parts[2], false));
      }
      try (DuckDbWarehouse warehouse = DuckDbWarehouse.openForLoading(path)) {
        for (LocalDate day : days) {
          Map<WarehouseTable, Long> loaded = warehouse.replaceDay(day, byDay.getOrDefault(day, Map.of()));
          eventsLoaded.inc(loaded.get(WarehouseTable.EVENTS));
          countsLoaded.inc(loaded.get(WarehouseTable.EVENT_COUNTS_MINUTE));
          LOG.info(
              "{} replaced in {}: {} events, {} minute counts",
              day, path, loaded.get(WarehouseTable.EVENTS), loaded.get(WarehouseTable.EVENT_COUNTS_MINUTE));
        }
      }
      FileSystems.delete(allFiles, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }
}
