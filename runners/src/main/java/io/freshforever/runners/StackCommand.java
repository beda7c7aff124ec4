package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.stack.LocalBigtable;
import io.freshforever.runners.stack.LocalKafka;
import io.freshforever.runners.stack.LocalStack;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the local stack in the foreground until Ctrl-C: a real Kafka broker (KRaft mode) and the",
      "Bigtable emulator, with the topic and the live-view table created."
    })
final class StackCommand implements Callable<Integer> {
  @Mixin LocalStackMixin local = new LocalStackMixin();

  @Option(names = "--partitions", description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
  int partitions = 4;

  @Option(names = "--kafkaTopic", description = "The ingest topic (default: ${DEFAULT-VALUE}).")
  String topic = EventContract.TOPIC;

  @Override
  public Integer call() throws Exception {
    try (LocalStack stack = local.start()) {
      LocalKafka kafka = stack.kafka;
      LocalBigtable bigtable = stack.bigtable;
      kafka.createTopic(topic, partitions);
      System.out.printf(
          "Kafka      %s  topic %s (%d partitions), data in %s%n",
          kafka.bootstrapServers(), topic, partitions, local.dir.resolve("kafka-data"));
      System.out.printf(
          "Bigtable   %s  emulator, project %s, instance %s, table event_counts (in memory)%n",
          bigtable.host(), EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE);
      System.out.println("Ready. Ctrl-C stops the stack.");
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }
}
