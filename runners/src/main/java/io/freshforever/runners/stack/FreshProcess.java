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
  /** What {@code ./fresh} gives a command. */
  private static final String DEFAULT_HEAP = "4g";

  private final Process process;
  private final Path log;

  private FreshProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code fresh args...} on {@code classpath}; what it prints goes to {@code log}. */
  public static FreshProcess start(String classpath, List<String> args, Path log) throws IOException {
    return start(classpath, args, log, DEFAULT_HEAP);
  }

  /** As {@link #start(String, List, Path)}, with a heap of {@code maxHeap} (e.g. {@code 1g}). */
  public static FreshProcess start(String classpath, List<String> args, Path log, String maxHeap) throws IOException {
    Process process =
        new ProcessBuilder(command(classpath, args, maxHeap)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new FreshProcess(process, log);
  }

  /** How a short command ended, and what it printed to each stream. */
  public record Ended(int exitCode, String stdout, String stderr) {}

  /** Runs {@code fresh args...} in {@code dir} (its .fresh/logs/ too) to its end, within 3 minutes. */
  public static Ended runToEnd(String classpath, List<String> args, Path dir) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process process =
        new ProcessBuilder(command(classpath, args)).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      throw new IllegalStateException("fresh " + String.join(" ", args) + " did not end in 3 minutes");
    }
    return new Ended(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  /** The java command line of {@code fresh args...}, as {@code ./fresh} runs it. */
  public static List<String> command(String classpath, List<String> args) {
    return command(classpath, args, DEFAULT_HEAP);
  }

  private static List<String> command(String classpath, List<String> args, String maxHeap) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx" + maxHeap);
    command.add("-cp");
    command.add(classpath);
    command.add("io.freshforever.runners.Fresh");
    command.addAll(args);
    return command;
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
