package io.freshforever.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.Event;
import io.freshforever.pipelines.batch.BatchPipeline;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.lake.LakeFixture;
import io.freshforever.pipelines.lake.LakeListing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A batch load on embedded Flink, the default, says how far it got while it runs: Flink reports
 * Beam's counters only when a batch job ends, so the counts come from Flink's own operator counts
 * through its Prometheus reporter, sampled as fresh batch samples them.
 */
public class LakeReadProgressIntegrationTest {
  private static final int HOURS = 24;
  private static final int PARTITIONS = 4;
  private static final int PER_FILE = 10_000;

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void anEmbeddedFlinkLoadCountsTheLakeFilesItReadWhileItRuns() throws Exception {
    Instant day = Instant.parse("2026-11-20T00:00:00Z");
    List<Event> events = new ArrayList<>();
    for (int hour = 0; hour < HOURS; hour++) {
      for (int partition = 0; partition < PARTITIONS; partition++) {
        for (int i = 0; i < PER_FILE; i++) {
          Instant time = day.plus(Duration.standardHours(hour)).plus(i * 1000L);
          events.add(Event.builder().eventId(hour + "-" + partition + "-" + i).eventType("click").eventTime(time)
              .userId(null).propertiesJson(null).ingestTime(time).kafkaPartition(partition).kafkaOffset(events.size())
              .payload("{}").build());
        }
      }
    }
    String lake = tmp.newFolder("lake").getPath();
    LakeFixture.write(lake, events);
    List<String> args = BeamArgs.withRunnerDefaults(List.of(
        "--runner=FlinkRunner", "--from=2026-11-20", "--to=2026-11-21", "--lake=" + lake,
        "--warehouse=duckdb:" + tmp.getRoot() + "/warehouse.duckdb"),
        BeamArgs.BATCH_RUNNER);

    LakeReadProgress progress = LakeReadProgress.of(args);
    BatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs(progress.args().toArray(new String[0])).withValidation().as(BatchPipelineOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    BatchPipeline.build(pipeline, options);
    LakeListing listing = BatchPipeline.plan(options).listing();
    assertEquals(HOURS * PARTITIONS, listing.files());
    assertEquals("starting", progress.soFar(listing));

    List<String> said = new ArrayList<>();
    ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor();
    sampling.scheduleAtFixedRate(() -> {
      progress.sample();
      synchronized (said) {
        said.add(progress.soFar(listing));
      }
    }, 20, 20, TimeUnit.MILLISECONDS); // the checks of 96 files take a fraction of a second
    try {
      pipeline.run().waitUntilFinish(); // attached: blocks to the end, as fresh batch runs it
    } finally {
      sampling.shutdownNow();
      sampling.awaitTermination(10, TimeUnit.SECONDS);
    }

    // Seen while the job ran, never more than the lake holds.
    assertTrue(said.toString(), progress.files() > 0 && progress.files() <= listing.files());
    assertTrue(said.toString(), said.contains(progress.soFar(listing)));
    // The load verifies files and the warehouse reads their rows: files are what it can count.
    assertTrue(said.toString(), progress.soFar(listing).matches("[\\d,]+ of 96 lake files read"));
    // How many were seen depends on how long the checks ran between samples: a finished subtask's
    // count vanishes from the reporter.
  }
}
