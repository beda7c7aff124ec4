package io.freshforever.runners.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Kafka broker in KRaft mode, run from the {@code kafka_2.13} jars in a child JVM
 * (its classpath is this one, but its Jackson and logging stay out of the pipeline's JVM). Data
 * lives under {@code dir}, so a restarted stack keeps its topics and offsets.
 */
public final class LocalKafka implements Supervised {
  private final Path dir;
  private final Path config;
  private final int port;
  private volatile Process broker;
  private volatile boolean stopped;

  private LocalKafka(Path dir, Path config, Process broker, int port) {
    this.dir = dir;
    this.config = config;
    this.broker = broker;
    this.port = port;
  }

  /** Starts a broker on {@code localhost:port} and waits until it accepts connections. */
  public static LocalKafka start(Path stackDir, int port, int controllerPort)
      throws IOException, InterruptedException {
    // The broker runs in its own working directory (dir): a relative path would point elsewhere.
    Path dir = stackDir.toAbsolutePath();
    Path data = dir.resolve("kafka-data");
    Files.createDirectories(data);
    Path config = dir.resolve("kafka.properties");
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
    props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", data.toAbsolutePath().toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", "4");
    props.put("auto.create.topics.enable", "false");
    try (var out = Files.newBufferedWriter(config)) {
      props.store(out, "written by fresh stack");
    }
    if (!Files.exists(data.resolve("meta.properties"))) {
      runToCompletion(
          dir, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString());
    }
    LocalKafka kafka = new LocalKafka(dir, config, startBroker(dir, config), port);
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
    kafka.awaitPort(60);
    return kafka;
  }

  /** Starts the broker again on the same port and data after {@link #stop}: a bounce, for fault tests. */
  public synchronized void restart() throws IOException, InterruptedException {
    stopped = false;
    recover();
  }

  @Override
  public synchronized void recover() throws IOException, InterruptedException {
    if (stopped || broker.isAlive()) {
      return;
    }
    broker = startBroker(dir, config);
    awaitPort(60);
  }

  /** Stops the broker on purpose (its data stays): it stays down until {@link #restart}. */
  public void stop() {
    close();
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public long pid() {
    return broker.pid();
  }

  @Override
  public boolean needsRestart() {
    return !stopped && !broker.isAlive();
  }

  private static Process startBroker(Path dir, Path config) throws IOException {
    return ChildJvm.start(
        dir,
        System.getProperty("java.class.path"),
        List.of("-Xmx1g", "-Dlog4j.configuration=file:" + log4j(dir), "-Dkafka.logs.dir=" + dir),
        "kafka.Kafka",
        List.of(config.toString()),
        dir.resolve("kafka.log"));
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  /**
   * Creates the topic unless it exists, as the contract's topic is: it accepts values up to 4 MiB,
   * so that an oversized event reaches the pipeline and becomes a {@code PAYLOAD_TOO_LARGE} dead
   * letter instead of vanishing in the producer; and the broker stamps each record with the time it
   * accepted it ({@code LogAppendTime}), whatever time a producer puts on it: the log's clock, by
   * which ingest time, too-late and every event-time rule are judged.
   */
  public void createTopic(String topic, int partitions) {
    createTopic(topic, partitions, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
  }

  /** As {@link #createTopic(String, int)}, with one more setting of the topic's. */
  public void createTopic(String topic, int partitions, String setting, String value) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      NewTopic newTopic =
          new NewTopic(topic, partitions, (short) 1)
              .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024), setting, value));
      try {
        admin.createTopics(Set.of(newTopic)).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("could not create topic " + topic, e.getCause());
        }
      }
      awaitLeaders(admin, topic);
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("could not create topic " + topic, e);
    }
  }

  /**
   * Returns once the broker itself names a leader for every partition. A producer that writes
   * earlier gets NOT_LEADER_OR_FOLLOWER, and the idempotent producer's retry of it was seen to
   * fail with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout (fresh bench, 2026-12-02).
   */
  private static void awaitLeaders(Admin admin, String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      TopicDescription description =
          admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " has partitions without a leader: " + description);
      }
      Thread.sleep(100);
    }
  }

  @Override
  public synchronized void close() {
    stopped = true;
    Processes.stop(broker, Duration.ofSeconds(20));
  }

  private void awaitPort(int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (!broker.isAlive()) {
        throw new IllegalStateException(LogTail.after("the Kafka broker exited early", dir.resolve("kafka.log")));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("localhost", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    Processes.stop(broker, Duration.ofSeconds(20)); // not stopped on purpose: the supervisor tries again
    throw new IllegalStateException("the Kafka broker did not open port " + port + " in " + seconds + " s");
  }

  /** The broker's logging: warnings and worse, into kafka.log. */
  private static Path log4j(Path dir) throws IOException {
    Path file = dir.resolve("log4j.properties");
    Files.writeString(
        file,
        "log4j.rootLogger=WARN, stdout\n"
            + "log4j.appender.stdout=org.apache.log4j.ConsoleAppender\n"
            + "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n"
            + "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n");
    return file;
  }

  private static void runToCompletion(Path dir, String mainClass, String... args)
      throws IOException, InterruptedException {
    Process p =
        ChildJvm.start(
            dir,
            System.getProperty("java.class.path"),
            List.of("-Xmx1g", "-Dlog4j.configuration=file:" + log4j(dir)),
            mainClass,
            List.of(args),
            dir.resolve("kafka-format.log"));
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(LogTail.after(mainClass + " failed", dir.resolve("kafka-format.log")));
    }
  }
}
