package io.freshforever.runners;

/** What a person needs from a failed run: the telling message, not a wall of stack frames. */
public final class Failures {
  private Failures() {}

  /**
   * The message of the outermost exception that says more than the one it wraps: runners wrap a
   * failure in layers whose message is just the cause again.
   */
  public static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && addsNothing(t)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static boolean addsNothing(Throwable wrapper) {
    String message = wrapper.getMessage();
    Throwable cause = wrapper.getCause();
    return message == null || message.equals(cause.toString()) || message.equals(cause.getMessage());
  }
}
