package io.freshforever.runners.stack;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping a child process: SIGTERM, and SIGKILL if it does not end in time. */
final class Processes {
  private Processes() {}

  static void stop(Process process, Duration grace) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
