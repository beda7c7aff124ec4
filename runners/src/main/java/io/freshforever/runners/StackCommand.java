package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.stack.LocalConnect;
import io.freshforever.runners.stack.LocalFlinkCluster;
import io.freshforever.runners.stack.LocalStack;
import io.freshforever.runners.stack.StackAddresses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the local stack in the foreground until Ctrl-C, every part a process of its own, started",
      "again a few seconds after it dies (as Kubernetes would): a Kafka broker (KRaft), the Bigtable",
      "emulator, and a Kafka Connect worker (distributed mode, REST on localhost) running the lake",
      "connector, which writes every record of the topic into the lake. Pids in <dir>/stack/*.pid.",
      "--cluster is the local rehearsal of production: also a Flink session cluster (a JobManager",
      "with REST on localhost:8081, two TaskManagers with 2 slots each) and a second Connect worker",
      "(localhost:8084) sharing the lake connector's tasks; pids in <dir>/cluster/*.pid.",
      "`fresh stream --cluster` submits the live job to it."
    })
final class StackCommand implements Callable<Integer> {
  @Mixin LocalStackMixin local = new LocalStackMixin();

  @Option(names = "--cluster", description = "Also a Flink session cluster and a second Connect worker.")
  boolean cluster;

  @Option(names = "--partitions", description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
  int partitions = 4;

  @Option(names = "--kafkaTopic", description = "The ingest topic (default: ${DEFAULT-VALUE}).")
  String topic = EventContract.TOPIC;

  @Option(
      names = "--lakeFlushSeconds",
      description = "The lake connector publishes a partition's files at most this long after their first row (default: ${DEFAULT-VALUE}).")
  long lakeFlushSeconds = 10;

  @Override
  public Integer call() throws Exception {
    Path pids = local.dir.resolve(cluster ? "cluster" : "stack");
    // Ctrl-C and `kill` stop the stack here, in order (Flink and Connect before the broker they
    // use), rather than in the JVM's shutdown hooks, which would all run at once.
    CountDownLatch stop = new CountDownLatch(1);
    for (String signal : List.of("INT", "TERM")) {
      Signal.handle(new Signal(signal), received -> stop.countDown());
    }
    try (LocalStack stack = local.start(cluster ? 2 : 1, pids)) {
      stack.kafka.createTopic(topic, partitions);
      System.out.printf(
          "Kafka      %s  topic %s (%d partitions), data in %s%n",
          stack.kafka.bootstrapServers(), topic, partitions, local.dir.resolve("kafka-data"));
      System.out.printf(
          "Bigtable   %s  emulator, project %s, instance %s, table event_counts (in memory)%n",
          stack.bigtable.host(), EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE);
      List<LocalConnect> workers = stack.connectWorkers();
      stack.runLakeConnector(topic, local.lake(), Duration.ofSeconds(lakeFlushSeconds), partitions);
      System.out.printf(
          "Connect    %s  lake connector lake-%s (%d tasks) writing %s%n",
          String.join(" ", workers.stream().map(LocalConnect::restUrl).toList()), topic, partitions, local.lake());
      if (cluster) {
        LocalFlinkCluster flink = stack.flinkCluster();
        System.out.printf(
            "Flink      http://%s  JobManager, 2 TaskManagers of %d slots%n", flink.master(), LocalFlinkCluster.SLOTS_PER_TASK_MANAGER);
        new StackAddresses(stack.kafka.bootstrapServers(), stack.bigtable.host(), flink.master(), local.lake()).write(pids);
      }
      System.out.println("pids in " + pids + "/*.pid; logs in " + local.dir.toAbsolutePath());
      System.out.println(cluster
          ? "Ready. ./fresh stream --cluster submits the live job; Ctrl-C stops the stack."
          : "Ready. Ctrl-C stops the stack.");
      stop.await();
      System.out.println("stopping the stack...");
    } finally {
      StackAddresses.remove(pids);
    }
    System.out.println("stopped; data kept in " + local.dir.toAbsolutePath());
    return 0;
  }
}
