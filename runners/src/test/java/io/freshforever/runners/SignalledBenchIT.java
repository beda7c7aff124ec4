package io.freshforever.runners;

import static io.freshforever.runners.LiveHarness.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.runners.stack.FreshProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.joda.time.Duration;
import org.junit.Test;

/**
 * {@code fresh bench} stopped by a signal half way (Ctrl-C, {@code kill}) leaves none of its stack
 * running. The broker, the emulator, the Connect worker and the Flink cluster run in sessions of
 * their own, out of reach of a terminal's Ctrl-C, and unlike {@code fresh stack} the bench does not
 * stop them itself: only the stack's shutdown hooks do. Needs the job jar (the capacity unit's Flink
 * job): failsafe, after {@code package}.
 */
public class SignalledBenchIT {
  private static final List<String> STACK_MAINS =
      List.of("kafka.Kafka", "cbtemulator", "ConnectDistributed", "StandaloneSessionClusterEntrypoint", "TaskManagerRunner");

  @Test
  public void aBenchStoppedBySigtermLeavesNoProcessOfItsStackBehind() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "signalled-bench").toAbsolutePath();
    try (FreshProcess bench =
        FreshProcess.start(
            FreshCli.classpath(),
            List.of("bench", "--events=0", "--historyRows=0", "--capacityRecords=1000000", "--badRate=0"),
            dir.resolve("bench.out"))) {
      ProcessHandle handle = ProcessHandle.of(bench.pid()).orElseThrow();
      Set<ProcessHandle> started = new LinkedHashSet<>();
      await("the capacity unit's Flink cluster", Duration.standardMinutes(5), () -> {
        handle.descendants().forEach(started::add);
        return STACK_MAINS.stream().allMatch(main -> started.stream().anyMatch(p -> runs(p, main))) ? Boolean.TRUE : null;
      }, bench::output);
      for (String main : STACK_MAINS) {
        assertTrue(main + " runs under the bench:\n" + bench.output(), started.stream().anyMatch(p -> runs(p, main)));
      }

      handle.destroy(); // SIGTERM; Ctrl-C's SIGINT runs the same shutdown hooks
      assertTrue("the bench ends within 2 minutes of the signal", handle.onExit().get(2, TimeUnit.MINUTES) != null);
      for (ProcessHandle child : started) {
        child.onExit().completeOnTimeout(child, 10, TimeUnit.SECONDS).get();
      }
      assertEquals("processes the bench left running", List.of(),
          started.stream().filter(ProcessHandle::isAlive).map(SignalledBenchIT::describe).toList());
    }
  }

  private static String describe(ProcessHandle process) {
    return process.pid() + " " + STACK_MAINS.stream().filter(main -> runs(process, main)).findFirst().orElse("(another)");
  }

  /** Whether {@code main} is in the process's command line, read whole: {@code ProcessHandle.Info} cuts it short. */
  private static boolean runs(ProcessHandle process, String main) {
    try (InputStream cmdline = Files.newInputStream(Path.of("/proc", String.valueOf(process.pid()), "cmdline"))) {
      return new String(cmdline.readAllBytes(), StandardCharsets.UTF_8).contains(main);
    } catch (IOException ended) {
      return false;
    }
  }
}
