package io.freshforever.runners.stack;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.Test;

public class FreePortsTest {
  @Test
  public void portsLieBelowTheEphemeralRangeAndAreNeverHandedOutTwice() throws Exception {
    int ephemeralStart =
        Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      int port = FreePorts.next();
      assertTrue(port + " lies between 10000 and " + ephemeralStart, port >= 10_000 && port < ephemeralStart);
      assertTrue("handed out twice: " + port, seen.add(port));
    }
  }

  @Test
  public void aRunIsConsecutivePortsThatEachBind() throws Exception {
    int first = FreePorts.nextRun(3);
    try (ServerSocket a = bound(first); ServerSocket b = bound(first + 1); ServerSocket c = bound(first + 2)) {
      assertEquals(first + 2, c.getLocalPort());
    }
  }

  private static ServerSocket bound(int port) throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }
}
