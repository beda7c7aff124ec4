package io.freshforever.runners;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fresh} command line: run the local stack, produce events, run and inspect the pipelines. */
@Command(
    name = "fresh",
    mixinStandardHelpOptions = true,
    version = "Fresh & Forever 0.1.0",
    description = "One event log, two paths: live counts in Bigtable, exact history in the warehouse.",
    subcommands = {
      StackCommand.class,
      GenerateCommand.class,
      StreamCommand.class,
      LakeCommand.class,
      CountsCommand.class,
      DemoCommand.class,
      DashboardCommand.class,
      BenchCommand.class,
      SoakCommand.class,
      BatchCommand.class,
      SqlCommand.class,
      ReplayCommand.class,
      ReconcileCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Fresh implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Fresh()).execute(args));
  }
}
