package io.freshforever.runners.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka Connect worker in distributed mode, as a child JVM (connect-runtime on a classpath of its
 * own, which clashes with Beam's and Flink's), its state in three compacted topics of the broker and
 * the lake connector on its {@code plugin.path}. Its REST API listens on localhost only. Workers of
 * the same {@code group.id} share the connectors' tasks, and a restarted worker takes its share again.
 */
public final class LocalConnect implements Supervised {
  /** The Connect cluster of the local stack: its group and internal topics. */
  static final String GROUP = "fresh-connect";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Path dir;
  private final Path config;
  private final int restPort;
  private volatile Process worker;
  private volatile boolean stopped;

  private LocalConnect(String name, Path dir, Path config, int restPort) {
    this.name = name;
    this.dir = dir;
    this.config = config;
    this.restPort = restPort;
  }

  /**
   * Starts worker {@code name} on {@code localhost:restPort}, returning once its REST API answers.
   *
   * @param commitEvery how often the worker asks its sink tasks what to commit ({@code
   *     offset.flush.interval.ms}): a quiet partition's last files are published this often
   */
  public static LocalConnect start(Path stackDir, String name, int restPort, String bootstrapServers, Duration commitEvery)
      throws IOException, InterruptedException {
    Path dir = stackDir.toAbsolutePath();
    Files.createDirectories(dir);
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", GROUP);
    props.put("config.storage.topic", GROUP + "-configs");
    props.put("offset.storage.topic", GROUP + "-offsets");
    props.put("status.storage.topic", GROUP + "-status");
    props.put("config.storage.replication.factor", "1");
    props.put("offset.storage.replication.factor", "1");
    props.put("status.storage.replication.factor", "1");
    props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("listeners", "http://localhost:" + restPort);
    props.put("rest.advertised.host.name", "localhost");
    props.put("rest.advertised.port", String.valueOf(restPort));
    props.put("plugin.path", StackBuild.lakePluginPath().toString());
    // The plugin declares its connector for ServiceLoader: no scan of its ~140 jars at each start.
    props.put("plugin.discovery", "service_load");
    props.put("offset.flush.interval.ms", String.valueOf(commitEvery.toMillis()));
    // A departed worker's tasks move after this delay (5 minutes by default): a local stack and its
    // tests want seconds, as does the restart of a killed worker.
    props.put("scheduled.rebalance.max.delay.ms", "5000");
    props.put("connector.client.config.override.policy", "All");
    config(dir, name, props);
    LocalConnect connect = new LocalConnect(name, dir, dir.resolve(name + ".properties"), restPort);
    // The worker runs in a session of its own, out of reach of the terminal's Ctrl-C: a command
    // that does not stop its stack itself (fresh bench, fresh soak) must not leave it running.
    Runtime.getRuntime().addShutdownHook(new Thread(connect::close));
    try {
      connect.launch();
    } catch (IOException | InterruptedException | RuntimeException e) {
      connect.close();
      throw e;
    }
    return connect;
  }

  private static void config(Path dir, String name, Properties props) throws IOException {
    try (var out = Files.newBufferedWriter(dir.resolve(name + ".properties"))) {
      props.store(out, "written by fresh stack");
    }
    Files.writeString(
        dir.resolve(name + "-log4j.properties"),
        "log4j.rootLogger=INFO, file\n"
            + "log4j.logger.org.apache.kafka.clients=WARN\n"
            + "log4j.logger.org.reflections=ERROR\n"
            + "log4j.appender.file=org.apache.log4j.FileAppender\n"
            + "log4j.appender.file.File=" + dir.resolve(name + ".log") + "\n"
            + "log4j.appender.file.layout=org.apache.log4j.PatternLayout\n"
            + "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n\n");
  }

  private synchronized void launch() throws IOException, InterruptedException {
    worker =
        ChildJvm.start(
            dir,
            StackBuild.connectWorkerClasspath(),
            List.of("-Xmx1g", "-Dlog4j.configuration=file:" + dir.resolve(name + "-log4j.properties")),
            "org.apache.kafka.connect.cli.ConnectDistributed",
            List.of(config.toString()),
            dir.resolve(name + ".out"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (get("/").isEmpty()) {
      if (!worker.isAlive()) {
        throw new IllegalStateException(LogTail.after("Connect worker " + name + " exited early", logs()));
      }
      if (System.nanoTime() > deadline) {
        Processes.stop(worker, Duration.ofSeconds(30));
        throw new IllegalStateException(LogTail.after("Connect worker " + name + " did not answer on port " + restPort, logs()));
      }
      Thread.sleep(250);
    }
  }

  /** What the worker logs, then what its JVM printed (a crash before logging starts). */
  private Path[] logs() {
    return new Path[] {dir.resolve(name + ".log"), dir.resolve(name + ".out")};
  }

  public String restUrl() {
    return "http://localhost:" + restPort;
  }

  /** Creates or updates connector {@code connector} with {@code settings} (PUT /connectors/NAME/config). */
  public void putConnector(String connector, Map<String, String> settings) {
    HttpResponse<String> response =
        Rest.send(HttpRequest.newBuilder(URI.create(restUrl() + "/connectors/" + connector + "/config"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(write(settings))));
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("Connect refused connector " + connector + ": " + response.body());
    }
  }

  /** The connectors the Connect cluster runs, each with its settings. */
  public Map<String, Map<String, String>> connectors() {
    Map<String, Map<String, String>> connectors = new TreeMap<>();
    read(get("/connectors?expand=info")).fields().forEachRemaining(connector -> {
      Map<String, String> settings = new TreeMap<>();
      connector.getValue().path("info").path("config").fields().forEachRemaining(s -> settings.put(s.getKey(), s.getValue().asText()));
      connectors.put(connector.getKey(), settings);
    });
    return connectors;
  }

  /** Deletes connector {@code connector}: its tasks stop; what they committed stays committed. */
  public void deleteConnector(String connector) {
    HttpResponse<String> response = Rest.send(HttpRequest.newBuilder(URI.create(restUrl() + "/connectors/" + connector)).DELETE());
    if (response.statusCode() / 100 != 2 && response.statusCode() != 404) {
      throw new IllegalStateException("Connect did not delete connector " + connector + ": " + response.body());
    }
  }

  /** Waits until the connector and {@code tasks} tasks of it run; a failed one fails with its trace. */
  public void awaitRunning(String connector, int tasks, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = get("/connectors/" + connector + "/status");
      if (!last.isEmpty()) {
        JsonNode status = read(last);
        if (status.path("connector").path("state").asText().equals("FAILED")
            || status.path("tasks").findValuesAsText("state").contains("FAILED")) {
          throw new IllegalStateException("connector " + connector + " failed: " + last);
        }
        if (status.path("connector").path("state").asText().equals("RUNNING")
            && status.path("tasks").size() == tasks
            && status.path("tasks").findValuesAsText("state").stream().allMatch("RUNNING"::equals)) {
          return;
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("connector " + connector + " not running after " + timeout + ": " + last);
  }

  /** GET on the REST API; empty while the worker does not answer. */
  public String get(String path) {
    return Rest.getOrEmpty(restUrl() + path);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long pid() {
    return worker.pid();
  }

  @Override
  public boolean needsRestart() {
    return !stopped && !worker.isAlive();
  }

  @Override
  public synchronized void recover() throws IOException, InterruptedException {
    if (stopped || worker.isAlive()) {
      return;
    }
    launch();
  }

  /** Stops the worker: it leaves its group, and its tasks move to the others. */
  @Override
  public synchronized void close() {
    stopped = true;
    Processes.stop(worker, Duration.ofSeconds(30));
  }

  private static String write(Map<String, String> settings) {
    try {
      return JSON.writeValueAsString(settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
