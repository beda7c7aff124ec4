package io.freshforever.pipelines.warehouse;

import io.freshforever.transforms.FreshMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
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
 * The days of a {@link LoadPlan} into a warehouse, from the lake files themselves: they are
 * immutable Parquet, so they are the staging files, and the warehouse bulk-reads the columns it
 * keeps (DuckDB reads them in place, BigQuery in one load job; see {@link DuckDbWarehouse} and
 * {@link BigQueryWarehouse}). Every readable file is gathered into one loader, which merges the new
 * files' rows into their days (or replaces the plan's replaced days), keeps one row per {@code
 * event_id} across all days, counts the minutes of each day it touched and records the loaded files
 * in the ledger, all in one transaction. Replaced days with no rows are emptied. Counts the rows
 * loaded as {@value #EVENTS_LOADED} and {@value #COUNTS_LOADED}, and the other days whose rows a
 * first-accepted copy displaced as {@value #DAYS_DISPLACED}, where the warehouse tells.
 */
public final class LoadWarehouse extends PTransform<PCollection<String>, PDone> {
  public static final String EVENTS_LOADED = "warehouse_events_loaded";
  public static final String COUNTS_LOADED = "warehouse_minute_counts_loaded";
  public static final String DAYS_DISPLACED = "warehouse_days_displaced";
  private static final Logger LOG = LoggerFactory.getLogger(LoadWarehouse.class);

  /** Makes sure the loader runs once even when the plan holds no files at all. */
  private static final String NO_FILE = "";

  private final WarehouseLoader loader;
  private final LoadPlan plan;

  private LoadWarehouse(WarehouseLoader loader, LoadPlan plan) {
    this.loader = loader;
    this.plan = plan;
  }

  public static LoadWarehouse with(WarehouseLoader loader, LoadPlan plan) {
    return new LoadWarehouse(loader, plan);
  }

  /** {@code readableFiles}: the full paths of the plan's lake files found readable. */
  @Override
  public PDone expand(PCollection<String> readableFiles) {
    PCollectionList.of(readableFiles.getPipeline().apply("Always", Create.of(NO_FILE)))
        .and(readableFiles)
        .apply("AllFiles", Flatten.pCollections())
        .apply("OneLoader", WithKeys.of("load"))
        .apply("Gather", GroupByKey.create())
        .apply("LoadDays", ParDo.of(new LoadDaysFn(loader, plan)));
    return PDone.in(readableFiles.getPipeline());
  }

  private static final class LoadDaysFn extends DoFn<KV<String, Iterable<String>>, Void> {
    private final Counter eventsLoaded = Metrics.counter(FreshMetrics.NAMESPACE, EVENTS_LOADED);
    private final Counter countsLoaded = Metrics.counter(FreshMetrics.NAMESPACE, COUNTS_LOADED);
    private final Counter daysDisplaced = Metrics.counter(FreshMetrics.NAMESPACE, DAYS_DISPLACED);
    private final WarehouseLoader loader;
    private final LoadPlan plan;

    LoadDaysFn(WarehouseLoader loader, LoadPlan plan) {
      this.loader = loader;
      this.plan = plan;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> files, PipelineOptions options) throws Exception {
      List<String> readable = new ArrayList<>();
      for (String file : files.getValue()) {
        if (!file.equals(NO_FILE)) {
          readable.add(file);
        }
      }
      LoadPlan.Readable load = plan.readable(readable);
      WarehouseLoader.Loaded loaded = loader.load(load, options);
      if (loaded.events() != WarehouseLoader.UNKNOWN) {
        eventsLoaded.inc(loaded.events());
        countsLoaded.inc(loaded.minuteCounts());
        daysDisplaced.inc(loaded.displacedDays().size());
      }
      LOG.info(
          "{} days loaded into {}: {} events, {} minute counts; rows displaced on {}",
          load.ledgerFiles().size(), loader, loaded.events(), loaded.minuteCounts(), loaded.displacedDays());
    }
  }
}
