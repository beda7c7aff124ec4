package io.freshforever.runners.stack;

/**
 * A process of the local stack that {@link Supervisor} starts again when it dies, as Kubernetes
 * would restart a pod: unless it was stopped on purpose.
 */
public interface Supervised extends AutoCloseable {
  /** As the pid file and the stack's messages name it, e.g. {@code connect-1}. */
  String name();

  long pid();

  /** Dead, and not stopped on purpose. */
  boolean needsRestart();

  /**
   * Starts it again with the same settings, ports and data if it is dead and was not stopped on
   * purpose (checked under the same lock as {@link #close}, so a stop always wins); returns once
   * it answers.
   */
  void recover() throws Exception;

  /** Stops it on purpose: it stays stopped. */
  @Override
  void close();
}
