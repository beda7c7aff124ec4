package io.freshforever.runners;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a `fresh` command in-process, as a user would from the shell, and keeps what it printed. */
final class FreshCli {
  private FreshCli() {}

  record Run(int exitCode, String stdout, String stderr) {}

  /** The classpath of {@code ./fresh}: this module's classes and its dependencies. */
  static String classpath() throws IOException {
    return Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
        + Files.readString(Path.of("target", "classpath.txt")).trim();
  }

  static synchronized Run run(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Fresh.commandLine().execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    String stdout = out.toString(StandardCharsets.UTF_8);
    String stderr = err.toString(StandardCharsets.UTF_8);
    originalOut.print(stdout);
    originalErr.print(stderr);
    return new Run(exit, stdout, stderr);
  }
}
