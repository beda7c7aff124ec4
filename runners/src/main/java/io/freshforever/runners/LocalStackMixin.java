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
  int kafkaPort = EventContract.LOCAL_KAFKA_PORT;

  @Option(names = "--controllerPort", description = "Kafka KRaft controller port (default: ${DEFAULT-VALUE}).")
  int controllerPort = EventContract.LOCAL_KAFKA_CONTROLLER_PORT;

  @Option(names = "--bigtablePort", description = "Bigtable emulator port (default: ${DEFAULT-VALUE}).")
  int bigtablePort = EventContract.LOCAL_BIGTABLE_EMULATOR_PORT;

  LocalStack start() throws Exception {
    Files.createDirectories(dir);
    return LocalStack.start(dir, kafkaPort, controllerPort, bigtablePort);
  }
}
