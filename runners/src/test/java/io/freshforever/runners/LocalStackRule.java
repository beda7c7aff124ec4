package io.freshforever.runners;

import io.freshforever.runners.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.rules.ExternalResource;

/** A {@link LocalStack} on free ports for one test class: {@code @ClassRule}. */
final class LocalStackRule extends ExternalResource {
  private LocalStack stack;

  LocalStack stack() {
    return stack;
  }

  @Override
  protected void before() throws Throwable {
    // Relative, as `fresh stack`'s default ./.fresh is: the stack must not depend on absolute paths.
    stack = LocalStack.startOnFreePorts(Files.createTempDirectory(Path.of("target"), "fresh-stack"));
  }

  @Override
  protected void after() {
    if (stack != null) {
      stack.close();
    }
  }
}
