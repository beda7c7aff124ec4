package io.freshforever.runners.metrics;

import static org.junit.Assert.assertEquals;

import io.freshforever.runners.stack.FreePorts;
import io.freshforever.transforms.FreshMetrics;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.Test;

/**
 * What the DirectRunner's endpoint serves, read back over HTTP, and how a scrape of Flink's
 * reporter reads: the same names, exact values, series summed.
 */
public class MetricsEndpointTest {
  private static final List<String> DIRECT = List.of("--runner=DirectRunner");

  private static final class CountingFn extends DoFn<Long, Long> {
    private final Counter read = Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.RECORDS_READ);
    private final Counter tooLate = Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.TOO_LATE_AT_DEDUP);
    private final Counter dropped = Metrics.counter("org.apache.beam.runners.core.LateDataDroppingDoFnRunner", "droppedDueToLateness");
    private final Gauge newest = Metrics.gauge(FreshMetrics.NAMESPACE, "newest");
    private final Distribution freshness = Metrics.distribution(FreshMetrics.NAMESPACE, "freshness");

    @ProcessElement
    public void process(@Element Long n) {
      read.inc();
      freshness.update(n * 10);
      if (n == 5) {
        newest.set(1_700_000_000_123L);
        tooLate.inc();
        dropped.inc(2);
      }
    }
  }

  @Test
  public void theDirectRunnersEndpointServesTheJobsBeamMetrics() throws Exception {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(DIRECT.toArray(new String[0])).create());
    pipeline.apply(Create.of(1L, 2L, 3L, 4L, 5L)).apply("Count", ParDo.of(new CountingFn()));
    PipelineResult job = pipeline.run();
    job.waitUntilFinish();
    int port = FreePorts.next();
    List<String> args = MetricsEndpoint.configure(DIRECT, port);
    assertEquals("the DirectRunner's options stay as they are", DIRECT, args);
    try (MetricsEndpoint endpoint = MetricsEndpoint.serve(args, port, job)) {
      ScrapedMetrics metrics = ScrapedMetrics.scrape(endpoint.uri());
      assertEquals(5, metrics.counter(FreshMetrics.RECORDS_READ));
      assertEquals(3, metrics.tooLateForLiveView());
      assertEquals(OptionalLong.of(1_700_000_000_123L), metrics.gaugeMax("newest"));
      assertEquals(OptionalLong.of(50), metrics.gaugeMax("freshness_max"));
      assertEquals(0, metrics.counter(FreshMetrics.DEAD_LETTERS));
    }
  }

  @Test
  public void aScrapeOfFlinksReporterSumsTheSubtasks() {
    String flink = String.join("\n",
        "# HELP flink_taskmanager_job_task_operator_fresh_records_read records_read (scope: taskmanager_job_task_operator_fresh)",
        "# TYPE flink_taskmanager_job_task_operator_fresh_records_read gauge",
        "flink_taskmanager_job_task_operator_fresh_records_read{job_name=\"fresh\",operator_name=\"ReadIngestLog_Parse\",subtask_index=\"0\",} 7.0",
        "flink_taskmanager_job_task_operator_fresh_records_read{job_name=\"fresh\",operator_name=\"ReadIngestLog_Parse\",subtask_index=\"1\",} 5.0",
        "flink_taskmanager_job_task_operator_fresh_not_records_read{subtask_index=\"0\",} 100.0",
        "flink_taskmanager_job_task_operator_org_apache_beam_runners_core_LateDataDroppingDoFnRunner_droppedDueToLateness{subtask_index=\"1\",} 4.0",
        "flink_taskmanager_job_task_operator_fresh_live_view_newest_event_ms{subtask_index=\"0\",} 1.700000000123E12",
        "flink_taskmanager_job_task_operator_fresh_live_view_newest_event_ms{subtask_index=\"1\",} 1.6E12",
        "flink_jobmanager_numRunningJobs 1.0",
        "flink_taskmanager_job_task_operator_currentInputWatermark{subtask_index=\"0\",} -Inf",
        "flink_taskmanager_Status_JVM_CPU_Load NaN",
        "flink_taskmanager_job_task_operator_watermarkAlignmentDrift{subtask_index=\"0\",} +Inf",
        "");
    ScrapedMetrics metrics = ScrapedMetrics.parse(flink);
    assertEquals(12, metrics.counter(FreshMetrics.RECORDS_READ));
    assertEquals(4, metrics.tooLateForLiveView());
    assertEquals(OptionalLong.of(1_700_000_000_123L), metrics.gaugeMax("live_view_newest_event_ms"));
    assertEquals(OptionalLong.empty(), metrics.gaugeMax(FreshMetrics.DEAD_LETTERS));
  }

  @Test
  public void flinksOwnRecordCountsAreReadByTheStepTheOperatorRuns() {
    // As Flink 1.19's reporter serves a Beam batch job's operators (names cut at 80 characters).
    String flink = String.join("\n",
        "# TYPE flink_taskmanager_job_task_operator_numRecordsOut gauge",
        "flink_taskmanager_job_task_operator_numRecordsOut{job_id=\"fb86\",operator_name=\"FlatMap__FlatMap_at_ReadLakeEvents_ReadRows_out0_\",subtask_index=\"0\",} 3659.0",
        "flink_taskmanager_job_task_operator_numRecordsOut{job_id=\"fb86\",operator_name=\"FlatMap__FlatMap_at_ReadLakeEvents_ReadRows_out0_\",subtask_index=\"1\",} 4319.0",
        "flink_taskmanager_job_task_operator_numRecordsOut{job_id=\"fb86\",operator_name=\"FlatMap__FlatMap_at_ReadLakeEvents_ReadRows_out1_\",subtask_index=\"0\",} 2.0",
        "flink_taskmanager_job_task_operator_numRecordsOut{job_id=\"fb86\",operator_name=\"FlatMap__FlatMap_at_ReadLakeEvents_ReadRows_\",subtask_index=\"0\",} 3722.0",
        "flink_taskmanager_job_task_operator_numRecordsOut{job_id=\"fb86\",operator_name=\"FlatMap__FlatMap_at_ReadLakeEvents_OpenFiles_ParDo_ToReadableFile__ParMultiDo_To\",subtask_index=\"0\",} 14.0",
        "flink_taskmanager_job_task_operator_numRecordsOut{job_id=\"fb86\",operator_name=\"FlatMap__FlatMap_at_ReadLakeEvents_OpenFiles_ParDo_ToReadableFile__ParMultiDo_To\",subtask_index=\"1\",} 8.0",
        "flink_taskmanager_job_task_operator_numRecordsIn{job_id=\"fb86\",operator_name=\"FlatMap__FlatMap_at_ReadLakeEvents_OpenFiles_ParDo_ToReadableFile__ParMultiDo_To\",subtask_index=\"1\",} 99.0",
        "");
    ScrapedMetrics metrics = ScrapedMetrics.parse(flink);
    assertEquals(Map.of("0", 3659L, "1", 4319L), metrics.flinkRecords("Out", "ReadLakeEvents_ReadRows_out0"));
    assertEquals(Map.of("0", 3722L), metrics.flinkRecords("Out", "ReadLakeEvents_ReadRows"));
    assertEquals(Map.of(), metrics.flinkRecords("Out", "ReadLakeEvents_OpenFiles")); // a name cut short
    assertEquals(Map.of(), metrics.flinkRecords("In", "ReadLakeEvents_ReadRows_out0"));
  }
}
