package io.freshforever.runners;

import static io.freshforever.runners.LiveHarness.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.flink.FlinkRest;
import io.freshforever.runners.generate.Expectations;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.ConsumerLag;
import io.freshforever.runners.stack.FreePorts;
import io.freshforever.runners.stack.FreshProcess;
import io.freshforever.runners.stack.LocalStack;
import io.freshforever.runners.stack.StackAddresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;
import org.junit.Test;

/**
 * The local rehearsal of production as an operator runs it: {@code fresh stack --cluster} (a
 * broker, the emulator, a Flink JobManager and two TaskManagers, two Connect workers running the
 * lake connector, every one a process of its own) and {@code fresh stream --cluster}, which submits
 * the live job detached and returns. Mid-traffic (copies, some on other partitions, late, too-late
 * and bad records) one TaskManager and one Connect worker are killed with SIGKILL; the stack starts
 * them again. Afterwards the lake holds every distinct event and every dead letter, every live
 * window lies within [in-grace, exact], and {@code fresh batch} loads an exact warehouse. Runs
 * after `package` (failsafe): the cluster runs the job jar.
 */
public class LocalClusterIT {
  private static final long RECORDS = 30_000;
  private static final double RATE = 1_000;
  private static final Pattern SUBMITTED = Pattern.compile("submitted Flink job ([0-9a-f]{32})");

  @Test
  public void aKilledTaskManagerAndConnectWorkerCostNothing() throws Exception {
    Path dir = LiveHarness.newRunDir("cluster-");
    Path pids = dir.resolve("cluster");
    List<String> stackArgs = new ArrayList<>(List.of("stack", "--cluster", "--dir=" + dir,
        "--kafkaPort=" + FreePorts.next(), "--controllerPort=" + FreePorts.next(),
        "--bigtablePort=" + FreePorts.next(), "--flinkPort=" + FreePorts.next()));
    int connectPort = FreePorts.nextRun(2); // the second worker listens on the next port
    stackArgs.add("--connectPort=" + connectPort);
    FreshProcess stack = FreshProcess.start(FreshCli.classpath(), stackArgs, dir.resolve("fresh-stack.out"));
    try {
      await("fresh stack --cluster is ready", Duration.standardMinutes(4),
          () -> stack.output().contains("Ready.") ? Boolean.TRUE : null, stack::output);
      assertThat(stack.output(), containsString("Ready. ./fresh stream --cluster submits the live job"));
      for (String process : List.of("kafka", "bigtable", "jobmanager", "taskmanager-1", "taskmanager-2", "connect-1", "connect-2")) {
        assertTrue(process + " runs, its pid in " + pids, alive(pid(pids, process)));
      }
      StackAddresses addresses = StackAddresses.read(pids);

      FreshProcess.Ended submit =
          FreshProcess.runToEnd(FreshCli.classpath(), List.of("stream", "--cluster", "--dir=" + dir), dir);
      assertEquals("fresh stream --cluster:\n" + submit.stdout() + submit.stderr(), 0, submit.exitCode());
      Matcher submitted = SUBMITTED.matcher(submit.stdout());
      assertTrue(submit.stdout(), submitted.find());
      FlinkRest flink = new FlinkRest(addresses.flinkMaster());
      String jobId = submitted.group(1);

      try (LiveCounts live =
          LiveCounts.connect(EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE,
              "event_counts", addresses.bigtableEmulator())) {
        LiveHarness.warmUp(addresses.kafka(), EventContract.TOPIC, live);
        LiveHarness.Traffic traffic =
            LiveHarness.Traffic.start(LiveHarness.faultTraffic(addresses.kafka(), EventContract.TOPIC, 23L), RECORDS, RATE);
        Thread.sleep((long) (RECORDS / RATE * 1000 / 3));
        long taskManager = pid(pids, "taskmanager-1");
        long connectWorker = pid(pids, "connect-1");
        kill9(taskManager);
        kill9(connectWorker);
        Expectations expected = traffic.awaitSent();

        assertTrue("the lake connector caught up", ConsumerLag.awaitNone(
            addresses.kafka(), LocalStack.lakeConsumerGroup(EventContract.TOPIC), EventContract.TOPIC, java.time.Duration.ofMinutes(3)));
        LiveHarness.assertLiveViewAndLakeAfterFaults(live, addresses.lake(), expected);
        LiveHarness.assertWarehouseExact(addresses.lake(), expected);

        assertNotEquals("the stack started taskmanager-1 again", taskManager, pid(pids, "taskmanager-1"));
        assertNotEquals("the stack started connect-1 again", connectWorker, pid(pids, "connect-1"));
        assertTrue(alive(pid(pids, "taskmanager-1")) && alive(pid(pids, "connect-1")));
        assertThat(stack.output(), containsString("stack: taskmanager-1 (pid " + taskManager + ") died; starting it again"));
        assertEquals("the job survived", List.of(jobId),
            flink.activeJobs().stream().map(FlinkRest.Job::id).toList());
      }
      FreshCli.Run cancel = FreshCli.run("cancel", "--cluster", "--dir=" + dir);
      assertEquals(cancel.stderr(), 0, cancel.exitCode());
      assertThat(cancel.stdout(), containsString("cancelled Flink job " + jobId));
    } finally {
      List<Long> started = new ArrayList<>();
      for (String process : List.of("kafka", "bigtable", "jobmanager", "taskmanager-1", "taskmanager-2", "connect-1", "connect-2")) {
        if (Files.exists(pids.resolve(process + ".pid"))) {
          started.add(pid(pids, process));
        }
      }
      stack.close();
      for (long pid : started) {
        assertTrue("process " + pid + " stopped with the stack", !alive(pid));
      }
    }
  }

  private static long pid(Path pids, String process) throws Exception {
    return Long.parseLong(Files.readString(pids.resolve(process + ".pid")).trim());
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void kill9(long pid) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-9", String.valueOf(pid)).inheritIO().start().waitFor());
  }
}
