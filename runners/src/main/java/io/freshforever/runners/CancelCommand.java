package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.flink.FlinkRest;
import io.freshforever.runners.stack.StackAddresses;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancels a job on a Flink cluster: the one explicit way to stop what `fresh stream --cluster`",
      "or `fresh stream --flinkMaster=...` submitted (no launcher exit, Ctrl-C or lost connection",
      "does). Its retained checkpoints stay: the next `fresh stream` resumes from the newest.",
      "Without --jobId it cancels the only job running, or lists them."
    })
final class CancelCommand implements Callable<Integer> {
  static final class Where {
    @Option(names = "--cluster", description = "The cluster of `fresh stack --cluster`.")
    boolean cluster;

    @Option(names = "--flinkMaster", description = "host:port of a Flink cluster's REST API.")
    String flinkMaster;
  }

  @ArgGroup(multiplicity = "1")
  Where where;

  @Option(names = "--dir", description = "The local stack's folder, for --cluster (default: ${DEFAULT-VALUE}).")
  Path dir = Path.of(EventContract.LOCAL_DIR);

  @Option(names = "--jobId", description = "The Flink job to cancel (default: the only one running).")
  String jobId;

  @Override
  public Integer call() throws Exception {
    String master;
    try {
      master = where.cluster ? StackAddresses.read(dir.resolve("cluster")).flinkMaster() : where.flinkMaster;
    } catch (IllegalArgumentException e) {
      System.err.println("fresh cancel: " + e.getMessage());
      return 2;
    }
    FlinkRest flink = new FlinkRest(master);
    if (flink.get("/overview").isEmpty()) {
      System.err.println("fresh cancel: Flink at " + master + " does not answer");
      return 2;
    }
    String id = jobId;
    if (id == null) {
      List<FlinkRest.Job> active = flink.activeJobs();
      if (active.size() != 1) {
        System.err.println("fresh cancel: " + active.size() + " jobs running on " + master + "; name one with --jobId:");
        active.forEach(j -> System.err.println("  " + j.id() + "  " + j.state() + "  " + j.name()));
        return 2;
      }
      id = active.get(0).id();
    }
    flink.cancel(id);
    System.out.println("fresh cancel: cancelled Flink job " + id + " on " + master
        + "; its retained checkpoints stay for the next fresh stream to resume from");
    return 0;
  }
}
