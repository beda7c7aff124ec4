package io.freshforever.pipelines.warehouse;

import static io.freshforever.pipelines.warehouse.WarehouseSql.dates;
import static io.freshforever.pipelines.warehouse.WarehouseSql.firstCopies;
import static io.freshforever.pipelines.warehouse.WarehouseSql.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.DatasetReference;
import com.google.api.services.bigquery.model.HivePartitioningOptions;
import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfiguration;
import com.google.api.services.bigquery.model.JobConfigurationExtract;
import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.api.services.bigquery.model.TimePartitioning;
import io.freshforever.lake.LakeLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServicesImpl;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BigQuery warehouse: the contract's two tables and the ledger of the lake files each day was
 * loaded from ({@value DuckDbWarehouse#LEDGER}, as in DuckDB), all in one dataset. A load stages,
 * then changes everything in one multi-statement transaction:
 *
 * <ol>
 *   <li>one Parquet load job (per 10,000 files) reads the lake files to read into a staging table,
 *       with each file's day folder as a column ({@code dt}, Hive partitioning); a second loads the
 *       ledger's new entries (newline-delimited JSON written to {@code --tempLocation});
 *   <li>one script, in a transaction: refuses a row outside its folder's day, replaces or merges
 *       the days with the same statements as DuckDB's ({@link WarehouseSql}: the first accepted copy
 *       of an id wins across all days), recounts the minutes of every day it touched, records the
 *       files in the ledger;
 *   <li>the staging tables and files are removed, whatever happened.
 * </ol>
 *
 * A crash before the script commits changes nothing but leftover staging tables named {@code
 * _fresh_staging_*} (the next load does not use them); a crash after it leaves a finished load. The
 * ledger is read back by an extract job to Avro files under {@code --tempLocation}.
 */
public final class BigQueryWarehouse {
  /** BigQuery takes at most 10,000 source URIs per load job. */
  static final int MAX_URIS_PER_LOAD = 10_000;

  /** Polls of one job before giving up (Beam backs off up to a minute between them). */
  private static final int MAX_POLLS = 1_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(BigQueryWarehouse.class);

  private final WarehouseTarget.BigQuery target;
  private final BigQueryServices.JobService jobs;
  private final BigQueryServices.DatasetService datasets;
  private final String tempLocation;
  private @Nullable String location;

  private BigQueryWarehouse(WarehouseTarget.BigQuery target, BigQueryServices services, BigQueryOptions options) {
    this.target = target;
    this.jobs = services.getJobService(options);
    this.datasets = services.getDatasetService(options);
    String temp = options.getTempLocation();
    if (temp == null || temp.isEmpty()) {
      throw new IllegalArgumentException(
          "a BigQuery warehouse needs --tempLocation (a gs:// folder): the ledger and its new entries pass through it");
    }
    this.tempLocation = temp.endsWith("/") ? temp : temp + "/";
  }

  /** The loader of {@code target} for {@link LoadWarehouse}, through {@code services} as {@link #open}. */
  public static WarehouseLoader loader(WarehouseTarget.BigQuery target, @Nullable BigQueryServices services) {
    return new Loader(target, services);
  }

  private record Loader(WarehouseTarget.BigQuery target, @Nullable BigQueryServices services) implements WarehouseLoader {
    @Override
    public Loaded load(LoadPlan.Readable load, PipelineOptions options) throws Exception {
      return open(target, services, options).load(load);
    }

    @Override
    public String toString() {
      return target.toString();
    }
  }

  /** The warehouse through {@code services} (Beam's fakes in tests), or the BigQuery API when null. */
  public static BigQueryWarehouse open(
      WarehouseTarget.BigQuery target, @Nullable BigQueryServices services, PipelineOptions options) {
    return new BigQueryWarehouse(
        target, services == null ? new BigQueryServicesImpl() : services, options.as(BigQueryOptions.class));
  }

  /**
   * The ledger: for each event day loaded, the lake files it was loaded from; empty for a new
   * warehouse. Empty (no {@code Optional}) for a warehouse with rows but no ledger, loaded before
   * the ledger existed: its days are unknown without a query, so its first load replaces it whole
   * ({@link LoadPlan#everyDayOfTheLake}).
   */
  public Optional<SortedMap<LocalDate, Set<String>>> ledger() throws IOException, InterruptedException {
    SortedMap<LocalDate, Set<String>> ledger = new TreeMap<>();
    TableReference events = table(WarehouseTable.EVENTS.tableName());
    TableReference ledgerTable = table(DuckDbWarehouse.LEDGER);
    if (datasets.getTable(ledgerTable) == null || datasets.isTableEmpty(ledgerTable)) {
      // An empty ledger too: a first load that failed after creating it leaves one.
      boolean loadedBefore = datasets.getTable(events) != null && !datasets.isTableEmpty(events);
      return loadedBefore ? Optional.empty() : Optional.of(ledger);
    }
    String folder = tempLocation + "fresh-ledger-" + UUID.randomUUID() + "/";
    run(
        "read the ledger",
        new JobConfiguration()
            .setExtract(
                new JobConfigurationExtract()
                    .setSourceTable(ledgerTable)
                    .setDestinationUris(List.of(folder + "ledger-*.avro"))
                    .setDestinationFormat("AVRO")
                    .setUseAvroLogicalTypes(true)));
    List<ResourceId> files = new ArrayList<>();
    try {
      for (MatchResult.Metadata file : FileSystems.match(folder + "*", EmptyMatchTreatment.ALLOW).metadata()) {
        files.add(file.resourceId());
        try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()));
            DataFileStream<GenericRecord> rows = new DataFileStream<>(in, new GenericDatumReader<>())) {
          for (GenericRecord row : rows) {
            ledger.computeIfAbsent(day(row.get("event_day")), d -> new TreeSet<>()).add(row.get("lake_file").toString());
          }
        }
      }
    } finally {
      FileSystems.delete(files);
    }
    return Optional.of(ledger);
  }

  /** A DATE as Avro gives it: days since the epoch (a logical type), or its ISO text. */
  private static LocalDate day(Object value) {
    return value instanceof Integer days ? LocalDate.ofEpochDay(days) : LocalDate.parse(value.toString());
  }

  /**
   * Loads {@code load}: stages, then one transaction (see the class comment). Reports no row
   * counts: a script's statements count their rows in child jobs, which the job API here does not list.
   */
  public WarehouseLoader.Loaded load(LoadPlan.Readable load) throws IOException, InterruptedException {
    if (load.ledgerFiles().isEmpty()) {
      return new WarehouseLoader.Loaded(0, 0, List.of());
    }
    createMissingTables();
    String run = "_fresh_staging_" + UUID.randomUUID().toString().replace("-", "");
    String rows = run + "_rows";
    String ledgerRows = run + "_ledger";
    ResourceId ledgerFile = FileSystems.matchNewResource(tempLocation + run + "/ledger.json", false);
    try {
      for (JobConfiguration staging : stagingJobs(load.lakeRoot(), load.paths(), rows)) {
        run("stage the lake files' rows", staging);
      }
      writeLedgerRows(ledgerFile, load.ledgerFiles());
      run("stage the ledger's entries", ledgerStagingJob(ledgerFile.toString(), ledgerRows));
      run("load the days in one transaction", script(load, load.paths().isEmpty() ? null : rows, ledgerRows));
    } finally {
      removeStaging(List.of(rows, ledgerRows), ledgerFile);
    }
    return new WarehouseLoader.Loaded(WarehouseLoader.UNKNOWN, WarehouseLoader.UNKNOWN, List.of());
  }

  /**
   * Removes what a load staged. A failure here is logged, not thrown: it must not turn a committed
   * load into a failed one (which the runner would retry whole).
   */
  private void removeStaging(List<String> tables, ResourceId ledgerFile) {
    for (String staged : tables) {
      try {
        if (datasets.getTable(table(staged)) != null) {
          datasets.deleteTable(table(staged));
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        LOG.warn("could not remove the staging table {}: {}; delete it by hand, nothing reads it", staged, e.toString());
      }
    }
    try {
      FileSystems.delete(List.of(ledgerFile), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove {}: {}", ledgerFile, e.toString());
    }
  }

  /**
   * Parquet load jobs of {@code paths} into {@code staging}, at most {@value #MAX_URIS_PER_LOAD}
   * files each: the lake's columns, and {@code dt}, the day of each file's folder.
   */
  List<JobConfiguration> stagingJobs(String lakeRoot, List<String> paths, String staging) {
    List<JobConfiguration> loads = new ArrayList<>();
    String root = lakeRoot.endsWith("/") ? lakeRoot : lakeRoot + "/";
    for (int first = 0; first < paths.size(); first += MAX_URIS_PER_LOAD) {
      loads.add(
          new JobConfiguration()
              .setLoad(
                  new JobConfigurationLoad()
                      .setSourceUris(List.copyOf(paths.subList(first, Math.min(paths.size(), first + MAX_URIS_PER_LOAD))))
                      .setSourceFormat("PARQUET")
                      .setHivePartitioningOptions(
                          new HivePartitioningOptions()
                              .setMode("CUSTOM")
                              .setSourceUriPrefix(root + LakeLayout.EVENTS + "/{dt:DATE}/{hr:STRING}"))
                      .setDestinationTable(table(staging))
                      .setCreateDisposition("CREATE_IF_NEEDED")
                      .setWriteDisposition(first == 0 ? "WRITE_TRUNCATE" : "WRITE_APPEND")));
    }
    return loads;
  }

  JobConfiguration ledgerStagingJob(String file, String staging) {
    return new JobConfiguration()
        .setLoad(
            new JobConfigurationLoad()
                .setSourceUris(List.of(file))
                .setSourceFormat("NEWLINE_DELIMITED_JSON")
                .setSchema(
                    new TableSchema()
                        .setFields(
                            List.of(
                                field("event_day", "DATE"),
                                field("lake_file", "STRING"))))
                .setDestinationTable(table(staging))
                .setCreateDisposition("CREATE_IF_NEEDED")
                .setWriteDisposition("WRITE_TRUNCATE"));
  }

  /**
   * The transaction, with the same merge as DuckDB's ({@link WarehouseSql}); {@code rows} is null
   * when no file is read (days only emptied or their ledger entries changed).
   */
  JobConfiguration script(LoadPlan.Readable load, @Nullable String rows, String ledgerRows) {
    Set<LocalDate> days = load.ledgerFiles().keySet();
    List<String> statements = new ArrayList<>();
    statements.add("DECLARE displaced ARRAY<DATE> DEFAULT ARRAY<DATE>[]");
    if (rows != null) {
      // The lake's layout puts each row in the folder of its day: a row elsewhere is refused. (It
      // reads only the staging table, so it needs no transaction.)
      statements.add(
          "ASSERT NOT EXISTS (SELECT 1 FROM " + rows + " WHERE CAST(event_time AS DATE) <> dt) AS"
              + " \"a lake file holds a row not of its folder's day: the lake's layout is broken; nothing was loaded."
              + " Find it with the lake's own tools, fix its partition, then re-run\"");
    }
    statements.add("BEGIN TRANSACTION");
    if (load.wholeWarehouse()) {
      // Every row: the columns are REQUIRED. A filter on the partition column, which the tables require.
      statements.add("DELETE FROM events WHERE event_time IS NOT NULL");
      statements.add("DELETE FROM event_counts_minute WHERE window_start IS NOT NULL");
      statements.add("DELETE FROM " + DuckDbWarehouse.LEDGER + " WHERE TRUE");
    } else if (!load.replaced().isEmpty()) {
      statements.add("DELETE FROM events WHERE " + within("event_time", load.replaced()));
    }
    if (rows != null) {
      statements.add("CREATE TEMP TABLE incoming AS " + firstCopies(rows));
      statements.addAll(WarehouseSql.mergeIncomingIntoEvents("CREATE TEMP TABLE"));
      statements.add(
          "SET displaced = (SELECT IFNULL(ARRAY_AGG(DISTINCT held_day), ARRAY<DATE>[]) FROM contested WHERE NOT held_wins)");
    }
    statements.add(
        "DELETE FROM event_counts_minute WHERE window_start IS NOT NULL AND (" + within("window_start", days)
            + " OR CAST(window_start AS DATE) IN UNNEST(displaced))");
    statements.add(
        "INSERT INTO event_counts_minute (event_type, window_start, count) SELECT event_type,"
            + " TIMESTAMP_TRUNC(event_time, MINUTE), COUNT(*) FROM events WHERE event_time IS NOT NULL AND ("
            + within("event_time", days) + " OR CAST(event_time AS DATE) IN UNNEST(displaced)) GROUP BY 1, 2");
    statements.add("DELETE FROM " + DuckDbWarehouse.LEDGER + " WHERE event_day IN (" + dates(days) + ")");
    statements.add(
        "INSERT INTO " + DuckDbWarehouse.LEDGER + " (event_day, lake_file, loaded_at)"
            + " SELECT event_day, lake_file, CURRENT_TIMESTAMP() FROM " + ledgerRows);
    statements.add("COMMIT TRANSACTION");
    return new JobConfiguration()
        .setQuery(
            new JobConfigurationQuery()
                .setQuery(String.join(";\n", statements) + ";")
                .setUseLegacySql(false)
                .setDefaultDataset(new DatasetReference().setProjectId(target.project()).setDatasetId(target.dataset())));
  }

  private void writeLedgerRows(ResourceId file, Map<LocalDate, List<String>> ledgerFiles) throws IOException {
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, "application/json"))) {
      for (Map.Entry<LocalDate, List<String>> day : ledgerFiles.entrySet()) {
        for (String lakeFile : day.getValue()) {
          out.write(JSON.writeValueAsBytes(Map.of("event_day", day.getKey().toString(), "lake_file", lakeFile)));
          out.write('\n');
        }
      }
    }
  }

  private void createMissingTables() throws IOException, InterruptedException {
    for (WarehouseTable warehouseTable : WarehouseTable.values()) {
      createIfMissing(
          new Table()
              .setTableReference(table(warehouseTable.tableName()))
              .setSchema(warehouseTable.bigQuerySchema())
              .setTimePartitioning(new TimePartitioning().setType("DAY").setField(warehouseTable.partitionColumn()))
              // As terraform's: a query must name the days it reads.
              .setRequirePartitionFilter(true)
              .setClustering(new Clustering().setFields(List.of(WarehouseTable.CLUSTERING_COLUMN))));
    }
    createIfMissing(
        new Table()
            .setTableReference(table(DuckDbWarehouse.LEDGER))
            .setSchema(
                new TableSchema()
                    .setFields(
                        List.of(
                            field("event_day", "DATE"),
                            field("lake_file", "STRING"),
                            field("loaded_at", "TIMESTAMP"))))
            .setClustering(new Clustering().setFields(List.of("event_day"))));
  }

  private void createIfMissing(Table table) throws IOException, InterruptedException {
    if (datasets.getTable(table.getTableReference()) == null) {
      datasets.createTable(table);
    }
  }

  /**
   * Runs one job to its end; a failed job is an error naming what it was for and why. Jobs run in
   * the dataset's location: polling a job in a single region needs it.
   */
  private void run(String what, JobConfiguration configuration) throws IOException, InterruptedException {
    if (location == null) {
      location = datasets.getDataset(target.project(), target.dataset()).getLocation();
    }
    JobReference reference =
        new JobReference()
            .setProjectId(target.project())
            .setLocation(location)
            .setJobId("fresh_" + UUID.randomUUID().toString().replace("-", ""));
    if (configuration.getLoad() != null) {
      jobs.startLoadJob(reference, configuration.getLoad());
    } else if (configuration.getQuery() != null) {
      jobs.startQueryJob(reference, configuration.getQuery());
    } else {
      jobs.startExtractJob(reference, configuration.getExtract());
    }
    Job job = jobs.pollJob(reference, MAX_POLLS);
    if (job != null && job.getStatus() != null && job.getStatus().getErrorResult() != null) {
      throw new IOException(
          "BigQuery job " + reference.getJobId() + " to " + what + " failed: " + job.getStatus().getErrorResult().getMessage()
              + "; nothing was loaded");
    }
    if (job == null || job.getStatus() == null || !"DONE".equals(job.getStatus().getState())) {
      throw new IOException("BigQuery job " + reference.getJobId() + " to " + what + " did not finish: nothing was loaded");
    }
  }

  private static TableFieldSchema field(String name, String type) {
    return new TableFieldSchema().setName(name).setType(type).setMode("REQUIRED");
  }

  private TableReference table(String name) {
    return new TableReference().setProjectId(target.project()).setDatasetId(target.dataset()).setTableId(name);
  }

  @Override
  public String toString() {
    return target.toString();
  }
}
