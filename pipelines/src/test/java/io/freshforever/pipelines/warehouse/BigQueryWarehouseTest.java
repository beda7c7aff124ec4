package io.freshforever.pipelines.warehouse;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import io.freshforever.testing.GoldenLog;
import io.freshforever.pipelines.batch.BatchPipeline;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.lake.LakeFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The BigQuery warehouse through Beam's fakes, as far as they go: they run load jobs of JSON and
 * Avro and extract jobs, but no SQL and no Parquet. The script's merge is DuckDB's, which the DuckDB
 * tests run; here its statements are checked in order, and the jobs around it are run.
 */
public class BigQueryWarehouseTest {
  private static final String PROJECT = "fresh-project";
  private static final String DATASET = "warehouse";
  private static final WarehouseTarget.BigQuery TARGET = new WarehouseTarget.BigQuery(PROJECT, DATASET);

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private FakeDatasetService datasets;
  private FakeJobService jobs;
  private FakeBigQueryServices services;
  private BigQueryOptions options;

  @Before
  public void setUp() throws Exception {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    datasets = new FakeDatasetService();
    jobs = new FakeJobService();
    datasets.createDataset(PROJECT, DATASET, "europe-west1", "", null);
    services = new FakeBigQueryServices().withDatasetService(datasets).withJobService(jobs);
    options = PipelineOptionsFactory.create().as(BigQueryOptions.class);
    options.setTempLocation(tmp.newFolder("temp").toString());
  }

  private BigQueryWarehouse warehouse() {
    return BigQueryWarehouse.open(TARGET, services, options);
  }

  private static TableReference table(String name) {
    return new TableReference().setProjectId(PROJECT).setDatasetId(DATASET).setTableId(name);
  }

  @Test
  public void theLedgerIsReadBackThroughAnExtractAndItsFilesAreRemoved() throws Exception {
    datasets.createTable(
        new Table()
            .setTableReference(table(DuckDbWarehouse.LEDGER))
            .setSchema(
                new TableSchema()
                    .setFields(
                        List.of(
                            new TableFieldSchema().setName("event_day").setType("DATE"),
                            new TableFieldSchema().setName("lake_file").setType("STRING")))));
    datasets.insertAll(
        table(DuckDbWarehouse.LEDGER),
        List.of(
            new TableRow().set("event_day", "2026-11-29").set("lake_file", "events/dt=2026-11-29/hr=10/a.parquet"),
            new TableRow().set("event_day", "2026-11-29").set("lake_file", "events/dt=2026-11-29/hr=11/b.parquet"),
            new TableRow().set("event_day", "2025-11-29").set("lake_file", "events/dt=2025-11-29/hr=08/c.parquet")),
        null);

    SortedMap<LocalDate, Set<String>> expected = new TreeMap<>();
    expected.put(LocalDate.parse("2025-11-29"), Set.of("events/dt=2025-11-29/hr=08/c.parquet"));
    expected.put(
        LocalDate.parse("2026-11-29"),
        Set.of("events/dt=2026-11-29/hr=10/a.parquet", "events/dt=2026-11-29/hr=11/b.parquet"));
    assertEquals(Optional.of(expected), warehouse().ledger());
    assertEquals("one extract job", 1, jobs.getNumExtractJobCalls());
    try (Stream<Path> left = Files.walk(Path.of(options.getTempLocation()))) {
      assertEquals("the extract's files are removed", 0, left.filter(Files::isRegularFile).count());
    }
  }

  @Test
  public void aNewWarehouseHasAnEmptyLedgerAndOneLoadedBeforeTheLedgerHasNone() throws Exception {
    assertEquals(Optional.of(new TreeMap<>()), warehouse().ledger());

    datasets.createTable(
        new Table().setTableReference(table("events")).setSchema(WarehouseTable.EVENTS.bigQuerySchema()));
    assertEquals("an empty events table: still new", Optional.of(new TreeMap<>()), warehouse().ledger());
    datasets.insertAll(table("events"), List.of(new TableRow().set("event_id", "e-1")), null);
    assertEquals("rows but no ledger: its days are unknown", Optional.empty(), warehouse().ledger());
    datasets.createTable(
        new Table()
            .setTableReference(table(DuckDbWarehouse.LEDGER))
            .setSchema(new TableSchema().setFields(List.of(new TableFieldSchema().setName("event_day").setType("DATE")))));
    assertEquals("rows and an empty ledger (a first load failed after making it): the same", Optional.empty(), warehouse().ledger());

    String lake = tmp.newFolder("lake").toString();
    LakeFixture.write(lake, GoldenLog.lakeEvents());
    LoadPlan plan = LoadPlan.everyDayOfTheLake(lake);
    assertTrue("such a warehouse is replaced whole", plan.wholeWarehouse());
    assertEquals(
        List.of("2026-11-29: 5 new lake files, 21 rows"),
        plan.days().stream().map(LoadPlan.DayLoad::why).toList());
  }

  @Test
  public void aFailedStagingJobLoadsNothingNamesTheJobAndLeavesNoStagingBehind() throws Exception {
    String lake = tmp.newFolder("lake").toString();
    LakeFixture.write(lake, GoldenLog.lakeEvents());
    LoadPlan plan = LoadPlan.changedSince(lake, Map.of());
    LoadPlan.Readable load = plan.readable(plan.paths());

    // Beam's fake runs no Parquet load: the first job fails, as a real one does on a bad file.
    IOException failed = assertThrows(IOException.class, () -> warehouse().load(load));
    assertTrue(failed.getMessage(), failed.getMessage().contains("to stage the lake files' rows failed"));
    assertTrue(failed.getMessage(), failed.getMessage().endsWith("; nothing was loaded"));

    List<Job> ran = new ArrayList<>(jobs.getAllJobs());
    assertEquals("nothing runs after the failed job", 1, ran.size());
    JobConfigurationLoad staging = ran.get(0).getConfiguration().getLoad();
    assertEquals("PARQUET", staging.getSourceFormat());
    assertEquals(plan.paths(), staging.getSourceUris());
    assertEquals(lake + "/events/{dt:DATE}/{hr:STRING}", staging.getHivePartitioningOptions().getSourceUriPrefix());
    for (WarehouseTable warehouseTable : WarehouseTable.values()) {
      assertNotNull(warehouseTable + " created", datasets.getTable(table(warehouseTable.tableName())));
      assertEquals(List.of(), datasets.getAllRows(PROJECT, DATASET, warehouseTable.tableName()));
    }
    assertEquals("the ledger is unchanged", List.of(), datasets.getAllRows(PROJECT, DATASET, DuckDbWarehouse.LEDGER));
    assertNull(datasets.getTable(table(staging.getDestinationTable().getTableId())));
    try (Stream<Path> left = Files.walk(Path.of(options.getTempLocation()))) {
      assertEquals("the ledger's staged entries are removed", 0, left.filter(Files::isRegularFile).count());
    }
  }

  @Test
  public void theBatchPipelinePlansFromTheDatasetsLedgerAndLoadsThroughIt() throws Exception {
    String lake = tmp.newFolder("lake").toString();
    LakeFixture.write(lake, GoldenLog.lakeEvents());
    BatchPipelineOptions batch =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner", "--lake=" + lake, "--warehouse=bigquery:" + PROJECT + ":" + DATASET,
                "--tempLocation=" + options.getTempLocation())
            .withValidation()
            .as(BatchPipelineOptions.class);
    LoadPlan plan = BatchPipeline.plan(batch, services);
    assertEquals(
        "a new dataset: every day of the lake, without a range",
        List.of("2026-11-29: 5 new lake files, 21 rows"), plan.days().stream().map(LoadPlan.DayLoad::why).toList());
    Pipeline pipeline = Pipeline.create(batch);
    BatchPipeline.build(pipeline, batch, plan, services);
    // As far as the fakes go: the files are verified, then the loader's first job, Parquet, fails.
    Exception failed = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());
    assertTrue(String.valueOf(failed.getMessage()), String.valueOf(failed.getMessage()).contains("to stage the lake files' rows failed"));
    assertEquals(plan.paths(), jobs.getAllJobs().iterator().next().getConfiguration().getLoad().getSourceUris());
  }

  @Test
  public void stagingTakesAtMostTenThousandFilesAJob() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 20_001; i++) {
      paths.add("gs://lake/events/dt=2026-11-29/hr=10/f" + i + ".parquet");
    }
    List<JobConfigurationLoad> loads =
        warehouse().stagingJobs("gs://lake", paths, "_s_rows").stream().map(j -> j.getLoad()).toList();
    assertEquals(List.of(10_000, 10_000, 1), loads.stream().map(l -> l.getSourceUris().size()).toList());
    assertEquals(
        List.of("WRITE_TRUNCATE", "WRITE_APPEND", "WRITE_APPEND"),
        loads.stream().map(JobConfigurationLoad::getWriteDisposition).toList());
    assertEquals(paths.get(20_000), loads.get(2).getSourceUris().get(0));
  }

  @Test
  public void theScriptRunsDuckDbsMergeInOneTransaction() {
    Map<LocalDate, List<String>> ledgerFiles = new TreeMap<>();
    ledgerFiles.put(LocalDate.parse("2026-11-28"), List.of("events/dt=2026-11-28/hr=23/a.parquet"));
    ledgerFiles.put(LocalDate.parse("2026-11-29"), List.of("events/dt=2026-11-29/hr=00/b.parquet"));
    LoadPlan.Readable load =
        new LoadPlan.Readable(
            "gs://lake", ledgerFiles, Set.of(LocalDate.parse("2026-11-28")),
            List.of("gs://lake/events/dt=2026-11-28/hr=23/a.parquet"), false);
    String script = warehouse().script(load, "_s_rows", "_s_ledger").getQuery().getQuery();
    List<String> expected = new ArrayList<>();
    expected.add("DECLARE displaced ARRAY<DATE> DEFAULT ARRAY<DATE>[]");
    expected.add(
        "ASSERT NOT EXISTS (SELECT 1 FROM _s_rows WHERE CAST(event_time AS DATE) <> dt) AS \"a lake file holds a row"
            + " not of its folder's day: the lake's layout is broken; nothing was loaded. Find it with the lake's"
            + " own tools, fix its partition, then re-run\"");
    expected.add("BEGIN TRANSACTION");
    expected.add(
        "DELETE FROM events WHERE ((event_time >= TIMESTAMP '2026-11-28' AND event_time < TIMESTAMP '2026-11-29'))");
    expected.add("CREATE TEMP TABLE incoming AS " + WarehouseSql.firstCopies("_s_rows"));
    expected.addAll(WarehouseSql.mergeIncomingIntoEvents("CREATE TEMP TABLE"));
    expected.add(
        "SET displaced = (SELECT IFNULL(ARRAY_AGG(DISTINCT held_day), ARRAY<DATE>[]) FROM contested WHERE NOT held_wins)");
    expected.add(
        "DELETE FROM event_counts_minute WHERE window_start IS NOT NULL AND (((window_start >= TIMESTAMP"
            + " '2026-11-28' AND window_start < TIMESTAMP '2026-11-30')) OR CAST(window_start AS DATE) IN"
            + " UNNEST(displaced))");
    expected.add(
        "INSERT INTO event_counts_minute (event_type, window_start, count) SELECT event_type,"
            + " TIMESTAMP_TRUNC(event_time, MINUTE), COUNT(*) FROM events WHERE event_time IS NOT NULL AND"
            + " (((event_time >= TIMESTAMP '2026-11-28' AND event_time < TIMESTAMP '2026-11-30')) OR CAST(event_time"
            + " AS DATE) IN UNNEST(displaced)) GROUP BY 1, 2");
    expected.add("DELETE FROM lake_files_loaded WHERE event_day IN (DATE '2026-11-28', DATE '2026-11-29')");
    expected.add(
        "INSERT INTO lake_files_loaded (event_day, lake_file, loaded_at) SELECT event_day, lake_file,"
            + " CURRENT_TIMESTAMP() FROM _s_ledger");
    expected.add("COMMIT TRANSACTION");
    assertEquals(String.join(";\n", expected) + ";", script);
  }

  @Test
  public void aWholeWarehouseLoadEmptiesBothTablesAndTheLedgerInItsTransaction() {
    LoadPlan.Readable load =
        new LoadPlan.Readable("gs://lake", Map.of(LocalDate.parse("2026-11-29"), List.of()), Set.of(LocalDate.parse("2026-11-29")), List.of(), true);
    List<String> statements = List.of(warehouse().script(load, null, "_s_ledger").getQuery().getQuery().split(";\n"));
    assertEquals(
        List.of(
            "DECLARE displaced ARRAY<DATE> DEFAULT ARRAY<DATE>[]",
            "BEGIN TRANSACTION",
            "DELETE FROM events WHERE event_time IS NOT NULL",
            "DELETE FROM event_counts_minute WHERE window_start IS NOT NULL",
            "DELETE FROM lake_files_loaded WHERE TRUE"),
        statements.subList(0, 5));
    assertTrue("no rows to merge", statements.stream().noneMatch(s -> s.contains("incoming")));
    assertEquals("COMMIT TRANSACTION;", statements.get(statements.size() - 1));
  }
}
