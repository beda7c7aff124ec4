package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.batch.BatchPipeline;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.pipelines.warehouse.LoadWarehouse;
import io.freshforever.runners.dashboard.Dashboard;
import io.freshforever.runners.dashboard.PipelineHealth;
import io.freshforever.runners.flink.RetainedCheckpoints;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.metrics.MetricsEndpoint;
import io.freshforever.runners.stack.Folders;
import io.freshforever.runners.stack.LocalStack;
import io.freshforever.runners.stack.StreamingJobs;
import io.freshforever.transforms.FreshMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.metrics.MetricResults;
import org.joda.time.Duration;
import org.joda.time.Instant;
import sun.misc.Signal;

/**
 * The demo {@code fresh demo} starts: the local stack with the lake connector, the dashboard, the
 * live job with its metrics endpoint, the generator, the status line and the warehouse loads, until
 * a signal stops them in order.
 */
final class LocalDemo {
  /** The lake connector publishes this often, so that a warehouse load sees recent events. */
  private static final java.time.Duration LAKE_FLUSH = java.time.Duration.ofSeconds(10);
  private static final int PARTITIONS = 4;

  private final DemoCommand flags;
  private volatile String lastBatch = "not yet";

  /** The demo {@code flags} describe, already checked. */
  LocalDemo(DemoCommand flags) {
    this.flags = flags;
  }

  /** Runs until SIGINT or SIGTERM; 0 once everything has stopped. */
  int run() throws Exception {
    if (flags.clean) {
      Folders.deleteRecursively(flags.local.dir);
    }
    // Ctrl-C and `kill` start an orderly stop here rather than the JVM's shutdown: shutdown hooks
    // run all at once, and the broker's and the emulator's would stop them while the lake connector
    // still publishes its last files.
    CountDownLatch stop = new CountDownLatch(1);
    for (String signal : List.of("INT", "TERM")) {
      Signal.handle(new Signal(signal), received -> stop.countDown());
    }
    try (LocalStack stack = flags.local.start(1, flags.local.dir.resolve("stack"))) {
      stack.kafka.createTopic(EventContract.TOPIC, PARTITIONS);
      stack.runLakeConnector(EventContract.TOPIC, flags.local.lake(), LAKE_FLUSH, PARTITIONS);
      try (LiveCounts live =
              LiveCounts.connect(
                  EventContract.LOCAL_BIGTABLE_PROJECT,
                  EventContract.LOCAL_BIGTABLE_INSTANCE,
                  LiveRow.TABLE,
                  stack.bigtable.host());
          PipelineHealth pipelineHealth = PipelineHealth.scraping(MetricsEndpoint.uri(flags.metricsPort));
          Dashboard dashboard =
              Dashboard.start(
                  "localhost", flags.dashboardPort, live, EventContract.DEFAULT_ALLOWED_LATENESS, Dashboard.DEFAULT_STALE_AFTER,
                  pipelineHealth)) {
        List<String> streaming = MetricsEndpoint.configure(streamingArgs(stack), flags.metricsPort);
        LiveJob job = StreamingJobs.start(stack, streaming);
        MetricsEndpoint metrics = MetricsEndpoint.serve(streaming, flags.metricsPort, job.pipeline());
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
                    generator.produce(Long.MAX_VALUE, flags.rate, Long.MAX_VALUE, () -> {});
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
            () -> System.out.println(DemoStatusLine.of(generator.expectations(), metrics, live, lastBatch)), flags.statusEverySeconds, flags.statusEverySeconds, TimeUnit.SECONDS);
        every.scheduleWithFixedDelay(this::loadWarehouse, flags.batchEveryMinutes, flags.batchEveryMinutes, TimeUnit.MINUTES);
        System.out.printf(
            "%nFresh & Forever demo is running (%s, %,.0f events/s).%n"
                + "  dashboard   http://localhost:%d%n"
                + "  metrics     %s%n"
                + "  warehouse   ./fresh sql \"select event_type, count(*) from events group by 1\"   (loaded every %d min)%n"
                + "  live view   ./fresh counts --type click%n"
                + "  data        %s (kept; --clean starts afresh)%n"
                + "  logs        %s%n"
                + "Ctrl-C stops everything.%n%n",
            flags.runner, flags.rate, dashboard.port(), metrics.uri(), flags.batchEveryMinutes, flags.local.dir.toAbsolutePath(), CommandLogs.where());

        stop.await();
        System.out.println("\nstopping: generator, streaming pipeline, last warehouse load, dashboard, stack...");
        producing.interrupt();
        producing.join(10_000);
        generator.close();
        every.shutdown(); // a warehouse load under way finishes rather than fail halfway
        every.awaitTermination(2, TimeUnit.MINUTES);
        job.close();
        metrics.close();
        // The last load includes the last events: the lake connector publishes its quiet partitions.
        stack.awaitLakeCaughtUp(EventContract.TOPIC, LAKE_FLUSH.multipliedBy(3));
        loadWarehouse();
        System.out.println("last warehouse load: " + lastBatch);
      }
    }
    System.out.println("stopped; data kept in " + flags.local.dir.toAbsolutePath());
    return 0;
  }

  private List<String> streamingArgs(LocalStack stack) {
    List<String> args = new ArrayList<>();
    args.add("--runner=" + flags.runner);
    args.add("--lake=" + flags.local.lake());
    if (flags.runner.equals("FlinkRunner")) {
      args.addAll(
          List.of(
              "--attachedMode=false",
              "--flinkMaster=[local]",
              "--parallelism=2",
              "--checkpointingInterval=10000",
              "--stateBackendStoragePath=" + flags.local.dir.resolve("flink-checkpoints").toAbsolutePath().toUri()));
    } else {
      args.add("--blockOnRun=false");
    }
    RetainedCheckpoints.Start start = RetainedCheckpoints.resumeNewest(StreamingJobs.against(stack, BeamArgs.forStreaming(args)));
    if (!start.message().isEmpty()) {
      System.out.println(start.message());
    }
    return start.args();
  }

  /** Loads the lake days whose files changed since their last load: late events land, however late. */
  private synchronized void loadWarehouse() {
    List<String> args =
        List.of(
            "--lake=" + flags.local.lake(),
            "--warehouse=duckdb:" + flags.local.dir.resolve("warehouse.duckdb"));
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
        FreshMetrics.counter(metrics, LoadWarehouse.EVENTS_LOADED),
        Instant.now().toString().substring(11, 19),
        (System.currentTimeMillis() - started) / 1000.0);
  }
}
