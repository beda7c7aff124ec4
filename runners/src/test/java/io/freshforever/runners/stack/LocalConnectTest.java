package io.freshforever.runners.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LocalConnectTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** The build's output is all CI keeps: why a worker died must be in the error, not only in its log file. */
  @Test
  public void aWorkerWhosePortIsTakenFailsWithTheEndOfItsLog() throws Exception {
    int port = FreePorts.next();
    Path dir = tmp.getRoot().toPath();
    try (LocalKafka kafka = LocalKafka.start(dir, FreePorts.next(), FreePorts.next());
        ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      IllegalStateException error =
          assertThrows(
              IllegalStateException.class,
              () -> LocalConnect.start(dir, "connect-1", port, kafka.bootstrapServers(), Duration.ofSeconds(1)));
      assertThat(error.getMessage(), containsString("Connect worker connect-1 exited early"));
      assertThat(error.getMessage(), containsString("Stopping due to error"));
      assertThat(error.getMessage(), containsString("Address already in use"));
    }
  }
}
