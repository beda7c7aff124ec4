package io.freshforever.runners.stack;

import io.freshforever.runners.flink.FlinkRest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Flink 1.19 session cluster as separate processes, as production runs one: a JobManager (REST on
 * localhost) and TaskManagers of 2 slots each, started from Flink's jars only (no Beam, no Fresh &
 * Forever classes on their classpath), so a job runs from its job jar alone. Every address binds
 * to localhost. Flink's launch scripts compute the memory settings {@code TaskManagerRunner} needs;
 * they are spelled out here instead. Slots are taken evenly from the TaskManagers, so a job of
 * parallelism 2 runs on both; heartbeats are short, so that a killed TaskManager is noticed within
 * seconds and its tasks restart from the last checkpoint on the slots left.
 */
public final class LocalFlinkCluster implements AutoCloseable {
  public static final int SLOTS_PER_TASK_MANAGER = 2;

  /** Flink and the libraries Flink itself needs; everything else must come from the job jar. */
  private static final Pattern FLINK_ONLY =
      Pattern.compile(
          ".*/repository/(org/apache/flink|org/apache/commons|commons-[a-z]+|com/esotericsoftware|org/objenesis"
              + "|org/xerial/snappy|org/lz4|org/javassist|org/slf4j|com/twitter|com/google/code/findbugs)/.*");

  private final Node jobManager;
  private final List<Node> taskManagers;
  private final int restPort;
  private final Path conf;
  private final String classpath;

  private LocalFlinkCluster(Node jobManager, List<Node> taskManagers, int restPort, Path conf, String classpath) {
    this.jobManager = jobManager;
    this.taskManagers = taskManagers;
    this.restPort = restPort;
    this.conf = conf;
    this.classpath = classpath;
  }

  /** Starts the JobManager and {@code taskManagers} TaskManagers; returns once all have registered. */
  public static LocalFlinkCluster start(Path dir, int restPort, int taskManagers) throws Exception {
    Path conf = Files.createDirectories(dir.toAbsolutePath().resolve("flink-conf"));
    Files.writeString(
        conf.resolve("flink-conf.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: localhost",
            "jobmanager.rpc.port: " + FreePorts.next(),
            "jobmanager.bind-host: localhost",
            "rest.address: localhost",
            "rest.bind-address: localhost",
            "rest.port: " + restPort,
            "jobmanager.memory.process.size: 1024m",
            "taskmanager.host: localhost",
            "taskmanager.bind-host: localhost",
            "taskmanager.rpc.port: 0",
            "taskmanager.numberOfTaskSlots: " + SLOTS_PER_TASK_MANAGER,
            "taskmanager.cpu.cores: 2",
            "taskmanager.memory.framework.heap.size: 128m",
            "taskmanager.memory.framework.off-heap.size: 128m",
            "taskmanager.memory.task.heap.size: 1024m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.managed.size: 128m",
            "taskmanager.memory.network.min: 64m",
            "taskmanager.memory.network.max: 64m",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 192m",
            "taskmanager.memory.jvm-overhead.max: 192m",
            "cluster.evenly-spread-out-slots: true",
            "heartbeat.interval: 2000",
            "heartbeat.timeout: 10000",
            "io.tmp.dirs: " + Files.createDirectories(dir.toAbsolutePath().resolve("flink-tmp")),
            ""));
    String classpath =
        Arrays.stream(StackBuild.runnersClasspath().split(File.pathSeparator))
            .filter(jar -> FLINK_ONLY.matcher(jar).matches())
            .collect(Collectors.joining(File.pathSeparator));
    Node jobManager =
        new Node("jobmanager", dir, conf, classpath, List.of("-Xmx512m"),
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
    List<Node> nodes = new ArrayList<>();
    for (int i = 1; i <= taskManagers; i++) {
      nodes.add(new Node("taskmanager-" + i, dir, conf, classpath,
          List.of("-Xmx1152m", "-Xms1152m", "-XX:MaxDirectMemorySize=192m", "-XX:MaxMetaspaceSize=256m"),
          "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"));
    }
    LocalFlinkCluster cluster = new LocalFlinkCluster(jobManager, nodes, restPort, conf, classpath);
    // As the stack's other processes: a signal to the command that started them stops them too.
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    try {
      jobManager.launch();
      for (Node node : nodes) {
        node.launch();
      }
      cluster.awaitTaskManagers(taskManagers, Duration.ofMinutes(2));
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** {@code host:port} of the REST endpoint, as {@code --flinkMaster} and {@code flink run -m} take it. */
  public String master() {
    return "localhost:" + restPort;
  }

  /** The cluster's configuration folder, as {@code FLINK_CONF_DIR} names one to Flink's CLI. */
  public Path confDir() {
    return conf;
  }

  /** Flink's jars alone, as the cluster's processes and Flink's CLI run on them. */
  public String flinkClasspath() {
    return classpath;
  }

  public Supervised jobManager() {
    return jobManager;
  }

  public List<Supervised> taskManagers() {
    return List.copyOf(taskManagers);
  }

  /** The cluster's REST API: jobs, cancelling. */
  public FlinkRest rest() {
    return new FlinkRest(master());
  }

  private void awaitTaskManagers(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!rest().get("/overview").contains("\"taskmanagers\":" + count)) {
      if (System.nanoTime() > deadline || !jobManager.process.isAlive()) {
        throw new IllegalStateException("the Flink cluster did not come up; see " + jobManager.log.getParent() + "/*.log");
      }
      Thread.sleep(500);
    }
  }

  @Override
  public void close() {
    for (Node node : taskManagers) {
      node.close();
    }
    jobManager.close();
  }

  /** One JVM of the cluster. */
  private static final class Node implements Supervised {
    private final String name;
    private final Path dir;
    private final Path conf;
    private final String classpath;
    private final List<String> jvmOptions;
    private final String mainClass;
    private final Path log;
    private volatile Process process;
    private volatile boolean stopped;

    Node(String name, Path dir, Path conf, String classpath, List<String> jvmOptions, String mainClass) {
      this.name = name;
      this.dir = dir.toAbsolutePath();
      this.conf = conf;
      this.classpath = classpath;
      this.jvmOptions = jvmOptions;
      this.mainClass = mainClass;
      this.log = this.dir.resolve(name + ".log");
    }

    synchronized void launch() throws IOException {
      process = ChildJvm.start(dir, classpath, jvmOptions, mainClass, List.of("--configDir", conf.toString()), log);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public boolean needsRestart() {
      return !stopped && !process.isAlive();
    }

    /** A TaskManager registers again by itself; a JobManager without HA comes back without its jobs. */
    @Override
    public synchronized void recover() throws Exception {
      if (stopped || process.isAlive()) {
        return;
      }
      launch();
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        throw new IllegalStateException(name + " exited at start; see " + log);
      }
    }

    @Override
    public synchronized void close() {
      stopped = true;
      Processes.stop(process, Duration.ofSeconds(20));
    }
  }
}
