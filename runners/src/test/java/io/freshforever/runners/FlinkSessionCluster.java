package io.freshforever.runners;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Flink 1.19 session cluster as separate processes: one JobManager and one TaskManager JVM,
 * started from the Flink jars only (no Beam, no Fresh & Forever classes on their classpath), so a
 * job submitted to it runs from its job jar alone. Flink's own launch scripts compute the memory
 * settings that {@code TaskManagerRunner} needs; they are spelled out here instead.
 */
final class FlinkSessionCluster implements AutoCloseable {
  /** Flink and the libraries Flink itself needs; everything else must come from the job jar. */
  private static final Pattern FLINK_ONLY =
      Pattern.compile(
          ".*/repository/(org/apache/flink|org/apache/commons|commons-[a-z]+|com/esotericsoftware|org/objenesis"
              + "|org/xerial/snappy|org/lz4|org/javassist|org/slf4j|com/twitter|com/google/code/findbugs)/.*");

  private final Process jobManager;
  private final Process taskManager;
  private final int restPort;

  private FlinkSessionCluster(Process jobManager, Process taskManager, int restPort) {
    this.jobManager = jobManager;
    this.taskManager = taskManager;
    this.restPort = restPort;
  }

  static FlinkSessionCluster start(Path dir, Path runnersClasspath) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    int restPort = freePort();
    Files.writeString(
        conf.resolve("flink-conf.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: localhost",
            "jobmanager.rpc.port: " + freePort(),
            "jobmanager.bind-host: localhost",
            "rest.address: localhost",
            "rest.bind-address: localhost",
            "rest.port: " + restPort,
            "jobmanager.memory.process.size: 1024m",
            "taskmanager.host: localhost",
            "taskmanager.bind-host: localhost",
            "taskmanager.rpc.port: 0",
            "taskmanager.numberOfTaskSlots: 2",
            "taskmanager.cpu.cores: 2",
            "taskmanager.memory.framework.heap.size: 128m",
            "taskmanager.memory.framework.off-heap.size: 128m",
            "taskmanager.memory.task.heap.size: 640m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.managed.size: 128m",
            "taskmanager.memory.network.min: 64m",
            "taskmanager.memory.network.max: 64m",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 192m",
            "taskmanager.memory.jvm-overhead.max: 192m",
            "io.tmp.dirs: " + Files.createDirectories(dir.resolve("tmp")),
            ""));
    String classpath =
        Arrays.stream(Files.readString(runnersClasspath).trim().split(File.pathSeparator))
            .filter(jar -> FLINK_ONLY.matcher(jar).matches())
            .collect(Collectors.joining(File.pathSeparator));
    String java = ProcessHandle.current().info().command().orElse("java");
    Process jobManager =
        new ProcessBuilder(java, "-Xmx512m", "-cp", classpath,
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "--configDir", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("jobmanager.log").toFile())
            .start();
    Process taskManager =
        new ProcessBuilder(java, "-Xmx768m", "-Xms768m", "-XX:MaxDirectMemorySize=192m", "-XX:MaxMetaspaceSize=256m",
                "-cp", classpath, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "--configDir", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("taskmanager.log").toFile())
            .start();
    FlinkSessionCluster cluster = new FlinkSessionCluster(jobManager, taskManager, restPort);
    long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(2);
    while (!cluster.rest("/overview").contains("\"taskmanagers\":1")) {
      if (System.currentTimeMillis() > deadline || !jobManager.isAlive() || !taskManager.isAlive()) {
        cluster.close();
        throw new IllegalStateException("the Flink cluster did not come up; see " + dir + "/*.log");
      }
      Thread.sleep(500);
    }
    return cluster;
  }

  String master() {
    return "localhost:" + restPort;
  }

  /** GET on the cluster's REST API; empty while it is not up. */
  String rest(String path) {
    try {
      return HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException | InterruptedException notUp) {
      return "";
    }
  }

  /** Cancels every running job. */
  void cancelJobs() throws Exception {
    String jobs = rest("/jobs");
    List<String> ids = new ArrayList<>();
    var matcher = Pattern.compile("\"id\":\"([0-9a-f]+)\",\"status\":\"RUNNING\"").matcher(jobs);
    while (matcher.find()) {
      ids.add(matcher.group(1));
    }
    for (String id : ids) {
      HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + "/jobs/" + id + "?mode=cancel"))
                  .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.discarding());
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : List.of(taskManager, jobManager)) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
