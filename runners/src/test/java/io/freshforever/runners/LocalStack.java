package io.freshforever.runners;

import io.freshforever.runners.stack.LocalBigtable;
import io.freshforever.runners.stack.LocalKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** One real Kafka broker and one Bigtable emulator for a test class, on free ports. */
final class LocalStack implements AutoCloseable {
  final Path dir;
  final LocalKafka kafka;
  final LocalBigtable bigtable;

  private LocalStack(Path dir, LocalKafka kafka, LocalBigtable bigtable) {
    this.dir = dir;
    this.kafka = kafka;
    this.bigtable = bigtable;
  }

  static LocalStack start() throws Exception {
    Path dir = Files.createTempDirectory("fresh-stack");
    LocalKafka kafka = LocalKafka.start(dir, freePort(), freePort());
    LocalBigtable bigtable = LocalBigtable.start(freePort());
    return new LocalStack(dir, kafka, bigtable);
  }

  static int freePort() throws IOException {
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
