package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.stack.Folders;
import io.freshforever.runners.stack.LocalStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @Option(
      names = "--connectPort",
      description = "REST port of the Kafka Connect worker; a second worker takes the next one (default: ${DEFAULT-VALUE}).")
  int connectPort = EventContract.LOCAL_CONNECT_PORT;

  @Option(names = "--flinkPort", description = "REST port of the Flink cluster's JobManager (default: ${DEFAULT-VALUE}).")
  int flinkPort = EventContract.LOCAL_FLINK_REST_PORT;

  /** The lake the stack's lake connector writes. */
  Path lake() {
    return dir.resolve("lake");
  }

  /** Starts the broker and the emulator with {@code connectWorkers} Connect workers to come; pid files in {@code pidDir}. */
  LocalStack start(int connectWorkers, Path pidDir) throws Exception {
    Folders.markStackData(dir);
    List<Integer> connect = new ArrayList<>();
    for (int i = 0; i < connectWorkers; i++) {
      connect.add(connectPort + i);
    }
    return LocalStack.start(
        dir, new LocalStack.Ports(kafkaPort, controllerPort, bigtablePort, connect, flinkPort), pidDir, System.out::println);
  }
}
