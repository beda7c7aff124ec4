package io.freshforever.pipelines.batch;

import io.freshforever.contract.Event;
import io.freshforever.testing.GoldenLog;
import java.io.File;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Instant;

/** A lake folder and a DuckDB warehouse beside it, loaded by the history path on the DirectRunner. */
final class LocalWarehouse {
  private static final String EVENTS_BY_ID =
      "SELECT event_id, event_type, epoch_ms(event_time), coalesce(user_id, ''), kafka_partition,"
          + " kafka_offset FROM events ORDER BY event_id";
  private static final String COUNTS =
      "SELECT event_type, epoch_ms(window_start), count FROM event_counts_minute ORDER BY 1, 2";

  final String lake;
  final String warehouse;

  LocalWarehouse(File root) {
    this.lake = root + "/lake";
    this.warehouse = root + "/warehouse.duckdb";
  }

  /** Loads the days whose lake files changed, or {@code --from}/{@code --to} in {@code extra}. */
  PipelineResult loadChanged(String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--runner=DirectRunner", "--lake=" + lake, "--warehouse=duckdb:" + warehouse));
    Collections.addAll(args, extra);
    BatchPipelineOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).withValidation().as(BatchPipelineOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    BatchPipeline.build(pipeline, options);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result;
  }

  PipelineResult loadRange(String from, String to, String... extra) {
    List<String> args = new ArrayList<>(List.of("--from=" + from, "--to=" + to));
    Collections.addAll(args, extra);
    return loadChanged(args.toArray(new String[0]));
  }

  /** {@code id,type,eventTime,userId,partition,offset} per row, by id, the time as an ISO instant. */
  List<String> events() throws SQLException {
    return query(EVENTS_BY_ID).stream()
        .map(row -> {
          String[] cells = row.split(",", -1);
          cells[2] = java.time.Instant.ofEpochMilli(Long.parseLong(cells[2])).toString();
          return String.join(",", cells);
        })
        .collect(Collectors.toList());
  }

  /** {@code type,minute} to count. */
  Map<String, Long> counts() throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    for (String row : query(COUNTS)) {
      String[] cells = row.split(",");
      counts.put(cells[0] + "," + new Instant(Long.parseLong(cells[1])), Long.parseLong(cells[2]));
    }
    return counts;
  }

  List<String> query(String sql) throws SQLException {
    return WarehouseDump.query(warehouse, sql);
  }

  /** The golden log's expected {@code events} rows, in {@link #events()}'s form. */
  static List<String> goldenEvents() {
    return GoldenLog.rows("expected_warehouse_events.csv").stream()
        .map(line -> {
          String[] cells = line.split(",", -1);
          cells[2] = java.time.Instant.parse(cells[2]).toString();
          return String.join(",", cells);
        })
        .collect(Collectors.toList());
  }

  static Event copy(Event template, String id, String eventTime, String ingestTime, int partition, long offset) {
    return template.toBuilder()
        .eventId(id)
        .eventTime(Instant.parse(eventTime))
        .ingestTime(Instant.parse(ingestTime))
        .kafkaPartition(partition)
        .kafkaOffset(offset)
        .build();
  }
}
