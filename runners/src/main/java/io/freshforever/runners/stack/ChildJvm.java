package io.freshforever.runners.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM the stack runs as a child process (the broker, Connect workers, Flink's JobManager and
 * TaskManagers): the same java as this one, a classpath of its own, in a session of its own ({@link
 * OwnSession}), its output appended to a log file.
 */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Path workDir, String classpath, List<String> jvmOptions, String mainClass, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    return new ProcessBuilder(OwnSession.command(command))
        .directory(workDir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectErrorStream(true)
        .start();
  }
}
