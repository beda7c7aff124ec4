package io.freshforever.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.Test;

/** The socket listing the loopback tests rely on, against sockets this JVM opens itself. */
public class ListeningSocketsTest {
  @Test
  public void socketsOnLoopbackAndOnEveryInterfaceAreToldApart() throws Exception {
    try (ServerSocket loopback = new ServerSocket();
        ServerSocket everywhere = new ServerSocket()) {
      loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      everywhere.bind(new InetSocketAddress(0));
      List<ListeningSockets.Socket> all = ListeningSockets.of(ProcessHandle.current());
      assertTrue(all.toString(), all.stream().anyMatch(s -> s.port() == loopback.getLocalPort() && s.address().isLoopbackAddress()));
      assertEquals(List.of(everywhere.getLocalPort()),
          ListeningSockets.beyondLoopback(ProcessHandle.current()).stream().map(ListeningSockets.Socket::port).toList());
    }
  }
}
