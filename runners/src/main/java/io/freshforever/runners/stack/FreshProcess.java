package io.freshforever.runners.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code fresh} command as an operator runs it: a process of its own, which a test or a chaos
 * benchmark can kill outright.
 */
public final class FreshProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private FreshProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code fresh args...} on {@code classpath}; what it prints goes to {@code log}. */
  public static FreshProcess start(String classpath, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx4g"); // what ./fresh gives a command
    command.add("-cp");
    command.add(classpath);
    command.add("io.freshforever.runners.Fresh");
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new FreshProcess(process, log);
  }

  /** SIGKILL, as the OOM killer, a lost node or a power cut would stop it: no hook runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** SIGTERM, as Ctrl-C or `kill` would: the command stops in order. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
