package io.freshforever.runners;

import io.freshforever.runners.metrics.MetricsEndpoint;
import io.freshforever.runners.stack.Folders;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The whole product on this machine until Ctrl-C: Kafka and the Bigtable emulator, realistic",
      "traffic (duplicates, late, too-late and bad events), the streaming pipeline, the live",
      "dashboard, and the batch pipeline into the DuckDB warehouse every few minutes and on exit.",
      "Data stays under --dir for a second look; --clean starts afresh."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin LocalStackMixin local = new LocalStackMixin();

  @Option(names = "--clean", description = "Delete --dir first (only a folder the local stack made).")
  boolean clean;

  @Option(names = "--rate", description = "Events per second (default: ${DEFAULT-VALUE}).")
  double rate = 2_000;

  @Option(
      names = "--runner",
      description = {
        "Streaming runner: FlinkRunner (default: the live view lags about a second) or",
        "DirectRunner (keeps up too, lagging several seconds once its dedup state fills)."
      })
  String runner = "FlinkRunner";

  @Option(names = "--dashboardPort", description = "(default: ${DEFAULT-VALUE})")
  int dashboardPort = 8080;

  @Option(names = "--metricsPort", description = "The pipeline's metrics for Prometheus (default: ${DEFAULT-VALUE}).")
  int metricsPort = 9249;

  @Option(names = "--batchEveryMinutes", description = "Warehouse load interval (default: ${DEFAULT-VALUE}).")
  int batchEveryMinutes = 3;

  @Option(names = "--statusEverySeconds", description = "Status line interval (default: ${DEFAULT-VALUE}).")
  int statusEverySeconds = 5;

  @Override
  public Integer call() throws Exception {
    if (!runner.equals("FlinkRunner") && !runner.equals("DirectRunner")) {
      System.err.println("fresh demo: --runner must be FlinkRunner or DirectRunner");
      return 2;
    }
    try {
      MetricsEndpoint.requireFree(metricsPort); // before the stack starts, not minutes into it
      if (clean) {
        Folders.requireStackData(local.dir);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("fresh demo: " + e.getMessage());
      return 2;
    }
    return new LocalDemo(this).run();
  }
}
