package io.freshforever.runners.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The last lines of a child's log, for the error that says it died: CI keeps a build's output, not
 * the files its tests wrote, so a log only named there is a log no one reads.
 */
final class LogTail {
  private static final int LINES = 25;

  private LogTail() {}

  /** {@code what}, then the last lines of each of {@code logs} (or why there are none). */
  static String after(String what, Path... logs) {
    StringBuilder message = new StringBuilder(what);
    for (Path log : logs) {
      message.append("\nthe end of ").append(log).append(':');
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        lines.subList(Math.max(0, lines.size() - LINES), lines.size()).forEach(line -> message.append("\n  ").append(line));
      } catch (IOException unreadable) {
        message.append(" unreadable (").append(unreadable).append(')');
      }
    }
    return message.toString();
  }
}
