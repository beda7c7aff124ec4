package io.freshforever.runners.stack;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** A Kafka broker and a Bigtable emulator started together, closed together. */
public final class LocalStack implements AutoCloseable {
  public final LocalKafka kafka;
  public final LocalBigtable bigtable;

  private LocalStack(LocalKafka kafka, LocalBigtable bigtable) {
    this.kafka = kafka;
    this.bigtable = bigtable;
  }

  public static LocalStack start(Path dir, int kafkaPort, int controllerPort, int bigtablePort)
      throws Exception {
    LocalKafka kafka = LocalKafka.start(dir, kafkaPort, controllerPort);
    try {
      return new LocalStack(kafka, LocalBigtable.start(bigtablePort));
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
  }

  /** On free ports: for tests and benchmarks that must not collide with a running stack. */
  public static LocalStack startOnFreePorts(Path dir) throws Exception {
    return start(dir, freePort(), freePort(), freePort());
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    kafka.close();
    bigtable.close();
  }
}
