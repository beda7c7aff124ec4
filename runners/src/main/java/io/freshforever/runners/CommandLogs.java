package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Where a command's logging goes. The terminal is for what the command itself prints (what it
 * started, where to look, progress, the result, what someone must act on); the libraries' logging
 * (Flink, Beam, Kafka, the Bigtable and gRPC clients) goes to one file per run under {@code
 * .fresh/logs/}, and to the terminal instead with {@code --verbose}.
 */
final class CommandLogs {
  static final String VERBOSE = "--verbose";
  static final Path DIR = Path.of(EventContract.LOCAL_DIR, "logs");

  /** Logs of other runs are kept this long, for a look after a failure. */
  private static final long KEEP_DAYS = 7;

  private static final String SIMPLE_LOGGER = "org.slf4j.simpleLogger.";

  private CommandLogs() {}

  /**
   * Must run before the first logger is created: SLF4J's simple logger reads its settings once.
   *
   * @param args the command line, for the command's name and {@code --verbose}
   */
  static void route(String[] args) {
    List<String> line = Arrays.asList(args);
    // Libraries log at INFO too (the file is for diagnosis), but Kafka's clients dump their whole
    // configuration at INFO for every consumer Beam opens, and Flink's runner the whole translated
    // graph (about 1,700 lines a warehouse load).
    System.setProperty(SIMPLE_LOGGER + "defaultLogLevel", "info");
    System.setProperty(SIMPLE_LOGGER + "log.org.apache.kafka", "warn");
    System.setProperty(SIMPLE_LOGGER + "log.org.apache.beam.runners.flink.FlinkBatchPipelineTranslator", "warn");
    System.setProperty(SIMPLE_LOGGER + "log.org.apache.beam.runners.flink.FlinkStreamingPipelineTranslator", "warn");
    if (line.contains(VERBOSE)) {
      System.setProperty(SIMPLE_LOGGER + "logFile", "System.err");
    } else {
      toNewFile(line.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("fresh"));
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    // A library thread's uncaught exception is logged, not printed over the terminal.
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> LoggerFactory.getLogger(CommandLogs.class).error("uncaught in thread " + thread.getName(), e));
  }

  private static void toNewFile(String command) {
    try {
      Files.createDirectories(DIR);
      deleteOld();
      String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path file = DIR.resolve(command + "-" + started + "-" + ProcessHandle.current().pid() + ".log").toAbsolutePath();
      System.setProperty(SIMPLE_LOGGER + "logFile", file.toString());
      // A run that logged nothing (most short commands) leaves no file behind.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteIfEmpty(file)));
    } catch (IOException e) {
      System.err.println("fresh: cannot write logs under " + DIR.toAbsolutePath() + " (" + e.getMessage() + "); logging here");
      System.setProperty(SIMPLE_LOGGER + "logFile", "System.err");
    }
  }

  /** Where this run's logs are, for the line a command prints. */
  static String where() {
    String file = System.getProperty(SIMPLE_LOGGER + "logFile", "System.err");
    return file.equals("System.err") ? "this terminal" : file;
  }

  /** The full story of a failure goes to the log; the terminal gets its telling line. */
  static void failed(String command, Exception e) {
    LoggerFactory.getLogger(CommandLogs.class).error("fresh " + command + " failed", e);
    System.err.println("fresh " + command + " failed: " + Failures.rootMessage(e) + " (details: " + where() + ")");
  }

  private static void deleteOld() throws IOException {
    long cutoff = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(KEEP_DAYS);
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path old : files.filter(f -> f.toFile().lastModified() < cutoff).toList()) {
        Files.deleteIfExists(old);
      }
    }
  }

  private static void deleteIfEmpty(Path file) {
    try {
      if (Files.exists(file) && Files.size(file) == 0) {
        Files.delete(file);
      }
    } catch (IOException ignored) {
      // the file stays: nothing lost
    }
  }
}
