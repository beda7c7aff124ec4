package io.freshforever.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.FreshProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/**
 * The live job and the lake connector under faults, on the real broker, emulator and Connect
 * worker, with the live job on both runners: {@code fresh stream} and the stack's Connect worker
 * killed with SIGKILL at the same random moment of the traffic, the first started again with the
 * same command, the second by the stack; the Kafka broker stopped for 20 s; the Bigtable emulator
 * frozen for 30 s. Each time, once the traffic is over: the lake holds every record sent (each
 * distinct event, each dead letter), every live window lies between its in-grace count and its
 * exact count and settles on the in-grace count, and the warehouse loaded from the lake is exact.
 */
@RunWith(Parameterized.class)
public class FaultInjectionIntegrationTest {
  private static final long RECORDS = 30_000;
  private static final double RATE = 1_000;
  @ClassRule public static final LocalStackRule STACK = new LocalStackRule();
  /** Lakes, checkpoints and logs of this run only: a rerun must not resume an old checkpoint. */
  private static Path runDir;

  @BeforeClass
  public static void createRunDir() throws Exception {
    runDir = LiveHarness.newRunDir("faults-");
  }

  @Parameterized.Parameters(name = "{0}")
  public static List<Object[]> runners() {
    return LiveHarness.streamProcessRunners();
  }

  private final String runner;
  private final List<String> runnerArgs;

  public FaultInjectionIntegrationTest(String runner, List<String> runnerArgs) {
    this.runner = runner;
    this.runnerArgs = runnerArgs;
  }

  private interface Fault {
    /** Called at a moment of the traffic; returns the process now running the stream. */
    FreshProcess inject(FreshProcess stream) throws Exception;
  }

  @Test
  public void aKilledLiveJobAndConnectWorkerStartedAgainLoseNothing() throws Exception {
    AtomicReference<Long> killedWorker = new AtomicReference<>();
    String output = runThrough("kill", stream -> {
      killedWorker.set(STACK.pid("connect-1"));
      Process kill = new ProcessBuilder("kill", "-9", String.valueOf(killedWorker.get())).inheritIO().start();
      assertEquals(0, kill.waitFor());
      stream.kill();
      return startStream("kill", 2);
    });
    long restartedWorker = STACK.pid("connect-1");
    assertTrue("the stack started the Connect worker again: pid " + restartedWorker,
        restartedWorker != killedWorker.get() && ProcessHandle.of(restartedWorker).map(ProcessHandle::isAlive).orElse(false));
    if (runner.equals("FlinkRunner")) {
      assertThat(output, containsString("Flink: resuming from checkpoint "));
    } else {
      assertThat(output, containsString("re-reading the last"));
    }
  }

  @Test
  public void aBrokerStoppedFor20SecondsCostsNothing() throws Exception {
    runThrough("broker", stream -> {
      STACK.stack().kafka.stop();
      Thread.sleep(20_000);
      STACK.stack().kafka.restart();
      return stream;
    });
  }

  @Test
  public void aStoreUnreachableFor30SecondsConvergesToExactCounts() throws Exception {
    runThrough("store", stream -> {
      STACK.stack().bigtable.pause();
      try {
        Thread.sleep(30_000);
      } finally {
        STACK.stack().bigtable.resume();
      }
      return stream;
    });
  }

  /** @return what the stream process that ran last printed */
  private String runThrough(String name, Fault fault) throws Exception {
    String topic = topic(name);
    STACK.stack().kafka.createTopic(topic, 4);
    STACK.stack().bigtable.createTable(table(name));
    STACK.stack().runLakeConnector(topic, lake(name), LiveHarness.LAKE_FLUSH, 4);
    FreshProcess stream = startStream(name, 1);
    try (LiveCounts live =
        LiveCounts.connect(
            EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, table(name),
            STACK.stack().bigtable.host())) {
      LiveHarness.warmUp(STACK.stack().kafka.bootstrapServers(), topic, live);
      assertTrue("the stream process died:\n" + stream.output(), stream.isAlive());

      long seed = new Random().nextLong();
      System.out.println(name + " on " + runner + ": seed " + seed);
      Random random = new Random(seed);
      LiveHarness.Traffic traffic =
          LiveHarness.Traffic.start(LiveHarness.faultTraffic(STACK.stack().kafka.bootstrapServers(), topic, seed), RECORDS, RATE);
      // Somewhere in the middle half of the traffic.
      long trafficMillis = (long) (RECORDS / RATE * 1000);
      Thread.sleep(trafficMillis / 4 + (long) (random.nextDouble() * trafficMillis / 2));
      stream = fault.inject(stream);
      Expectations expected = traffic.awaitSent();

      LiveHarness.assertLiveViewAndLakeAfterFaults(live, lake(name), expected);

      stream.close();
      LiveHarness.assertWarehouseExact(lake(name), expected);
      return stream.output();
    } finally {
      stream.close();
    }
  }

  /** `fresh stream` with the same command every time, as an operator restarts it. */
  private FreshProcess startStream(String name, int start) throws Exception {
    return FreshProcess.start(FreshCli.classpath(), streamArgs(name), runDir.resolve(topic(name) + "-" + start + ".log"));
  }

  private List<String> streamArgs(String name) throws Exception {
    List<String> args = new ArrayList<>(List.of("stream"));
    args.addAll(runnerArgs);
    args.add("--kafkaBootstrapServers=" + STACK.stack().kafka.bootstrapServers());
    args.add("--bigtableEmulatorHost=" + STACK.stack().bigtable.host());
    args.add("--kafkaTopic=" + topic(name));
    args.add("--kafkaConsumerGroup=live-" + topic(name));
    args.add("--bigtableTable=" + table(name));
    args.add("--lake=" + lake(name));
    args.add("--stateBackendStoragePath=" + runDir.resolve("checkpoints-" + topic(name)).toUri());
    return args;
  }

  private String topic(String name) {
    return "faults-" + name + "-" + runner.toLowerCase();
  }

  private String table(String name) {
    return "counts_" + name + "_" + runner.toLowerCase();
  }

  private Path lake(String name) throws Exception {
    return Files.createDirectories(runDir.resolve("lake-" + topic(name)));
  }
}
