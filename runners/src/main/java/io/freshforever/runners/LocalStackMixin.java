package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the local stack keeps its data and which ports it listens on: `fresh stack` and `fresh demo`. */
final class LocalStackMixin {
  @Option(names = "--dir", description = "Where the stack keeps its data (default: ${DEFAULT-VALUE}).")
  Path dir = Path.of(EventContract.LOCAL_DIR);

  @Option(names = "--kafkaPort", description = "Kafka port (default: ${DEFAULT-VALUE}).")
  int kafkaPort = 9092;

  @Option(names = "--controllerPort", description = "Kafka KRaft controller port (default: ${DEFAULT-VALUE}).")
  int controllerPort = 9093;

  @Option(names = "--bigtablePort", description = "Bigtable emulator port (default: ${DEFAULT-VALUE}).")
  int bigtablePort = 8086;

  LocalStack start() throws Exception {
    Files.createDirectories(dir);
    return LocalStack.start(dir, kafkaPort, controllerPort, bigtablePort);
  }
}
