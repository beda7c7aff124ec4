package io.freshforever.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import io.freshforever.contract.Event;
import io.freshforever.pipelines.lake.LakeFixture;
import io.freshforever.testing.GoldenLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The history path on the DirectRunner, from lake files to the embedded DuckDB warehouse. */
public class BatchPipelineTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private LocalWarehouse warehouse;
  private String lake;

  private void setUpLake() throws IOException {
    warehouse = new LocalWarehouse(tmp.newFolder());
    lake = warehouse.lake;
  }

  private void runBatch(String from, String to, String... extra) {
    warehouse.loadRange(from, to, extra);
  }

  private List<String> events() throws SQLException {
    return warehouse.events();
  }

  private Map<String, Long> counts() throws SQLException {
    return warehouse.counts();
  }

  private static List<String> expectedEvents() {
    return LocalWarehouse.goldenEvents();
  }

  @Test
  public void goldenLakeGivesExactlyTheExpectedRowsInBothTables() throws Exception {
    setUpLake();
    LakeFixture.write(lake, GoldenLog.lakeEvents());

    runBatch("2026-11-29", "2026-11-30");

    assertEquals(expectedEvents(), events());
    assertEquals(GoldenLog.expectedCounts("expected_warehouse_counts.csv"), counts());
  }

  @Test
  public void runningTheSameDayTwiceLeavesIdenticalTables() throws Exception {
    setUpLake();
    LakeFixture.write(lake, GoldenLog.lakeEvents());

    runBatch("2026-11-29", "2026-11-30");
    List<String> eventsOnce = events();
    Map<String, Long> countsOnce = counts();
    runBatch("2026-11-29", "2026-11-30");

    assertEquals(eventsOnce, events());
    assertEquals(countsOnce, counts());
  }

  @Test
  public void lateFilesInADayAreLoadedByRerunningThatDayAndOnlyThose() throws Exception {
    setUpLake();
    LakeFixture.write(lake, GoldenLog.lakeEvents());
    runBatch("2026-11-29", "2026-11-30");

    Event template = GoldenLog.lakeEvents().get(0); // e01, click at 10:00:05
    List<Event> late =
        List.of(
            copy(template, "late-1", "2026-11-29T10:00:30Z", "2026-11-29T18:00:00Z", 9, 100),
            copy(template, "late-2", "2026-11-29T23:59:59.999Z", "2026-11-30T02:00:00Z", 9, 101),
            // a retry of an id already loaded: later ingest, so the loaded copy stays
            copy(template, "e01", "2026-11-29T10:00:05Z", "2026-11-29T18:00:01Z", 9, 102));
    LakeFixture.write(lake, late);
    runBatch("2026-11-29", "2026-11-30");

    List<String> expected = new ArrayList<>(expectedEvents());
    expected.add("late-1,click,2026-11-29T10:00:30Z,,9,100");
    expected.add("late-2,click,2026-11-29T23:59:59.999Z,,9,101");
    Collections.sort(expected);
    assertEquals(expected, events());
    Map<String, Long> expectedCounts = new TreeMap<>(GoldenLog.expectedCounts("expected_warehouse_counts.csv"));
    expectedCounts.merge("click,2026-11-29T10:00:00.000Z", 1L, Long::sum);
    expectedCounts.put("click,2026-11-29T23:59:00.000Z", 1L);
    assertEquals(expectedCounts, counts());
  }

  @Test
  public void duplicatesAcrossFilesAndHoursKeepTheSameOneRowWhateverTheOrder() throws Exception {
    Event template = GoldenLog.lakeEvents().get(0);
    Event earliest = copy(template, "dup", "2026-11-29T03:10:00Z", "2026-11-29T03:10:01Z", 2, 7);
    Event sameTimeOtherPartition = copy(template, "dup", "2026-11-29T03:10:00Z", "2026-11-29T03:10:01Z", 3, 1);
    Event laterOtherHour = copy(template, "dup", "2026-11-29T07:00:00Z", "2026-11-29T07:00:02Z", 0, 3);
    List<List<String>> results = new ArrayList<>();
    for (List<Event> order :
        List.of(
            List.of(earliest, sameTimeOtherPartition, laterOtherHour),
            List.of(laterOtherHour, sameTimeOtherPartition, earliest))) {
      setUpLake();
      for (int file = 0; file < order.size(); file++) {
        LakeFixture.write(lake, List.of(order.get(file)));
      }
      runBatch("2026-11-29", "2026-11-30");
      results.add(events());
      assertEquals(Map.of("click,2026-11-29T03:10:00.000Z", 1L), counts());
    }
    assertEquals(List.of("dup,click,2026-11-29T03:10:00Z,,2,7"), results.get(0));
    assertEquals(results.get(0), results.get(1));
  }

  @Test
  public void aTruncatedLakeFileFailsTheRunNamingTheFile() throws Exception {
    setUpLake();
    LakeFixture.write(lake, GoldenLog.lakeEvents());
    Path corrupt = truncateOneFile();

    Exception failure = assertThrows(Exception.class, () -> runBatch("2026-11-29", "2026-11-30"));

    assertThat(causeMessages(failure), containsString("lake file " + corrupt));
    assertThat(causeMessages(failure), containsString("is corrupt or truncated"));
  }

  @Test
  public void aFlippedByteInsideALakeFileFailsTheRunNamingTheFileAndLoadsNothing() throws Exception {
    setUpLake();
    LakeFixture.write(lake, GoldenLog.lakeEvents());
    Path hour = Path.of(lake, "events", "dt=2026-11-29", "hr=10");
    Path file;
    try (Stream<Path> files = Files.list(hour)) {
      file = files.filter(f -> f.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) middleOfColumn(file, "event_type")] ^= 0x01; // a bit of a value the warehouse keeps
    Files.write(file, bytes);

    Exception failure = assertThrows(Exception.class, () -> runBatch("2026-11-29", "2026-11-30"));

    assertThat(causeMessages(failure), containsString("lake file " + file));
    assertThat(causeMessages(failure), containsString("checksum"));
    assertFalse("nothing loaded: not even a warehouse made", Files.exists(Path.of(warehouse.warehouse)));
  }

  @Test
  public void skippingCorruptFilesLoadsTheRestAndReportsTheFile() throws Exception {
    setUpLake();
    List<Event> golden = GoldenLog.lakeEvents();
    LakeFixture.write(lake, golden);
    Path corrupt = truncateOneFile();
    long rowsInCorruptFile = golden.stream().filter(e -> e.eventTime().toString().startsWith("2026-11-29T09")).count();
    String report = tmp.getRoot() + "/corrupt.txt";

    runBatch("2026-11-29", "2026-11-30", "--skipCorruptFiles=true", "--corruptFilesReport=" + report);

    List<String> reported = Files.readAllLines(Path.of(report));
    assertEquals(1, reported.size());
    assertThat(reported.get(0), containsString(corrupt.toString() + "\t"));
    List<String> expected = new ArrayList<>(expectedEvents());
    expected.removeIf(row -> row.startsWith("e15,")); // the only event of the 09:00 hour
    assertEquals(1, rowsInCorruptFile);
    assertEquals(expected, events());
  }

  @Test
  public void aDayWithNoLakeFilesLoadsAsEmptyWithoutFailing() throws Exception {
    setUpLake();
    runBatch("2026-11-28", "2026-11-29");
    assertEquals(List.of(), events());
    assertEquals(Map.of(), counts());
  }

  /** The offset of the middle of a column's chunk in a Parquet file's first row group. */
  private static long middleOfColumn(Path file, String column) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      ColumnChunkMetaData chunk =
          reader.getFooter().getBlocks().get(0).getColumns().stream()
              .filter(c -> c.getPath().toDotString().equals(column))
              .findFirst()
              .orElseThrow();
      return chunk.getStartingPos() + chunk.getTotalSize() / 2;
    }
  }

  /** Cuts the 09:00 hour's file in half: it loses its footer, as an interrupted upload would. */
  private Path truncateOneFile() throws IOException {
    Path hour = Path.of(lake, "events", "dt=2026-11-29", "hr=09");
    Path file;
    try (Stream<Path> files = Files.list(hour)) {
      file = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    return file;
  }

  private static String causeMessages(Throwable failure) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  private static Event copy(Event template, String id, String eventTime, String ingestTime, int partition, long offset) {
    return LocalWarehouse.copy(template, id, eventTime, ingestTime, partition, offset);
  }
}
