package io.freshforever.runners;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A command run as a person runs it: in a terminal (a tmux pane, headless), where Ctrl-C reaches
 * the whole foreground process group and the screen is what they read. A background job of a test
 * JVM would start with SIGINT ignored, and its piped output is not a terminal.
 */
final class TmuxTerminal implements AutoCloseable {
  private final String socket;
  private final Path dir;

  private TmuxTerminal(String socket, Path dir) {
    this.socket = socket;
    this.dir = dir;
  }

  /** Runs {@code command} in {@code dir}; the pane stays after it exits, for its status and screen. */
  static TmuxTerminal start(Path dir, List<String> command) throws IOException, InterruptedException {
    Path config = dir.resolve("tmux.conf");
    Files.writeString(config, "set -g remain-on-exit on\nset -g history-limit 100000\n");
    TmuxTerminal terminal = new TmuxTerminal("fresh-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), dir);
    // tmux limits the length of a command line; a classpath is longer.
    Path script = dir.resolve("command.sh");
    Files.writeString(
        script, "exec " + command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" ")) + "\n");
    terminal.tmux("-f", config.toString(), "new-session", "-d", "-s", "main", "-x", "250", "-y", "50", "-c", dir.toString(), "exec sh " + script);
    return terminal;
  }

  /** What Ctrl-C at the keyboard sends: SIGINT to the pane's foreground process group. */
  void pressCtrlC() throws IOException, InterruptedException {
    tmux("send-keys", "-t", "main", "C-c");
  }

  /** The command's process (it replaced the pane's shell). */
  ProcessHandle process() throws IOException, InterruptedException {
    long pid = Long.parseLong(tmux("display-message", "-p", "-t", "main", "#{pane_pid}").trim());
    return ProcessHandle.of(pid).orElseThrow();
  }

  /** The exit status once the command has ended within {@code timeoutSeconds}. */
  Optional<Integer> awaitExit(int timeoutSeconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      String[] dead =
          tmux("display-message", "-p", "-t", "main", "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}")
              .trim()
              .split("\\|", -1);
      if (dead[0].equals("1") && !dead[1].isEmpty()) {
        return Optional.of(Integer.parseInt(dead[1]));
      }
      if (dead[0].equals("1") && !dead[2].isEmpty()) {
        // Killed by a signal, tmux gives no status but the signal: reported as 128 + signal, as a shell does.
        return Optional.of(128 + Integer.parseInt(dead[2]));
      }
      // Dead with neither yet: tmux fills them in a moment later (seen under load); ask again.
      Thread.sleep(500);
    }
    return Optional.empty();
  }

  /** Everything the terminal showed, wrapped lines joined. */
  String screen() throws IOException, InterruptedException {
    return tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", "main");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    tmux("kill-server");
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    Process tmux = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(tmux.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!tmux.waitFor(30, TimeUnit.SECONDS) || tmux.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
