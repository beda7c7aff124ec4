package io.freshforever.runners;

import static org.junit.Assert.assertEquals;

import io.freshforever.contract.Event;
import io.freshforever.pipelines.lake.LakeFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code fresh unloaded}: lake days the warehouse has not loaded, and whether one waited too long. */
public class UnloadedCommandTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static Event event(String id, String time, int partition) {
    Instant at = Instant.parse(time);
    return Event.builder().eventId(id).eventType("click").eventTime(at).userId(null).propertiesJson(null)
        .ingestTime(at).kafkaPartition(partition).kafkaOffset(1).payload("{}").build();
  }

  @Test
  public void listsTheDaysWithFilesNotLoadedAndFailsOnlyWhenOneWaitedTooLong() throws Exception {
    Path lake = tmp.newFolder("lake").toPath();
    String warehouse = "--warehouse=duckdb:" + tmp.getRoot() + "/warehouse.duckdb";
    LakeFixture.write(lake.toString(), List.of(event("a", "2026-11-02T10:00:00Z", 0)));
    LakeFixture.write(lake.toString(), List.of(event("b", "2025-11-02T10:00:00Z", 1), event("c", "2025-11-02T11:00:00Z", 1)));
    FreshCli.Run fresh = FreshCli.run("unloaded", "--lake=" + lake, warehouse);
    assertEquals(fresh.stderr(), 0, fresh.exitCode());
    assertEquals(
        List.of("2025-11-02: 2 new lake files, 2 rows, waiting 0.0 h", "2026-11-02: 1 new lake file, 1 row, waiting 0.0 h",
            "2 days to load, 0 overdue (over 6.0 h, or a loaded file gone): run fresh batch"),
        fresh.stdout().lines().toList());

    try (Stream<Path> files = Files.walk(lake.resolve("events/dt=2025-11-02"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 7 * 3_600_000L - 60_000));
      }
    }
    FreshCli.Run overdue = FreshCli.run("unloaded", "--lake=" + lake, warehouse, "--maxHours=6");
    assertEquals(1, overdue.exitCode());
    assertEquals("2025-11-02: 2 new lake files, 2 rows, waiting 7.0 h  OVERDUE", overdue.stdout().lines().findFirst().orElseThrow());

    assertEquals(0, FreshCli.run("batch", "--runner=DirectRunner", "--lake=" + lake, warehouse).exitCode());
    FreshCli.Run loaded = FreshCli.run("unloaded", "--lake=" + lake, warehouse);
    assertEquals(0, loaded.exitCode());
    assertEquals(List.of("every lake file is loaded"), loaded.stdout().lines().toList());
  }
}
