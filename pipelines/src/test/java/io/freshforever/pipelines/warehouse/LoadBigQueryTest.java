package io.freshforever.pipelines.warehouse;

import static org.junit.Assert.assertEquals;

import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.TableRow;
import io.freshforever.pipelines.batch.BatchPipeline;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.lake.LakeFixture;
import io.freshforever.testing.GoldenLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Instant;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The batch pipeline's BigQuery load, against Beam's in-process BigQuery fakes. The fakes do not
 * model partition truncation, so re-run safety is asserted on the load jobs themselves: every
 * job writes exactly one day partition ({@code table$YYYYMMDD}) with WRITE_TRUNCATE.
 */
public class LoadBigQueryTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String PROJECT = "analytics-prj";
  private static final String DATASET = "fresh";

  private final FakeDatasetService datasets = new FakeDatasetService();
  private final FakeJobService jobs = new FakeJobService();

  @Before
  public void setUp() throws Exception {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    datasets.createDataset(PROJECT, DATASET, "", "", null);
  }

  @Test
  public void goldenLakeLoadsTheExpectedRowsIntoDayPartitionsWithTruncate() throws Exception {
    String lake = tmp.newFolder("lake").getPath();
    LakeFixture.write(lake, GoldenLog.lakeEvents());
    BatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--lake=" + lake,
                "--from=2026-11-29",
                "--to=2026-11-30",
                "--warehouse=bigquery:" + PROJECT + ":" + DATASET,
                "--tempLocation=" + tmp.newFolder("bq-temp"))
            .withValidation()
            .as(BatchPipelineOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    BatchPipeline.build(
        pipeline, options, BatchPipeline.plan(options), new FakeBigQueryServices().withDatasetService(datasets).withJobService(jobs));
    pipeline.run().waitUntilFinish();

    List<String> events = new ArrayList<>();
    for (TableRow row : datasets.getAllRows(PROJECT, DATASET, "events")) {
      events.add(
          String.join(
              ",",
              (String) row.get("event_id"),
              (String) row.get("event_type"),
              java.time.Instant.from(TIMESTAMP.parse((String) row.get("event_time"))).toString(),
              row.get("user_id") == null ? "" : (String) row.get("user_id"),
              String.valueOf(row.get("kafka_partition")),
              String.valueOf(row.get("kafka_offset"))));
    }
    List<String> expected = new ArrayList<>();
    for (String line : GoldenLog.rows("expected_warehouse_events.csv")) {
      String[] cells = line.split(",", -1);
      cells[2] = java.time.Instant.parse(cells[2]).toString();
      expected.add(String.join(",", cells));
    }
    assertEquals(expected, new ArrayList<>(new TreeSet<>(events)));
    assertEquals(expected.size(), events.size());

    Map<String, Long> counts = new TreeMap<>();
    for (TableRow row : datasets.getAllRows(PROJECT, DATASET, "event_counts_minute")) {
      Instant minute = new Instant(java.time.Instant.from(TIMESTAMP.parse((String) row.get("window_start"))).toEpochMilli());
      counts.put(row.get("event_type") + "," + minute, Long.parseLong(String.valueOf(row.get("count"))));
    }
    assertEquals(GoldenLog.expectedCounts("expected_warehouse_counts.csv"), counts);

    List<String> loads = new ArrayList<>();
    for (Job job : jobs.getAllJobs()) {
      JobConfigurationLoad load = job.getConfiguration().getLoad();
      if (load != null) {
        loads.add(
            String.join(
                " ",
                load.getDestinationTable().getTableId(),
                load.getWriteDisposition(),
                load.getCreateDisposition(),
                load.getTimePartitioning().getType(),
                load.getTimePartitioning().getField(),
                String.join("+", load.getClustering().getFields())));
      }
    }
    loads.sort(null);
    assertEquals(
        List.of(
            "event_counts_minute$20261129 WRITE_TRUNCATE CREATE_IF_NEEDED DAY window_start event_type",
            "events$20261129 WRITE_TRUNCATE CREATE_IF_NEEDED DAY event_time event_type"),
        loads);
  }

  private static final java.time.format.DateTimeFormatter TIMESTAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(java.time.ZoneOffset.UTC);
}
