package io.freshforever.runners.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the stack's processes running: each one that dies is started again after {@link
 * #RESTART_AFTER}, as Kubernetes restarts a crashed pod; each one's pid is in {@code
 * <pidDir>/<name>.pid} while it runs.
 */
final class Supervisor implements AutoCloseable {
  static final Duration RESTART_AFTER = Duration.ofSeconds(3);

  private final Path pidDir;
  private final Consumer<String> say;
  private final List<Supervised> watched = new CopyOnWriteArrayList<>();
  private final Map<String, Long> deadSinceNanos = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "stack-supervisor");
        thread.setDaemon(true);
        return thread;
      });

  Supervisor(Path pidDir, Consumer<String> say) {
    this.pidDir = pidDir;
    this.say = say;
    timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
  }

  void watch(Supervised process) {
    watched.add(process);
    writePid(process);
  }

  private void check() {
    for (Supervised process : watched) {
      if (!process.needsRestart()) {
        deadSinceNanos.remove(process.name());
        continue;
      }
      long now = System.nanoTime();
      Long since = deadSinceNanos.putIfAbsent(process.name(), now);
      if (since == null) {
        say.accept("stack: " + process.name() + " (pid " + process.pid() + ") died; starting it again in "
            + RESTART_AFTER.toSeconds() + " s");
      } else if (now - since >= RESTART_AFTER.toNanos()) {
        try {
          process.recover();
          writePid(process);
          deadSinceNanos.remove(process.name());
          say.accept("stack: " + process.name() + " started again (pid " + process.pid() + ")");
        } catch (Exception e) {
          deadSinceNanos.put(process.name(), now);
          say.accept("stack: could not start " + process.name() + " again (" + e.getMessage() + "); trying again in "
              + RESTART_AFTER.toSeconds() + " s");
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }

  private void writePid(Supervised process) {
    try {
      Files.createDirectories(pidDir);
      Files.writeString(pidDir.resolve(process.name() + ".pid"), process.pid() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops watching; the pid files go with the processes, which their owner stops. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Supervised process : watched) {
      try {
        Files.deleteIfExists(pidDir.resolve(process.name() + ".pid"));
      } catch (IOException ignored) {
        // a stale pid file names a process that is gone
      }
    }
  }
}
