package io.freshforever.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.freshforever.runners.stack.BeamFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RetainedCheckpointsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private List<String> flinkArgs(Path storage) {
    return new ArrayList<>(List.of(
        "--runner=FlinkRunner", "--parallelism=2", "--stateBackendStoragePath=" + storage.toUri(),
        "--kafkaBootstrapServers=kafka:9092", "--lake=" + tmp.getRoot().toPath().resolve("lake"),
        "--bigtableProject=p", "--bigtableInstance=i"));
  }

  private static Path checkpoint(Path root, String job, int n, boolean complete, long modifiedMillis) throws Exception {
    Path chk = Files.createDirectories(root.resolve(job).resolve("chk-" + n));
    Path file = chk.resolve(complete ? "_metadata" : "some-state-file");
    Files.writeString(file, "x");
    Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
    return chk;
  }

  @Test
  public void aFirstStartRetainsCheckpointsInAFolderOfItsGraphAndSaysItStartsAfresh() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    RetainedCheckpoints.Start start = RetainedCheckpoints.resumeNewest(flinkArgs(storage));
    assertThat(start.message(), startsWith("Flink: no retained checkpoint of this pipeline under " + storage.resolve("graph-")));
    assertTrue(start.args().contains("--externalizedCheckpointsEnabled=true"));
    assertTrue(start.args().contains("--retainExternalizedCheckpointsOnCancellation=true"));
    assertFalse("no restore, so the live path rebuilds its state", start.args().contains("--rebuildLiveState=false"));
    assertTrue(start.args().stream().anyMatch(a -> a.startsWith("--stateBackendStoragePath=" + storage.resolve("graph-").toUri())));
  }

  @Test
  public void theNewestCompleteCheckpointOfTheSameGraphIsResumedAndOlderJobsAreDeleted() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    Path graph = graphFolder(storage);
    checkpoint(graph, "job-a", 7, true, 1_000);
    Path newest = checkpoint(graph, "job-b", 3, true, 2_000);
    checkpoint(graph, "job-c", 1, false, 3_000); // killed while writing its first checkpoint

    RetainedCheckpoints.Start start = RetainedCheckpoints.resumeNewest(flinkArgs(storage));

    assertThat(start.message(), startsWith("Flink: resuming from checkpoint " + newest));
    assertTrue(start.args().contains("--rebuildLiveState=false"));
    Path conf = Path.of(start.args().stream().filter(a -> a.startsWith("--flinkConfDir=")).findFirst().orElseThrow().substring(15));
    assertEquals("execution.savepoint.path: " + newest.toUri() + "\n", Files.readString(conf.resolve("flink-conf.yaml")));
    assertFalse(Files.exists(graph.resolve("job-a")));
    assertFalse(Files.exists(graph.resolve("job-c")));
    assertTrue(Files.exists(newest));
  }

  @Test
  public void aRemoteClusterGetsTheCheckpointAsSavepointPath() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    Path newest = checkpoint(graphFolder(storage), "job-a", 2, true, 1_000);
    List<String> args = flinkArgs(storage);
    args.add("--flinkMaster=jobmanager:8081");
    RetainedCheckpoints.Start start = RetainedCheckpoints.resumeNewest(args);
    assertTrue(start.args().contains("--savepointPath=" + newest.toUri()));
  }

  @Test
  public void checkpointsOnAnObjectStoreAreTheClustersToFindAndTheArgsStayAsGiven() {
    List<String> args = new ArrayList<>(List.of(
        "--runner=FlinkRunner", "--flinkMaster=jobmanager:8081", "--stateBackendStoragePath=gs://fresh-flink-state/checkpoints",
        "--kafkaBootstrapServers=kafka:9092", "--lake=gs://lake", "--bigtableProject=p", "--bigtableInstance=i"));
    RetainedCheckpoints.Start start = RetainedCheckpoints.resumeNewest(args);
    assertEquals(args, start.args());
    assertEquals("Flink: checkpoints go to gs://fresh-flink-state/checkpoints; to resume from one, name it with --savepointPath",
        start.message());
  }

  @Test
  public void fromScratchIgnoresRetainedCheckpointsAndOtherRunnersAreLeftAlone() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    checkpoint(graphFolder(storage), "job-a", 2, true, 1_000);
    List<String> args = flinkArgs(storage);
    args.add("--fromScratch");
    RetainedCheckpoints.Start start = RetainedCheckpoints.resumeNewest(args);
    assertThat(start.message(), containsString("starting from scratch"));
    assertFalse(start.args().contains("--fromScratch"));
    assertFalse(start.args().contains("--rebuildLiveState=false"));

    RetainedCheckpoints.Start direct = RetainedCheckpoints.resumeNewest(List.of("--runner=DirectRunner"));
    assertEquals(List.of("--runner=DirectRunner"), direct.args());
    assertEquals("", direct.message());
  }

  @Test
  public void anotherGraphHasAFolderOfItsOwn() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    Path one = graphFolder(storage);
    List<String> otherWindow = flinkArgs(storage);
    otherWindow.add("--windowSeconds=120");
    String other = RetainedCheckpoints.resumeNewest(otherWindow).args().stream()
        .filter(a -> a.startsWith("--stateBackendStoragePath=")).findFirst().orElseThrow();
    assertFalse(other.contains(one.getFileName().toString()));
    assertEquals(Optional.empty(), RetainedCheckpoints.newestComplete(storage.resolve("none")));
  }

  @Test
  public void everyStartThatResumesRunsWithTheDedupSecretItsStateWasWrittenWith() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    List<String> first = RetainedCheckpoints.resumeNewest(flinkArgs(storage)).args();
    String secret = BeamFlags.value(first, "--dedupSecret");
    assertEquals(32, secret.length());
    Path graph = Path.of(java.net.URI.create(BeamFlags.value(first, "--stateBackendStoragePath")));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(graph.resolve("dedup-secret"))));

    checkpoint(graph, "job-a", 1, true, 1_000);
    assertEquals(secret, BeamFlags.value(RetainedCheckpoints.resumeNewest(flinkArgs(storage)).args(), "--dedupSecret"));

    List<String> another = flinkArgs(storage);
    another.add("--dedupSecret=" + "ab".repeat(16));
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> RetainedCheckpoints.resumeNewest(another));
    assertThat(refused.getMessage(), containsString("would be counted twice"));
    another.add("--fromScratch");
    assertEquals("ab".repeat(16), BeamFlags.value(RetainedCheckpoints.resumeNewest(another).args(), "--dedupSecret"));
    assertEquals("ab".repeat(16), BeamFlags.value(RetainedCheckpoints.resumeNewest(flinkArgs(storage)).args(), "--dedupSecret"));
    List<String> upperCase = flinkArgs(storage);
    upperCase.add("--dedupSecret=" + "AB".repeat(16));
    assertEquals("ab".repeat(16), BeamFlags.value(RetainedCheckpoints.resumeNewest(upperCase).args(), "--dedupSecret"));

    Files.delete(graph.resolve("dedup-secret"));
    IllegalArgumentException lost =
        assertThrows(IllegalArgumentException.class, () -> RetainedCheckpoints.resumeNewest(flinkArgs(storage)));
    assertThat(lost.getMessage(), containsString("have no dedup-secret beside them"));
  }

  @Test
  public void aSavepointNamedByHandNeedsTheDedupSecretToo() {
    List<String> args = new ArrayList<>(List.of(
        "--runner=FlinkRunner", "--flinkMaster=jobmanager:8081", "--stateBackendStoragePath=gs://fresh-flink-state/checkpoints",
        "--savepointPath=gs://fresh-flink-state/savepoints/savepoint-1", "--kafkaBootstrapServers=kafka:9092",
        "--lake=gs://lake", "--bigtableProject=p", "--bigtableInstance=i"));
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> RetainedCheckpoints.resumeNewest(args));
    assertThat(refused.getMessage(), containsString("needs the --dedupSecret the job ran with"));
    args.add("--dedupSecret=" + "ab".repeat(16));
    assertEquals(args, RetainedCheckpoints.resumeNewest(args).args());
  }

  private Path graphFolder(Path storage) {
    String arg = RetainedCheckpoints.resumeNewest(flinkArgs(storage)).args().stream()
        .filter(a -> a.startsWith("--stateBackendStoragePath=")).findFirst().orElseThrow();
    return Path.of(java.net.URI.create(arg.substring("--stateBackendStoragePath=".length())));
  }
}
