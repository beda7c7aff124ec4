package io.freshforever.runners;

import io.freshforever.runners.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.rules.ExternalResource;

/** A {@link LocalStack} on free ports for one test class: {@code @ClassRule}. */
final class LocalStackRule extends ExternalResource {
  private LocalStack stack;
  private Path dir;

  LocalStack stack() {
    return stack;
  }

  /** The pid of the stack's process {@code name} (e.g. connect-1), as its pid file says. */
  long pid(String name) throws IOException {
    return Long.parseLong(Files.readString(dir.resolve("pids").resolve(name + ".pid")).trim());
  }

  @Override
  protected void before() throws Throwable {
    // Relative, as `fresh stack`'s default ./.fresh is: the stack must not depend on absolute paths.
    dir = Files.createTempDirectory(Path.of("target"), "fresh-stack");
    stack = LocalStack.startOnFreePorts(dir);
  }

  @Override
  protected void after() {
    if (stack != null) {
      stack.close();
    }
  }
}
