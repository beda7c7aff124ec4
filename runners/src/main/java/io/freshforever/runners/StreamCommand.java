package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.StreamingPipelineOptions;
import io.freshforever.runners.flink.FlinkRest;
import io.freshforever.runners.flink.RetainedCheckpoints;
import io.freshforever.runners.metrics.MetricsEndpoint;
import io.freshforever.runners.stack.BeamFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
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
      "Runs the live job (Kafka -> Bigtable live counts); the lake is written by the lake connector",
      "that `fresh stack` runs. Here (DirectRunner, embedded Flink) it runs until Ctrl-C, safe to kill",
      "at any moment: start it again with the same command and nothing is lost (docs/OPERATIONS.md,",
      "section 4); Kafka, the lake and Bigtable default to the local stack's. Takes any Beam option",
      "too: --runner DirectRunner (default) or FlinkRunner [--parallelism N]. On Flink it resumes",
      "from the newest retained checkpoint of the same pipeline; --fromScratch ignores them.",
      "--cluster submits it, detached, to the cluster of `fresh stack --cluster`, prints the job id",
      "and returns; so does --flinkMaster=host:port (no local defaults there). Nothing but `fresh",
      "cancel` cancels a cluster job. --metricsPort N serves the metrics of a job run here for",
      "Prometheus at http://localhost:N/metrics (docs/OPERATIONS.md, section 5)."
    })
final class StreamCommand implements Callable<Integer>, PipelineFlags.Command {
  @Spec CommandSpec spec;

  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Option(
      names = "--metricsPort",
      description = "Serve the job's metrics for Prometheus on this port (a job run here; default: none).")
  Integer metricsPort;

  @Option(names = "--cluster", description = "Submit to the local cluster of `fresh stack --cluster`, detached.")
  boolean cluster;

  @Option(names = "--dir", description = "The local stack's folder, for --cluster (default: ${DEFAULT-VALUE}).")
  Path dir = Path.of(EventContract.LOCAL_DIR);

  @Override
  public Class<StreamingPipelineOptions> optionsType() {
    return StreamingPipelineOptions.class;
  }

  @Override
  public Integer call() throws Exception {
    RetainedCheckpoints.Start start;
    List<String> startArgs;
    StreamingPipelineOptions options;
    try {
      List<String> args = cluster ? BeamArgs.onLocalCluster(PipelineFlags.args(spec, beamOptions), dir) : inProcessOrRemote();
      start = RetainedCheckpoints.resumeNewest(args);
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
    boolean here = BeamArgs.runsInThisProcess(startArgs);
    if (here) {
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
    return here ? runHere(job, options, startArgs) : submitted(job, options, startArgs);
  }

  /** The command's own defaults for a job run here, none for a remote cluster or Dataflow. */
  private List<String> inProcessOrRemote() {
    List<String> args = PipelineFlags.args(spec, beamOptions);
    // The command watches the job itself, so neither runner may block in run(); a remote Flink
    // job is submitted detached: the command returns, and the job runs on.
    args.add(args.stream().anyMatch(a -> a.startsWith("--runner=Flink")) ? "--attachedMode=false" : "--blockOnRun=false");
    return BeamArgs.withLocalStack(BeamArgs.forStreaming(args), StreamingPipelineOptions.class);
  }

  private int runHere(LiveJob job, StreamingPipelineOptions options, List<String> startArgs) throws Exception {
    MetricsEndpoint metrics = metricsPort == null ? null : MetricsEndpoint.serve(startArgs, metricsPort, job.pipeline());
    Runtime.getRuntime().addShutdownHook(new Thread(job::close, "fresh-stream-stop"));
    System.out.printf(
        "fresh stream: live job on %s; the lake is the lake connector's; Ctrl-C stops it;%s logs in %s%n",
        options.getRunner().getSimpleName(),
        metrics == null ? "" : " metrics at " + metrics.uri() + ";",
        CommandLogs.where());
    return watch(job);
  }

  /** A cluster or Dataflow job: its id, and the command returns; the job runs on whatever happens here. */
  private static int submitted(LiveJob job, StreamingPipelineOptions options, List<String> startArgs)
      throws InterruptedException {
    String master = BeamFlags.value(startArgs, "--flinkMaster");
    Optional<String> id = master == null ? Optional.empty() : new FlinkRest(master).idOf(options.getJobName());
    System.out.printf(
        "fresh stream: submitted %s (%s)%s; it runs until cancelled (fresh cancel%s)%n",
        id.map(i -> "Flink job " + i).orElse("job " + options.getJobName()),
        stateOf(job.pipeline()),
        master == null ? "" : " on http://" + master,
        master == null ? " does not reach Dataflow: gcloud dataflow jobs cancel" : " --flinkMaster " + master);
    return 0;
  }

  private static String stateOf(PipelineResult pipeline) {
    try {
      return pipeline.getState().toString();
    } catch (RuntimeException unknown) {
      return "state unknown";
    }
  }

  /** The failure an ended pipeline reports (the DirectRunner's, thrown by waitUntilFinish), if any. */
  private static String whyEnded(PipelineResult pipeline) {
    try {
      pipeline.waitUntilFinish(Duration.millis(1));
      return "";
    } catch (RuntimeException failure) {
      return ": " + Failures.rootMessage(failure);
    }
  }

  /** Until the pipeline ends, which is a failure of the command unless it is DONE. */
  private static int watch(LiveJob job) throws InterruptedException {
    while (true) {
      PipelineResult.State state;
      try {
        state = job.pipeline().getState();
      } catch (RuntimeException runnerGone) {
        return 1; // the process is shutting down: the shutdown hook stops the job
      }
      if (state.isTerminal()) {
        System.err.println("fresh stream: the live pipeline ended: " + state + whyEnded(job.pipeline()));
        return state == PipelineResult.State.DONE ? 0 : 1;
      }
      Thread.sleep(1000);
    }
  }
}
