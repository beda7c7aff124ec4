package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.batch.BatchPipeline;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.dashboard.Dashboard;
import io.freshforever.runners.dashboard.PipelineHealth;
import io.freshforever.runners.flink.RetainedCheckpoints;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.metrics.MetricsEndpoint;
import io.freshforever.runners.metrics.ScrapedMetrics;
import io.freshforever.runners.stack.Folders;
import io.freshforever.runners.stack.LocalStack;
import io.freshforever.runners.stack.StreamingJobs;
import io.freshforever.transforms.FreshMetrics;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.metrics.MetricResults;
import org.joda.time.Duration;
import org.joda.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

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

  @Option(names = "--clean", description = "Delete --dir first.")
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

  /** Lake files are published this often, so that a warehouse load sees recent events. */
  private static final int LAKE_FLUSH_SECONDS = 10;

  private volatile String lastBatch = "not yet";

  @Override
  public Integer call() throws Exception {
    if (!runner.equals("FlinkRunner") && !runner.equals("DirectRunner")) {
      System.err.println("fresh demo: --runner must be FlinkRunner or DirectRunner");
      return 2;
    }
    try {
      MetricsEndpoint.requireFree(metricsPort); // before the stack starts, not minutes into it
    } catch (IllegalArgumentException e) {
      System.err.println("fresh demo: " + e.getMessage());
      return 2;
    }
    if (clean) {
      Folders.deleteRecursively(local.dir);
    }
    // Ctrl-C and `kill` start an orderly stop here rather than the JVM's shutdown: shutdown hooks
    // run all at once, and the broker's and the emulator's would stop them while the pipeline
    // still flushes its last lake files.
    CountDownLatch stop = new CountDownLatch(1);
    for (String signal : List.of("INT", "TERM")) {
      Signal.handle(new Signal(signal), received -> stop.countDown());
    }
    try (LocalStack stack = local.start()) {
      stack.kafka.createTopic(EventContract.TOPIC, 4);
      try (LiveCounts live =
              LiveCounts.connect(
                  EventContract.LOCAL_BIGTABLE_PROJECT,
                  EventContract.LOCAL_BIGTABLE_INSTANCE,
                  LiveRow.TABLE,
                  stack.bigtable.host());
          PipelineHealth pipelineHealth = PipelineHealth.scraping(MetricsEndpoint.uri(metricsPort));
          Dashboard dashboard =
              Dashboard.start(
                  "localhost", dashboardPort, live, EventContract.DEFAULT_ALLOWED_LATENESS, Dashboard.DEFAULT_STALE_AFTER,
                  pipelineHealth)) {
        List<String> streaming = MetricsEndpoint.configure(streamingArgs(stack), metricsPort);
        LiveJob job = StreamingJobs.start(stack, streaming);
        MetricsEndpoint metrics = MetricsEndpoint.serve(streaming, metricsPort, job.pipeline());
        EventGenerator generator =
            new EventGenerator(
                EventGenerator.Settings.defaultMix(stack.kafka.bootstrapServers(), EventContract.TOPIC)
                    .withEventTypes(List.of("page_view", "click", "search", "add_to_cart", "purchase", "signup"))
                    .withBadRate(0.002)
                    .withWarmUp(Duration.standardSeconds(30))
                    .withSeed(System.nanoTime()));
        Thread producing =
            new Thread(
                () -> {
                  try {
                    generator.produce(Long.MAX_VALUE, rate, Long.MAX_VALUE, () -> {});
                  } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                  } catch (Exception e) {
                    System.err.println("the event generator stopped: " + e);
                  }
                },
                "demo-generator");
        producing.start();
        ScheduledExecutorService every = Executors.newScheduledThreadPool(2);
        every.scheduleWithFixedDelay(
            () -> status(generator.expectations(), metrics, live), statusEverySeconds, statusEverySeconds, TimeUnit.SECONDS);
        every.scheduleWithFixedDelay(this::loadWarehouse, batchEveryMinutes, batchEveryMinutes, TimeUnit.MINUTES);
        System.out.printf(
            "%nFresh & Forever demo is running (%s, %,.0f events/s).%n"
                + "  dashboard   http://localhost:%d%n"
                + "  metrics     %s%n"
                + "  warehouse   ./fresh sql \"select event_type, count(*) from events group by 1\"   (loaded every %d min)%n"
                + "  live view   ./fresh counts --type click%n"
                + "  data        %s (kept; --clean starts afresh)%n"
                + "  logs        %s%n"
                + "Ctrl-C stops everything.%n%n",
            runner, rate, dashboard.port(), metrics.uri(), batchEveryMinutes, local.dir.toAbsolutePath(), CommandLogs.where());

        stop.await();
        System.out.println("\nstopping: generator, streaming pipeline, last warehouse load, dashboard, stack...");
        producing.interrupt();
        producing.join(10_000);
        generator.close();
        every.shutdown(); // a warehouse load under way finishes rather than fail halfway
        every.awaitTermination(2, TimeUnit.MINUTES);
        job.close(); // the lake writer publishes what it holds before it stops
        metrics.close();
        loadWarehouse();
        System.out.println("last warehouse load: " + lastBatch);
      }
    }
    System.out.println("stopped; data kept in " + local.dir.toAbsolutePath());
    return 0;
  }

  private List<String> streamingArgs(LocalStack stack) {
    List<String> args = new ArrayList<>();
    args.add("--runner=" + runner);
    args.add("--lake=" + local.dir.resolve("lake"));
    args.add("--lakeFlushSeconds=" + LAKE_FLUSH_SECONDS);
    if (runner.equals("FlinkRunner")) {
      args.addAll(
          List.of(
              "--attachedMode=false",
              "--flinkMaster=[local]",
              "--parallelism=2",
              "--checkpointingInterval=10000",
              "--stateBackendStoragePath=" + local.dir.resolve("flink-checkpoints").toAbsolutePath().toUri()));
    } else {
      args.add("--blockOnRun=false");
    }
    RetainedCheckpoints.Start start = RetainedCheckpoints.resumeNewest(StreamingJobs.against(stack, BeamArgs.forStreaming(args)));
    if (!start.message().isEmpty()) {
      System.out.println(start.message());
    }
    return start.args();
  }

  /** Loads yesterday and today (UTC) of the lake into the warehouse: late events land in either. */
  private synchronized void loadWarehouse() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<String> args =
        List.of(
            "--from=" + today.minusDays(1),
            "--to=" + today.plusDays(1),
            "--lake=" + local.dir.resolve("lake"),
            "--warehouse=duckdb:" + local.dir.resolve("warehouse.duckdb"),
            "--stagingDir=" + local.dir.resolve("staging"));
    long started = System.currentTimeMillis();
    int exit =
        BeamRun.run(
            "batch", args, BeamArgs.BATCH_RUNNER, BatchPipelineOptions.class, BatchPipeline::build,
            null, // the status line says how the load went
            (options, metrics) -> lastBatch = summary(metrics, started));
    if (exit != 0) {
      lastBatch = "last load failed (exit " + exit + ")";
    }
  }

  private static String summary(MetricResults metrics, long started) {
    return String.format(
        "%,d events at %s (%.0f s)",
        FreshMetrics.counter(metrics, io.freshforever.pipelines.warehouse.LoadDuckDb.EVENTS_LOADED),
        Instant.now().toString().substring(11, 19),
        (System.currentTimeMillis() - started) / 1000.0);
  }

  private void status(Expectations sent, MetricsEndpoint metrics, LiveCounts live) {
    String pipeline = pipelineMetrics(metrics);
    String lag;
    try {
      Instant now = Instant.now();
      lag =
          live.newestEventSince(now.minus(Duration.standardMinutes(2)))
              .map(newest -> String.format("%.1f s", (now.getMillis() - newest.getMillis()) / 1000.0))
              .orElse("no counts yet");
    } catch (RuntimeException e) {
      lag = "unknown (" + e.getMessage() + ")";
    }
    System.out.printf(
        "[%s] produced %,d (%,d retries, %,d too late, %,d bad) | %s | live-view lag %s | warehouse %s%n",
        Instant.now().toString().substring(11, 19), sent.produced(), sent.duplicates(), sent.tooLate(),
        sent.deadLetters().values().stream().mapToLong(Long::longValue).sum(), pipeline, lag, lastBatch);
  }

  /** From the metrics endpoint, as Prometheus reads them: the same on both runners. */
  private static String pipelineMetrics(MetricsEndpoint endpoint) {
    try {
      PipelineHealth.Totals totals = PipelineHealth.Totals.of(ScrapedMetrics.scrape(endpoint.uri()));
      return String.format(
          "read %,d, duplicates dropped %,d, late updates %,d, dead letters %,d",
          totals.eventsIn(), totals.duplicatesDropped(), totals.lateUpdates(), totals.deadLetters());
    } catch (IOException e) {
      return "pipeline metrics unavailable: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "pipeline metrics unavailable: interrupted";
    }
  }
}
