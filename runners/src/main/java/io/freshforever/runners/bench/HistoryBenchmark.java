package io.freshforever.runners.bench;

import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.stack.Folders;
import io.freshforever.runners.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The history path against DuckDB alone on the same lake files: {@code fresh batch} as a user runs
 * it (a process of its own, JVM start included, into a fresh DuckDB warehouse) and, on the same
 * files, the SQL an analyst would write instead: {@code read_parquet}, {@code row_number()} over
 * {@code event_id} keeping the earliest copy, and the per-minute counts. The lake is written by the
 * lake writer from a backlog of the generator's default mix, as in production.
 */
public final class HistoryBenchmark {
  private static final Duration LAKE_LIMIT = Duration.ofMinutes(30);

  /** {@code batchDistinct} and {@code sqlDistinct}: events each put in the warehouse (must agree). */
  public record Result(long lakeRows, double batchSeconds, long batchDistinct, double sqlSeconds, long sqlDistinct) {
    public double ratio() {
      return sqlSeconds / batchSeconds;
    }
  }

  private HistoryBenchmark() {}

  public static List<Result> run(List<Long> sizes, Consumer<String> progress) throws Exception {
    List<Result> results = new ArrayList<>();
    for (long rows : sizes) {
      if (rows <= 0) {
        continue;
      }
      Path dir = Files.createTempDirectory("fresh-bench-history");
      try (LocalStack stack = LocalStack.startOnFreePorts(dir)) {
        Path lake = writeLake(stack, dir, rows);
        Path warehouse = dir.resolve("warehouse.duckdb");
        long start = System.nanoTime();
        runFreshBatch(dir, lake, warehouse);
        double batchSeconds = (System.nanoTime() - start) / 1e9;
        long batchDistinct = count(warehouse, "SELECT count(*) FROM events");

        start = System.nanoTime();
        long sqlDistinct = duckDbAlone(lake, dir.resolve("sql.duckdb"));
        double sqlSeconds = (System.nanoTime() - start) / 1e9;
        Result result = new Result(rows, batchSeconds, batchDistinct, sqlSeconds, sqlDistinct);
        progress.accept(describe(result));
        results.add(result);
      } finally {
        Folders.deleteRecursively(dir); // 10M rows leave ~11 GB of broker log, lake and warehouses
      }
    }
    return results;
  }

  static String describe(Result r) {
    return String.format(
        "history, %,d lake rows: fresh batch %.1f s (%,d events), DuckDB SQL %.2f s (%,d events): %.2fx",
        r.lakeRows(), r.batchSeconds(), r.batchDistinct(), r.sqlSeconds(), r.sqlDistinct(), r.ratio());
  }

  private static Path writeLake(LocalStack stack, Path dir, long rows) throws Exception {
    String topic = "history";
    stack.kafka.createTopic(topic, 4);
    try (EventGenerator generator =
        new EventGenerator(
            EventGenerator.Settings.defaultMix(stack.kafka.bootstrapServers(), topic).withSeed(3L))) {
      generator.produce(rows, 0, Long.MAX_VALUE, () -> {});
    }
    Path lake = dir.resolve("lake");
    stack.runLakeConnector(topic, lake, Duration.ofSeconds(10), 4);
    if (!stack.awaitLakeCaughtUp(topic, LAKE_LIMIT)) {
      throw new IllegalStateException("the lake connector did not write " + rows + " records in " + LAKE_LIMIT);
    }
    return lake;
  }

  /** {@code fresh batch} in a JVM of its own, on this one's classpath, as the launcher runs it. */
  private static void runFreshBatch(Path dir, Path lake, Path warehouse)
      throws IOException, InterruptedException {
    Path log = dir.resolve("fresh-batch.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx4g",
                "-cp",
                System.getProperty("java.class.path"),
                "io.freshforever.runners.Fresh",
                "batch",
                "--lake=" + lake,
                "--warehouse=duckdb:" + warehouse)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("fresh batch failed; its output is in " + log);
    }
  }

  private static long duckDbAlone(Path lake, Path database) throws SQLException {
    String files = lake.resolve("events").toString() + "/**/*.parquet";
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
        Statement sql = connection.createStatement()) {
      sql.execute(
          "CREATE TABLE events AS SELECT * EXCLUDE (payload, copy) FROM ("
              + " SELECT *, row_number() OVER (PARTITION BY event_id"
              + "   ORDER BY ingest_time, kafka_partition, kafka_offset) AS copy"
              + " FROM read_parquet('" + files + "')) WHERE copy = 1");
      sql.execute(
          "CREATE TABLE event_counts_minute AS SELECT event_type,"
              + " time_bucket(INTERVAL 1 MINUTE, event_time) AS window_start, count(*) AS count"
              + " FROM events GROUP BY ALL");
      return count(sql, "SELECT count(*) FROM events");
    }
  }

  private static long count(Path database, String query) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
        Statement sql = connection.createStatement()) {
      return count(sql, query);
    }
  }

  private static long count(Statement sql, String query) throws SQLException {
    try (ResultSet rows = sql.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
