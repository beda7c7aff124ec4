package io.freshforever.runners;

import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.StreamingPipelineOptions;
import io.freshforever.pipelines.lake.LakeWriter;
import io.freshforever.runners.flink.RetainedCheckpoints;
import io.freshforever.runners.metrics.MetricsEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.PipelineResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    modelTransformer = PipelineFlags.class,
    description = {
      "Runs the streaming process until Ctrl-C: the live path (Kafka -> Bigtable live counts) and",
      "the lake writer (Kafka -> Parquet lake, its own consumer group). Safe to kill at any moment:",
      "start it again with the same command and nothing is lost (docs/OPERATIONS.md, section 4).",
      "Run here (DirectRunner, embedded Flink), Kafka, the lake and Bigtable default to the local",
      "stack's. Takes any Beam option too: --runner DirectRunner (default) or FlinkRunner",
      "[--parallelism N]. On Flink it resumes from the newest retained checkpoint of the same",
      "pipeline; --fromScratch ignores them. --metricsPort N serves the job's metrics for",
      "Prometheus at http://localhost:N/metrics (docs/OPERATIONS.md, section 5)."
    })
final class StreamCommand implements Callable<Integer>, PipelineFlags.Command {
  @Spec CommandSpec spec;

  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Option(
      names = "--metricsPort",
      description = "Serve the job's metrics for Prometheus on this port (a job run here; default: none).")
  Integer metricsPort;

  @Override
  public Class<StreamingPipelineOptions> optionsType() {
    return StreamingPipelineOptions.class;
  }

  @Override
  public Integer call() throws Exception {
    List<String> args = PipelineFlags.args(spec, beamOptions);
    // The command watches both halves itself, so neither runner may block in run().
    args.add(args.stream().anyMatch(a -> a.startsWith("--runner=Flink")) ? "--attachedMode=false" : "--blockOnRun=false");
    RetainedCheckpoints.Start start;
    List<String> startArgs;
    StreamingPipelineOptions options;
    try {
      start = RetainedCheckpoints.resumeNewest(
          BeamArgs.withLocalStack(BeamArgs.forStreaming(args), StreamingPipelineOptions.class));
      startArgs = start.args();
      if (metricsPort != null) {
        if (!BeamArgs.runsInThisProcess(startArgs)) {
          throw new IllegalArgumentException(
              "--metricsPort serves a job run here; a cluster's jobs are scraped where the cluster serves"
                  + " them (docs/OPERATIONS.md, section 5)");
        }
        startArgs = MetricsEndpoint.configure(startArgs, metricsPort);
      }
      options = Launch.options(StreamingPipelineOptions.class, startArgs);
    } catch (IllegalArgumentException e) {
      System.err.println("fresh stream: " + e.getMessage());
      return 2;
    }
    if (!start.message().isEmpty()) {
      System.out.println(start.message());
    }
    if (BeamArgs.runsInThisProcess(startArgs)) {
      Preflight.check(options, false);
    }
    LiveJob job;
    try {
      job = LiveJob.start(options);
    } catch (RuntimeException e) {
      System.err.println("fresh stream: could not start: " + Failures.rootMessage(e));
      return 1;
    }
    if (!job.rebuild().isEmpty()) {
      // Tells the operator why the consumer group's lag jumps back by minutes after a restart.
      System.out.println("fresh stream: " + job.rebuild());
    }
    MetricsEndpoint metrics = metricsPort == null ? null : MetricsEndpoint.serve(startArgs, metricsPort, job.pipeline());
    Thread stopOnExit = new Thread(job::close, "fresh-stream-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    System.out.printf(
        "fresh stream: live path on %s, lake writer %s; Ctrl-C stops both;%s logs in %s%n",
        options.getRunner().getSimpleName(),
        options.getWriteLake() ? "into " + options.getLake() : "not here (--writeLake=false)",
        metrics == null ? "" : " metrics at " + metrics.uri() + ";",
        CommandLogs.where());
    return watch(job);
  }

  /** Until the pipeline ends or the lake writer stops by itself; either is a failure of the command. */
  private static int watch(LiveJob job) throws InterruptedException {
    while (true) {
      LakeWriter lake = job.lakeWriter();
      if (lake != null && lake.failure() != null) {
        System.err.println("fresh stream: the lake writer stopped: " + Failures.rootMessage(lake.failure()));
        return 1;
      }
      PipelineResult.State state;
      try {
        state = job.pipeline().getState();
      } catch (RuntimeException runnerGone) {
        return 1; // the process is shutting down: the shutdown hook stops both
      }
      if (state.isTerminal()) {
        System.err.println("fresh stream: the live pipeline ended: " + state);
        return state == PipelineResult.State.DONE ? 0 : 1;
      }
      Thread.sleep(1000);
    }
  }
}
