package io.freshforever.runners;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets a process and its descendants listen on, as Linux shows them ({@code
 * /proc/net/tcp*} for the listening sockets, {@code /proc/PID/fd} for whose they are): what the
 * network could reach.
 */
final class ListeningSockets {
  private ListeningSockets() {}

  record Socket(InetAddress address, int port, long pid, String command) {
    @Override
    public String toString() {
      return address.getHostAddress() + ":" + port + " (pid " + pid + ", " + command + ")";
    }
  }

  /** Those of {@code root}'s process tree that listen on something other than loopback. */
  static List<Socket> beyondLoopback(ProcessHandle root) throws IOException {
    return of(root).stream().filter(s -> !s.address().isLoopbackAddress()).toList();
  }

  static List<Socket> of(ProcessHandle root) throws IOException {
    Map<String, InetAndPort> listening = new HashMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields[3].equals("0A")) { // LISTEN
          listening.put(fields[9], InetAndPort.parse(fields[1]));
        }
      }
    }
    List<Socket> sockets = new ArrayList<>();
    for (ProcessHandle process : Stream.concat(Stream.of(root), root.descendants()).toList()) {
      Path fds = Path.of("/proc", String.valueOf(process.pid()), "fd");
      List<Path> descriptors;
      try (Stream<Path> list = Files.list(fds)) {
        descriptors = list.toList();
      } catch (IOException gone) {
        continue; // the process ended meanwhile
      }
      for (Path fd : descriptors) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException closed) {
          continue;
        }
        if (target.startsWith("socket:[")) {
          InetAndPort local = listening.get(target.substring(8, target.length() - 1));
          if (local != null) {
            sockets.add(new Socket(local.address(), local.port(), process.pid(), process.info().command().orElse("?")));
          }
        }
      }
    }
    return sockets;
  }

  /** {@code /proc/net/tcp}'s "0100007F:1F90": the address in host byte order per 32-bit word, the port in hex. */
  private record InetAndPort(InetAddress address, int port) {
    static InetAndPort parse(String field) throws IOException {
      String[] parts = field.split(":");
      byte[] raw = new BigInteger("1" + parts[0], 16).toByteArray(); // the leading 1 keeps leading zero bytes
      byte[] address = new byte[parts[0].length() / 2];
      for (int word = 0; word < address.length / 4; word++) {
        for (int b = 0; b < 4; b++) {
          address[word * 4 + b] = raw[1 + word * 4 + 3 - b];
        }
      }
      return new InetAndPort(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
    }
  }
}
