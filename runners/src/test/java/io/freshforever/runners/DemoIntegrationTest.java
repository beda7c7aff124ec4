package io.freshforever.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshforever.pipelines.warehouse.DuckDbWarehouse;
import io.freshforever.runners.stack.FreePorts;
import io.freshforever.runners.stack.FreshProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * `fresh demo` as a user runs it: a separate process that brings up the stack, the pipeline and
 * the dashboard, gets counts into Bigtable, and on SIGTERM (what Ctrl-C and `kill` send) stops
 * everything it started, frees its ports and loads the warehouse one last time.
 */
public class DemoIntegrationTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  public void demoServesMovingCountsAndStopsCleanlyOnASignal() throws Exception {
    int dashboardPort = FreePorts.next();
    int kafkaPort = FreePorts.next();
    int metricsPort = FreePorts.next();
    int controllerPort = FreePorts.next();
    int bigtablePort = FreePorts.next();
    int connectPort = FreePorts.next();
    Path dir = tmp.newFolder("demo").toPath();
    Path log = Path.of("target", "demo-integration-test.log").toAbsolutePath(); // kept for a look after a failure
    Process demo =
        new ProcessBuilder(
                fresh(
                    "demo", "--clean",
                    "--dir=" + dir, "--runner=DirectRunner", "--rate=150",
                    "--dashboardPort=" + dashboardPort, "--kafkaPort=" + kafkaPort,
                    "--controllerPort=" + controllerPort, "--bigtablePort=" + bigtablePort,
                    "--connectPort=" + connectPort, "--metricsPort=" + metricsPort,
                    "--statusEverySeconds=2", "--batchEveryMinutes=30"))
            .directory(tmp.getRoot()) // its .fresh/logs/ too
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    List<ProcessHandle> started = new ArrayList<>();
    try {
      JsonNode counts = null;
      long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(3);
      while (System.currentTimeMillis() < deadline && demo.isAlive()) {
        counts = clickCounts(dashboardPort);
        if (counts != null && counts.get("windows").size() > 0) {
          break;
        }
        Thread.sleep(1000);
      }
      assertTrue("the demo died; its log:\n" + Files.readString(log), demo.isAlive());
      assertTrue("no click counts reached Bigtable within 3 minutes", counts != null && counts.get("windows").size() > 0);
      long first = total(counts);
      Thread.sleep(5000);
      assertTrue("counts move", total(clickCounts(dashboardPort)) > first);
      assertEquals(200, get(dashboardPort, "/").statusCode());
      long pipelineEventsIn = 0;
      long stripDeadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(90);
      while (pipelineEventsIn == 0 && System.currentTimeMillis() < stripDeadline) {
        JsonNode strip = new ObjectMapper().readTree(get(dashboardPort, "/api/pipeline").body());
        assertEquals("http://localhost:" + metricsPort + "/metrics", strip.get("source").asText());
        for (JsonNode minute : strip.get("minutes")) {
          pipelineEventsIn += minute.get("events_in").asLong();
        }
        Thread.sleep(2000);
      }
      assertTrue("the dashboard's strip shows the pipeline's events per minute", pipelineEventsIn > 0);
      demo.descendants().forEach(started::add);
      assertTrue("the Kafka broker runs as a child process", started.stream().anyMatch(ProcessHandle::isAlive));
      assertEquals("sockets of the demo the network could reach", List.of(), ListeningSockets.beyondLoopback(demo.toHandle()));

      demo.destroy(); // SIGTERM
      assertTrue("the demo stops within 3 minutes", demo.waitFor(3, TimeUnit.MINUTES));
    } finally {
      demo.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(output, containsString("dashboard   http://localhost:" + dashboardPort));
    assertThat(output, containsString("] produced "));
    assertThat(output, containsString("stopped; data kept in"));
    assertEquals("the demo's exit code after SIGTERM: a clean stop", 0, demo.exitValue());
    for (ProcessHandle child : started) {
      assertTrue("orphan process " + child.info().command().orElse("?"), !child.isAlive());
    }
    assertTrue("the status line shows the pipeline's counters from the metrics endpoint:\n" + output,
        PIPELINE_COUNTERS.matcher(output).find());
    for (int port : new int[] {dashboardPort, kafkaPort, controllerPort, bigtablePort, connectPort, metricsPort}) {
      try (ServerSocket free = new ServerSocket(port)) {
        assertEquals(port, free.getLocalPort()); // still bound would throw
      }
    }
    try (Connection warehouse = DuckDbWarehouse.openForQueries(dir.resolve("warehouse.duckdb").toString());
        ResultSet rows = warehouse.createStatement().executeQuery("SELECT count(*) FROM events")) {
      rows.next();
      assertTrue("the last warehouse load, on exit, loaded events", rows.getLong(1) > 0);
    }
  }

  /**
   * The README's first command as a person runs it (default runner, Flink), in a terminal, until a
   * scheduled warehouse load has run, then Ctrl-C: every line on the screen is one the demo means
   * to print (no stack trace, no library logging: that is in the log file it names), the stack's
   * processes outlive the keystroke long enough for an orderly stop, and the exit is clean.
   */
  @Test
  public void ctrlCInATerminalStopsTheDefaultDemoInOrderAndItsScreenShowsOnlyTheDemosOwnLines() throws Exception {
    Path home = tmp.newFolder("terminal").toPath();
    Path dir = home.resolve("data");
    List<String> command =
        fresh(
            "demo", "--dir=" + dir, "--rate=300",
            "--dashboardPort=" + FreePorts.next(), "--kafkaPort=" + FreePorts.next(),
            "--controllerPort=" + FreePorts.next(), "--bigtablePort=" + FreePorts.next(),
            "--connectPort=" + FreePorts.next(), "--metricsPort=" + FreePorts.next(),
            "--statusEverySeconds=2", "--batchEveryMinutes=1");
    try (TmuxTerminal terminal = TmuxTerminal.start(home, command)) {
      ProcessHandle demo = terminal.process();
      long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(4);
      while (System.currentTimeMillis() < deadline && demo.isAlive() && !SCHEDULED_LOAD_DONE.matcher(terminal.screen()).find()) {
        Thread.sleep(1000);
      }
      assertTrue("no scheduled warehouse load within 4 minutes; the screen:\n" + terminal.screen(),
          SCHEDULED_LOAD_DONE.matcher(terminal.screen()).find());
      List<ProcessHandle> stack = demo.descendants().toList();
      assertTrue("the broker and the emulator run as child processes", stack.size() >= 2);
      assertTrue("the demo listens (dashboard, metrics, embedded Flink, broker, emulator, Connect)",
          ListeningSockets.of(demo).size() >= 7);
      assertEquals("sockets of the demo the network could reach (embedded Flink's REST API among them)",
          List.of(), ListeningSockets.beyondLoopback(demo));

      terminal.pressCtrlC();
      Optional<Integer> exit = terminal.awaitExit(180);
      String screen = terminal.screen();
      assertEquals("the demo's exit status after Ctrl-C; the screen:\n" + screen, Optional.of(0), exit);
      for (String line : screen.split("\n")) {
        assertTrue("a line the demo does not mean to print: <" + line + ">; the screen:\n" + screen,
            DEMO_LINES.stream().anyMatch(p -> p.matcher(line).matches()));
      }
      assertThat(screen, containsString("stopped; data kept in " + dir));
      assertTrue("the status line shows the Flink job's counters too:\n" + screen, PIPELINE_COUNTERS.matcher(screen).find());
      for (ProcessHandle child : stack) {
        assertTrue("orphan process " + child.info().command().orElse("?"), !child.isAlive());
      }
      Matcher logs = Pattern.compile("(?m)^  logs        (\\S+)$").matcher(screen);
      assertTrue(logs.find());
      String logged = Files.readString(Path.of(logs.group(1)));
      assertThat("java.util.logging reaches the file", logged, containsString("Connecting to the Bigtable emulator"));
      assertThat("no metrics export against the emulator", logged, not(containsString("monitoring.googleapis.com")));
    }
    try (Connection warehouse = DuckDbWarehouse.openForQueries(dir.resolve("warehouse.duckdb").toString());
        ResultSet rows = warehouse.createStatement().executeQuery("SELECT count(*) FROM events")) {
      rows.next();
      assertTrue(rows.getLong(1) > 0);
    }
  }

  /** Read from the metrics endpoint: more than nothing read. */
  private static final Pattern PIPELINE_COUNTERS =
      Pattern.compile("\\| read [1-9][\\d,]*, duplicates dropped [\\d,]+, late updates [\\d,]+, dead letters [\\d,]+ \\|");

  private static final Pattern SCHEDULED_LOAD_DONE = Pattern.compile("\\| warehouse [\\d,]+ events at ");

  /** Everything the demo prints itself; a status line's parts are its own too. */
  private static final List<Pattern> DEMO_LINES =
      Stream.of(
              "", "\\^C",
              "Flink: (no retained checkpoint|resuming from checkpoint) .*",
              "Fresh & Forever demo is running \\(FlinkRunner, 300 events/s\\)\\.",
              "  (dashboard|metrics|warehouse|live view|data|logs) {2,}\\S.*",
              "Ctrl-C stops everything\\.",
              "\\[\\d\\d:\\d\\d:\\d\\d\\] produced [\\d,]+ \\([\\d,]+ retries, [\\d,]+ too late, [\\d,]+ bad\\) \\| .* \\| live-view lag [^|]+ \\| warehouse [^|]+",
              "stopping: generator, streaming pipeline, last warehouse load, dashboard, stack\\.\\.\\.",
              "last warehouse load: [\\d,]+ events at .*",
              "stopped; data kept in .*",
              "Pane is dead \\(status 0, .*\\)")
          .map(Pattern::compile)
          .toList();

  /** The {@code fresh} command line in a JVM of its own, as {@code ./fresh} starts it. */
  private static List<String> fresh(String... args) throws Exception {
    return FreshProcess.command(FreshCli.classpath(), List.of(args));
  }

  private JsonNode clickCounts(int port) {
    try {
      HttpResponse<String> response = get(port, "/api/counts?type=click&minutes=5");
      return response.statusCode() == 200 ? new ObjectMapper().readTree(response.body()) : null;
    } catch (Exception notUpYet) {
      return null;
    }
  }

  private static long total(JsonNode counts) {
    long total = 0;
    for (JsonNode w : counts.get("windows")) {
      total += w.get("count").asLong();
    }
    return total;
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
