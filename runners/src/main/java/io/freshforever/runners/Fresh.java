package io.freshforever.runners;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

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
  /** Read before parsing ({@link CommandLogs#route}); declared so that every command lists and accepts it. */
  @Option(
      names = CommandLogs.VERBOSE,
      scope = ScopeType.INHERIT,
      description = "Show the libraries' logging here instead of in a file under .fresh/logs/.")
  boolean verbose;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    CommandLogs.route(args);
    System.exit(
        new CommandLine(new Fresh())
            .setExecutionExceptionHandler(
                (e, cli, parsed) -> {
                  CommandLogs.failed(cli.getCommandName(), e);
                  return 1;
                })
            .execute(args));
  }
}
