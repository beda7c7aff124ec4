package io.freshforever.runners.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for the processes tests and benchmarks start, picked below the kernel's ephemeral
 * range. A port the kernel hands out ({@code new ServerSocket(0)}) lies in that range, which is also
 * where every outgoing connection takes its local port: between picking it and the child binding
 * it, a client socket (a broker's connection to its own controller, which stays open) could take
 * it, and the child would exit on a bind error. Below the range only listeners compete.
 */
public final class FreePorts {
  /** Below this the ports are too well known to borrow. */
  private static final int LOWEST = 10_000;
  /** Linux's default when /proc does not say. */
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Read once per JVM. */
  private static final int EPHEMERAL_START = ephemeralStart();
  /** Picked in this JVM: two picks must differ even before either is bound. */
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  /** A loopback port no one listens on. */
  public static int next() throws IOException {
    return nextRun(1);
  }

  /** The first of {@code count} consecutive loopback ports no one listens on. */
  public static synchronized int nextRun(int count) throws IOException {
    int end = EPHEMERAL_START - count;
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(LOWEST, end);
      if (allFree(first, count)) {
        for (int port = first; port < first + count; port++) {
          HANDED_OUT.add(port);
        }
        return first;
      }
    }
    throw new IOException("no " + count + " free consecutive loopback ports between " + LOWEST + " and " + end);
  }

  private static boolean allFree(int first, int count) {
    for (int port = first; port < first + count; port++) {
      if (HANDED_OUT.contains(port) || !bindable(port)) {
        return false;
      }
    }
    return true;
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int ephemeralStart() {
    // Not Files.readString: it trusts the size procfs reports for the file and reads one character.
    try {
      int start = Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
      return start > LOWEST + 1_000 ? start : DEFAULT_EPHEMERAL_START;
    } catch (IOException | RuntimeException unknown) {
      return DEFAULT_EPHEMERAL_START;
    }
  }
}
