package io.freshforever.runners;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs a `fresh` command in-process, as a user would from the shell, and keeps what it printed. */
final class FreshCli {
  private FreshCli() {}

  record Run(int exitCode, String stdout) {}

  static synchronized Run run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = new CommandLine(new Fresh()).execute(args);
    } finally {
      System.setOut(original);
    }
    String stdout = out.toString(StandardCharsets.UTF_8);
    original.print(stdout);
    return new Run(exit, stdout);
  }
}
