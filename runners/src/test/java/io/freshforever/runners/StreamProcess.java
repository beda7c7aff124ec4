package io.freshforever.runners;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** `fresh stream` as an operator runs it: a process of its own, which a test can kill outright. */
final class StreamProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private StreamProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code fresh stream args...}; what it prints goes to {@code log}. */
  static StreamProcess start(List<String> args, Path log) throws IOException {
    String classpath =
        Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
            + Files.readString(Path.of("target", "classpath.txt")).trim();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx2g");
    command.add("-cp");
    command.add(classpath);
    command.add("io.freshforever.runners.Fresh");
    command.add("stream");
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new StreamProcess(process, log);
  }

  /** SIGKILL, as the OOM killer, a lost node or a power cut would stop it: no hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** SIGTERM, as Ctrl-C or `kill` would: the command stops both halves in order. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
