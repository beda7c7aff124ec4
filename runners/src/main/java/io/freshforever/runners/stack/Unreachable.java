package io.freshforever.runners.stack;

/**
 * A service a command needs does not answer, or does not have what it names (a topic, a table): the
 * command says so in one line and exits 2, before it starts work that would wait on it forever.
 */
public final class Unreachable extends RuntimeException {
  public Unreachable(String message, Throwable cause) {
    super(message, cause);
  }
}
