package io.freshforever.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.freshforever.pipelines.StreamingPipelineOptions;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.options.LiveStoreOptions;
import io.freshforever.pipelines.options.LiveViewOptions;
import io.freshforever.pipelines.replay.ReplayPipelineOptions;
import io.freshforever.runners.stack.FreePorts;
import io.freshforever.runners.stack.FreshProcess;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One flag language for every command: {@code --name value} and {@code --name=value}, one camelCase
 * spelling per setting (the pipeline option's), every option in {@code --help} with its
 * description, and bad flags, bad values and silent services answered in one line with exit 2.
 */
public class FlagLanguageTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void bothFormsGiveBeamTheSameOptionsAndBeamsOwnFlagsPassThroughInBeamsForm() {
    assertEquals(
        List.of(
            "--from=2026-12-01", "--to=2026-12-02", "--skipCorruptFiles=true", "--warehouse=duckdb:w.duckdb",
            "--runner=FlinkRunner", "--flinkMaster=[local]", "--objectReuse"),
        beamArgs(
            "batch", "--from", "2026-12-01", "--to=2026-12-02", "--skipCorruptFiles", "--warehouse", "duckdb:w.duckdb",
            "--runner", "FlinkRunner", "--flinkMaster=[local]", "--objectReuse"));
    assertEquals(
        List.of("--rebuildLiveState=false", "--bigtableEmulatorHost=", "--runner=FlinkRunner"),
        beamArgs("stream", "--rebuildLiveState", "false", "--bigtableEmulatorHost=", "--runner", "FlinkRunner"));
  }

  @Test
  public void helpListsEveryPipelineOptionWithItsDescriptionAndDefault() {
    Map<String, Class<? extends PipelineOptions>> commands =
        Map.of(
            "batch", BatchPipelineOptions.class,
            "replay", ReplayPipelineOptions.class,
            "stream", StreamingPipelineOptions.class,
            "counts", LiveStoreOptions.class,
            "dashboard", LiveViewOptions.class,
            "reconcile", LiveViewOptions.class);
    commands.forEach(
        (command, options) -> {
          String help = FreshCli.run(command, "--help").stdout().replaceAll("\\s+", "");
          for (Method getter : options.getMethods()) {
            Description description = getter.getAnnotation(Description.class);
            if (description != null && getter.getDeclaringClass().getName().startsWith("io.freshforever.")) {
              String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
              assertThat(command + " --help", help, containsString("--" + name));
              // picocli wraps lines, also after punctuation
              assertThat(command + " --help", help, containsString(description.value().replaceAll("\\s+", "")));
            }
          }
        });
    assertThat(FreshCli.run("batch", "--help").stdout().replaceAll("\\s+", " "),
        containsString("--skipCorruptFiles[=<skipCorruptFiles>] Skip lake files that cannot be read (listed in the"
            + " corrupt-files report) instead of failing the run. (default: false)"));
  }

  @Test
  public void noCommandAnswersAKebabCaseSpelling() {
    for (String command : List.of("counts", "dashboard", "reconcile", "demo", "stack", "generate", "bench", "soak", "sql")) {
      String help = FreshCli.run(command, "--help").stdout();
      assertFalse(command + " --help:\n" + help, Pattern.compile("--[a-z]+-[a-z]").matcher(help).find());
    }
  }

  @Test
  public void everyCommandAnswersAnUnknownFlagInOneLineWithExitTwo() throws Exception {
    List<List<String>> commands =
        List.of(
            List.of("stack"), List.of("generate"), List.of("stream"), List.of("cancel", "--cluster"), List.of("counts", "--type", "click"),
            List.of("demo"), List.of("dashboard"), List.of("bench"), List.of("soak"), List.of("batch"), List.of("sql", "select 1"),
            List.of("replay"), List.of("reconcile", "--from", "2026-12-01T00:00:00Z", "--to", "2026-12-01T01:00:00Z"));
    Map<List<String>, String> cases = new LinkedHashMap<>();
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.add("--noSuchFlag=1");
      cases.put(args, "noSuchFlag");
    }
    assertEachInOneLineWithExitTwo(cases);
  }

  @Test
  public void badValuesAreOneLineWithExitTwo() throws Exception {
    String lake = tmp.newFolder("lake").toString();
    Map<List<String>, String> cases =
        Map.ofEntries(
            Map.entry(List.of("counts", "--type", "Click!"), "--type must match"),
            Map.entry(List.of("counts", "--type", "click", "--minutes", "0"), "--minutes must be at least 1"),
            Map.entry(List.of("generate", "--rate", "fast"), "'fast' is not a double"),
            Map.entry(List.of("dashboard", "--staleAfterSeconds", "0"), "--staleAfterSeconds must be at least 1"),
            Map.entry(List.of("dashboard", "--windowSeconds", "120"), "read 60 s windows only"),
            Map.entry(List.of("dashboard", "--metricsUrl", "ftp://host/metrics"), "--metricsUrl must be an http(s) URL"),
            Map.entry(List.of("reconcile", "--from", "yesterday", "--to", "2026-12-01T00:00:00Z"), "--from must be an ISO instant"),
            Map.entry(List.of("sql", "--warehouse", "w.duckdb", "select 1"), "--warehouse must be duckdb:PATH or bigquery:PROJECT:DATASET, was 'w.duckdb'"),
            Map.entry(List.of("sql", "--warehouse", "bigquery:p:d", "select 1"), "this command reads DuckDB only"),
            Map.entry(List.of("batch", "--from", "2026-13-01", "--to", "2026-12-02", "--lake", lake), "2026-13-01"),
            Map.entry(List.of("batch", "--from", "2026-12-01", "--to", "2026-12-02", "--lake", lake + "/missing"), "no lake at "),
            Map.entry(List.of("replay", "--from", "2026-12-01T00:00:30Z", "--to", "2026-12-01T01:00:00Z"), "window boundary"),
            Map.entry(List.of("stream", "--cluster", "--dir", lake), "no local cluster runs from " + lake),
            Map.entry(List.of("cancel", "--cluster", "--dir", lake), "no local cluster runs from " + lake),
            Map.entry(List.of("demo", "--runner", "SparkRunner"), "--runner must be FlinkRunner or DirectRunner"),
            Map.entry(List.of("demo", "--clean", "--dir", tmp.getRoot().toString()),
                "--clean deletes only a folder the local stack made, and " + tmp.getRoot() + " is not one"));
    assertEachInOneLineWithExitTwo(cases);
  }

  @Test
  public void aTakenMetricsPortIsOneLineWithExitTwoBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      String port = String.valueOf(taken.getLocalPort());
      String lake = tmp.newFolder("lake-metrics").toString();
      assertEachInOneLineWithExitTwo(Map.of(
          List.of("demo", "--metricsPort", port), "--metricsPort " + port + " is taken",
          List.of("stream", "--metricsPort", port, "--lake", lake), "--metricsPort " + port + " is taken"));
    }
  }

  @Test
  public void aSilentServiceIsNamedInOneLineWithExitTwo() throws Exception {
    String silent = "localhost:" + FreePorts.next();
    String lake = tmp.newFolder("lake").toString();
    Map<List<String>, String> cases =
        Map.of(
            List.of("counts", "--type", "click", "--bigtableEmulatorHost", silent), "on the emulator at " + silent + " does not answer",
            List.of("dashboard", "--port", "0", "--bigtableEmulatorHost", silent), "on the emulator at " + silent + " does not answer",
            List.of("replay", "--from", "2026-12-01T00:00:00Z", "--to", "2026-12-01T01:00:00Z", "--lake", lake,
                "--bigtableEmulatorHost", silent, "--runner", "DirectRunner"), "on the emulator at " + silent + " does not answer",
            List.of("generate", "--count", "1", "--kafkaBootstrapServers", silent), "Kafka at " + silent + " does not answer",
            List.of("cancel", "--flinkMaster", silent), "Flink at " + silent + " does not answer",
            List.of("stream", "--kafkaBootstrapServers", silent, "--lake", lake), "Kafka at " + silent + " does not answer",
            // No Google credentials here: BigQuery cannot be asked.
            List.of("reconcile", "--from", "2026-12-01T00:00:00Z", "--to", "2026-12-01T01:00:00Z",
                "--warehouse", "bigquery:no-such-project:fresh_warehouse"), "fresh reconcile: cannot compare: ");
    assertEachInOneLineWithExitTwo(cases);
  }

  /**
   * Each command line as a person runs it, a process of its own (its libraries log to its file
   * under .fresh/logs/, not to the terminal): exit 2, one line on stderr, containing the message.
   */
  private void assertEachInOneLineWithExitTwo(Map<List<String>, String> cases) throws Exception {
    Map<List<String>, Future<FreshProcess.Ended>> runs = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (List<String> args : cases.keySet()) {
        runs.put(args, pool.submit(() -> FreshProcess.runToEnd(FreshCli.classpath(), args, tmp.getRoot().toPath())));
      }
      for (Map.Entry<List<String>, Future<FreshProcess.Ended>> run : runs.entrySet()) {
        String what = "fresh " + String.join(" ", run.getKey());
        FreshProcess.Ended ended = run.getValue().get(3, TimeUnit.MINUTES);
        assertEquals(what + ": exit code; stderr:\n" + ended.stderr(), 2, ended.exitCode());
        assertEquals(what + ": one line on stderr, was:\n" + ended.stderr(), 1, ended.stderr().strip().lines().count());
        assertThat(what, ended.stderr(), containsString(cases.get(run.getKey())));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The Beam options a command would run with, as parsed from {@code args} (no run). */
  private static List<String> beamArgs(String... args) {
    CommandLine fresh = Fresh.commandLine();
    CommandLine.ParseResult parsed = fresh.parseArgs(args);
    CommandSpec command = parsed.subcommand().commandSpec();
    return PipelineFlags.args(command, parsed.subcommand().unmatched());
  }

}
