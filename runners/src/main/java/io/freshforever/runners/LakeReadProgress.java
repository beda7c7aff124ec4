package io.freshforever.runners;

import io.freshforever.pipelines.lake.LakeListing;
import io.freshforever.pipelines.lake.ReadLakeEvents;
import io.freshforever.runners.metrics.MetricsEndpoint;
import io.freshforever.runners.metrics.ScrapedMetrics;
import io.freshforever.runners.stack.BeamFlags;
import io.freshforever.runners.stack.FreePorts;
import io.freshforever.transforms.FreshMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How far a bounded run over the lake got, read live from what its runner has: the DirectRunner's
 * Beam metrics (it runs non-blocking for them); on embedded Flink, whose batch jobs report Beam's
 * counters only when they end, Flink's own record counts of the {@code ReadRows} operators of
 * {@code ReadLakeEvents} (files and rows) or {@code VerifyLakeFiles} (files: its rows are counted
 * by the warehouse), from its Prometheus reporter on a port of this run's. A finished Flink subtask's
 * counts vanish from the reporter, so each subtask's largest seen is kept: the last records of a
 * subtask between two samples are not, so Flink's figures can end a little short (the summary
 * line after the run is exact).
 */
final class LakeReadProgress {
  /** The steps the batch and the replay pipeline read the lake with. */
  private static final List<String> STEPS = List.of("ReadLakeEvents", "VerifyLakeFiles");
  /** The one whose main output is the rows read. */
  private static final String ROWS_STEP = "ReadLakeEvents";

  private final List<String> args;
  private final @Nullable URI flinkReporter;
  private volatile @Nullable PipelineResult job;
  private final Map<String, Long> filesBySubtask = new HashMap<>();
  private final Map<String, Long> rowsBySubtask = new HashMap<>();
  private long files;
  private long rows;
  /** True while only files are counted: a run that verifies files, on Flink. */
  private boolean rowsUnknown;
  /** What to say while there are no counts; null once there are. */
  private @Nullable String state;

  private LakeReadProgress(List<String> args, @Nullable URI flinkReporter, String state) {
    this.args = args;
    this.flinkReporter = flinkReporter;
    this.state = state;
  }

  /**
   * For a run with {@code args}: live counts where the job runs in this process ({@link
   * BeamArgs#runsInThisProcess}), none for a cluster's.
   */
  static LakeReadProgress of(List<String> args) {
    if (!BeamArgs.runsInThisProcess(args)) {
      return new LakeReadProgress(args, null, "running (its counters arrive when it ends)");
    }
    if ("DirectRunner".equals(BeamFlags.runner(args))) {
      List<String> all = new ArrayList<>(args);
      BeamFlags.addUnlessGiven(all, "--blockOnRun", "false");
      return new LakeReadProgress(all, null, "starting");
    }
    int port;
    try {
      port = FreePorts.next();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for Flink's metrics reporter", e);
    }
    return new LakeReadProgress(MetricsEndpoint.configure(args, port), MetricsEndpoint.uri(port), "starting");
  }

  /** The run's arguments, with what the live counts need. */
  List<String> args() {
    return args;
  }

  /** The job, once {@code run()} returned it (a blocking runner returns it at the end). */
  void running(PipelineResult job) {
    this.job = job;
  }

  /** Reads the counts now: often, so that a Flink operator's last counts are seen before they vanish. */
  synchronized void sample() {
    PipelineResult running = job;
    if (running != null) {
      files = FreshMetrics.counter(running.metrics(), ReadLakeEvents.FILES_READ);
      rows = FreshMetrics.counter(running.metrics(), ReadLakeEvents.ROWS_READ);
      state = null;
    } else if (flinkReporter != null) {
      try {
        ScrapedMetrics flink = ScrapedMetrics.scrape(flinkReporter);
        // Files into the reading step, rows out of its main output.
        for (String step : STEPS) {
          flink.flinkRecords("In", step + "_ReadRows").forEach((subtask, n) -> filesBySubtask.merge(step + subtask, n, Math::max));
        }
        flink.flinkRecords("Out", ROWS_STEP + "_ReadRows_out0").forEach((subtask, n) -> rowsBySubtask.merge(subtask, n, Math::max));
        rowsUnknown = rowsBySubtask.isEmpty();
        files = filesBySubtask.values().stream().mapToLong(Long::longValue).sum();
        rows = rowsBySubtask.values().stream().mapToLong(Long::longValue).sum();
        state = filesBySubtask.isEmpty() ? "starting" : null;
      } catch (IOException notUpOrGone) {
        // Not up yet (the line keeps saying so), or the job is ending: the counts seen stay.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * "12 of 33 lake files, 7,978 rows read" (or "12 of 33 lake files read") as last sampled, or why
   * there is nothing to say yet.
   */
  synchronized String soFar(LakeListing lake) {
    if (state != null) {
      return state;
    }
    return rowsUnknown
        ? String.format("%,d of %,d lake files read", files, lake.files())
        : String.format("%,d of %,d lake files, %,d rows read", files, lake.files(), rows);
  }

  /** The rows read as last sampled. */
  synchronized long rows() {
    return rows;
  }

  /** The lake files read as last sampled. */
  synchronized long files() {
    return files;
  }
}
