package io.freshforever.runners;

import io.freshforever.runners.stack.Unreachable;
import java.util.Optional;
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
      CancelCommand.class,
      CountsCommand.class,
      DemoCommand.class,
      DashboardCommand.class,
      BenchCommand.class,
      SoakCommand.class,
      BatchCommand.class,
      SqlCommand.class,
      UnloadedCommand.class,
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
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line as a person meets it: a bad flag or value, or a service that does not answer,
   * is one line and exit 2; another failure is one line and exit 1, its story in the log.
   */
  static CommandLine commandLine() {
    return new CommandLine(new Fresh())
        .setUsageHelpWidth(100)
        .setParameterExceptionHandler(
            (e, args) -> {
              String command = e.getCommandLine().getCommandSpec().qualifiedName();
              System.err.println(command + ": " + e.getMessage() + " (" + command + " --help lists the options)");
              return 2;
            })
        .setExecutionExceptionHandler(
            (e, cli, parsed) -> {
              Optional<Unreachable> unreachable = unreachable(e);
              if (unreachable.isPresent()) {
                System.err.println(cli.getCommandSpec().qualifiedName() + ": " + unreachable.get().getMessage());
                return 2;
              }
              CommandLogs.failed(cli.getCommandName(), e);
              return 1;
            });
  }

  private static Optional<Unreachable> unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Unreachable u) {
        return Optional.of(u);
      }
    }
    return Optional.empty();
  }
}
