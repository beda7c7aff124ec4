package io.freshforever.runners.stack;

import io.freshforever.contract.EventContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The local stack, every part a process of its own and started again when it dies ({@link
 * Supervisor}): a Kafka broker, the Bigtable emulator, Kafka Connect workers running the lake
 * connector, and, as the local rehearsal of production, a Flink session cluster. The broker and the
 * emulator start with the stack; the Connect workers and the Flink cluster on first use (a test of
 * the live path alone does not wait for them).
 */
public final class LocalStack implements AutoCloseable {
  /** How often a Connect worker asks the lake connector what to commit: a quiet partition's last files are this late. */
  static final Duration CONNECT_COMMIT_EVERY = Duration.ofSeconds(2);
  /** The lake connector's name for a topic. */
  static final String LAKE_CONNECTOR_PREFIX = "lake-";

  public final LocalKafka kafka;
  public final LocalBigtable bigtable;
  private final Path dir;
  private final Ports ports;
  private final Supervisor supervisor;
  private final List<LocalConnect> connectWorkers = new ArrayList<>();
  private @Nullable LocalFlinkCluster flink;

  /**
   * Where each process listens (all on localhost).
   *
   * @param connect one port per Connect worker
   * @param flinkRest the Flink cluster's REST port
   */
  public record Ports(int kafka, int kafkaController, int bigtable, List<Integer> connect, int flinkRest) {
    /** The fixed ports of {@code fresh stack}: one Connect worker, or two for the cluster. */
    public static Ports defaults(int connectWorkers) {
      List<Integer> connect = new ArrayList<>();
      for (int i = 0; i < connectWorkers; i++) {
        connect.add(EventContract.LOCAL_CONNECT_PORT + i);
      }
      return new Ports(EventContract.LOCAL_KAFKA_PORT, EventContract.LOCAL_KAFKA_CONTROLLER_PORT,
          EventContract.LOCAL_BIGTABLE_EMULATOR_PORT, connect, EventContract.LOCAL_FLINK_REST_PORT);
    }

    /** Free ports: for tests and benchmarks that must not collide with a running stack. */
    public static Ports free(int connectWorkers) throws IOException {
      List<Integer> connect = new ArrayList<>();
      for (int i = 0; i < connectWorkers; i++) {
        connect.add(FreePorts.next());
      }
      return new Ports(FreePorts.next(), FreePorts.next(), FreePorts.next(), connect, FreePorts.next());
    }
  }

  private LocalStack(Path dir, Ports ports, LocalKafka kafka, LocalBigtable bigtable, Supervisor supervisor) {
    this.dir = dir;
    this.ports = ports;
    this.kafka = kafka;
    this.bigtable = bigtable;
    this.supervisor = supervisor;
  }

  /**
   * Starts the broker and the emulator, keeping their data under {@code dir} and their pid files
   * under {@code pidDir}; {@code say} hears of every process that died and was started again.
   */
  public static LocalStack start(Path dir, Ports ports, Path pidDir, Consumer<String> say) throws Exception {
    LocalKafka kafka = LocalKafka.start(dir, ports.kafka(), ports.kafkaController());
    LocalBigtable bigtable;
    try {
      bigtable = LocalBigtable.start(ports.bigtable());
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
    Supervisor supervisor = new Supervisor(pidDir, say);
    supervisor.watch(kafka);
    supervisor.watch(bigtable);
    return new LocalStack(dir, ports, kafka, bigtable, supervisor);
  }

  /** On free ports, one Connect worker: for tests and benchmarks. */
  public static LocalStack startOnFreePorts(Path dir) throws Exception {
    return start(dir, Ports.free(1), dir.resolve("pids"), System.out::println);
  }

  /** The Connect workers, started on first use; the first one's REST API takes connectors. */
  public synchronized List<LocalConnect> connectWorkers() throws IOException, InterruptedException {
    if (connectWorkers.isEmpty()) {
      for (int i = 0; i < ports.connect().size(); i++) {
        LocalConnect worker =
            LocalConnect.start(dir, "connect-" + (i + 1), ports.connect().get(i), kafka.bootstrapServers(), CONNECT_COMMIT_EVERY);
        connectWorkers.add(worker);
        supervisor.watch(worker);
      }
    }
    return List.copyOf(connectWorkers);
  }

  /** The Flink session cluster (a JobManager, two TaskManagers), started on first use. */
  public synchronized LocalFlinkCluster flinkCluster() throws Exception {
    if (flink == null) {
      flink = LocalFlinkCluster.start(dir, ports.flinkRest(), 2);
      supervisor.watch(flink.jobManager());
      flink.taskManagers().forEach(supervisor::watch);
    }
    return flink;
  }

  /**
   * Runs the lake connector for {@code topic}, writing {@code lake}: Connect's connector {@code
   * lake-<topic>} with up to {@code tasks} tasks, created or updated; returns once they run.
   */
  public void runLakeConnector(String topic, Path lake, Duration flushEvery, int tasks) throws Exception {
    LocalConnect worker = connectWorkers().get(0);
    String name = LAKE_CONNECTOR_PREFIX + topic;
    // Connectors outlive the stack (in its Kafka data): one registered for another topic of the
    // same lake would write file names that collide with this one's.
    String root = lake.toAbsolutePath().toString();
    worker.connectors().forEach((other, settings) -> {
      if (!other.equals(name) && root.equals(settings.get("lake.root"))) {
        worker.deleteConnector(other);
      }
    });
    worker.putConnector(name, lakeConnectorSettings(topic, lake, flushEvery, tasks));
    worker.awaitRunning(name, tasks, Duration.ofMinutes(2));
  }

  /**
   * Waits until the lake connector has published and committed everything in {@code topic}: its
   * consumer group's committed offsets reach the end of every partition.
   *
   * @return false if it did not within {@code timeout}
   */
  public boolean awaitLakeCaughtUp(String topic, Duration timeout) throws Exception {
    return ConsumerLag.awaitNone(kafka.bootstrapServers(), lakeConsumerGroup(topic), topic, timeout);
  }

  /** The consumer group Connect gives the lake connector of {@code topic}: its lag is the lake's. */
  public static String lakeConsumerGroup(String topic) {
    return "connect-" + LAKE_CONNECTOR_PREFIX + topic;
  }

  /** The lake connector's settings as the stack gives them; DEPLOY.md and terraform give the same keys. */
  static Map<String, String> lakeConnectorSettings(String topic, Path lake, Duration flushEvery, int tasks) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("connector.class", "io.freshforever.lake.connect.LakeSinkConnector");
    settings.put("tasks.max", String.valueOf(tasks));
    settings.put("topics", topic);
    settings.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    settings.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    settings.put("lake.root", lake.toAbsolutePath().toString());
    settings.put("flush.seconds", String.valueOf(flushEvery.toSeconds()));
    settings.put("consumer.override.auto.offset.reset", "earliest");
    // A rebalance takes from a task only the partitions that move: the others keep their open flushes.
    settings.put("consumer.override.partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    return settings;
  }

  /** Stops everything, Flink and Connect first (they use the broker), then the broker and the emulator. */
  @Override
  public synchronized void close() {
    supervisor.close();
    if (flink != null) {
      flink.close();
    }
    connectWorkers.forEach(LocalConnect::close);
    kafka.close();
    bigtable.close();
  }
}
