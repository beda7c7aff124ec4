package io.freshforever.runners.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the stack's child processes (the broker, the emulator) in a session of their own. A
 * terminal's Ctrl-C reaches its whole foreground process group: children in it would die at once,
 * while the command still needs them to flush the lake, finish its last warehouse load and stop in
 * order. Out of the terminal's group, only the command gets the signal, and it stops them last.
 */
final class OwnSession {
  private OwnSession() {}

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  /** Where {@code setsid} is missing (not Linux), children stay in the caller's group, as before. */
  static boolean available() {
    return Files.isExecutable(SETSID);
  }

  static List<String> command(List<String> command) {
    if (!available()) {
      return command;
    }
    List<String> inSession = new ArrayList<>();
    inSession.add(SETSID.toString());
    inSession.addAll(command);
    return inSession;
  }

  /** A shell line that replaces itself by {@code executable} in a new session. */
  static String execLine(Path executable) {
    return (available() ? "exec " + SETSID + " " : "exec ") + "'" + executable + "' \"$@\"";
  }
}
