package io.freshforever.contract;

/** A record broke the event contract; carries the {@link RejectReason} for the dead-letter row. */
public final class InvalidEventException extends Exception {
  private final RejectReason reason;

  public InvalidEventException(RejectReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }

  // Rejections are expected control flow at high rates; a stack trace would be pure cost.
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
