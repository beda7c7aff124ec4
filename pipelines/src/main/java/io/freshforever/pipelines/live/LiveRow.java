package io.freshforever.pipelines.live;

import com.google.bigtable.v2.Mutation;
import com.google.protobuf.ByteString;
import io.freshforever.contract.WindowCount;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * One row of the serving store (docs/CONTRACT.md), and its one codec: the pipeline's writes, every
 * reader (dashboard, {@code fresh counts}, reconcile), replay and the tests encode and decode rows
 * only here. Table {@value #TABLE}, one row per event type and window, family {@value #FAMILY}.
 *
 * <p>Row keys start with the event type, so a dashboard reads the last N minutes of one type as a
 * single contiguous range scan.
 */
public record LiveRow(
    String eventType, Instant windowStart, long count, String pane, Instant updated, Instant newestEvent) {

  public static final String TABLE = "event_counts";
  public static final String FAMILY = "c";
  /** The deduplicated count so far: 8-byte big-endian signed long, Bigtable's counter encoding. */
  public static final ByteString COUNT = ByteString.copyFromUtf8("count");
  /** Epoch millis (8-byte big-endian) when the pipeline wrote this pane. */
  public static final ByteString UPDATED_MS = ByteString.copyFromUtf8("updated_ms");
  /** Epoch millis (8-byte big-endian) of the newest event counted: the count's freshness. */
  public static final ByteString NEWEST_EVENT_MS = ByteString.copyFromUtf8("newest_event_ms");
  /** The pane's timing, {@code EARLY}, {@code ON_TIME} or {@code LATE}, as UTF-8. */
  public static final ByteString PANE = ByteString.copyFromUtf8("pane");

  /** Deletes every cell of a row. */
  public static final Mutation DELETE_ROW =
      Mutation.newBuilder().setDeleteFromRow(Mutation.DeleteFromRow.getDefaultInstance()).build();

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  /**
   * The mutations that write one pane. Each pane overwrites the accumulated count; nothing is ever
   * incremented, so a retried write cannot double-count. All cells share one timestamp that grows
   * with the count ({@link #cellTimestampMicros}).
   */
  public static KV<ByteString, Iterable<Mutation>> mutationsOf(WindowCount count, long writeMillis) {
    return KV.of(rowKey(count.eventType(), count.windowStart()), cellsOf(count, writeMillis));
  }

  /** As {@link #mutationsOf}, after deleting the whole row in the same atomic mutation. */
  public static KV<ByteString, Iterable<Mutation>> replacingMutationsOf(WindowCount count, long writeMillis) {
    List<Mutation> mutations = new ArrayList<>();
    mutations.add(DELETE_ROW);
    mutations.addAll(cellsOf(count, writeMillis));
    return KV.of(rowKey(count.eventType(), count.windowStart()), mutations);
  }

  /**
   * The row as stored, from its key and the newest cell of each column ({@code newestCell} throws
   * when a column has none): the one decoding that the Beam readers and the client readers share.
   */
  public static LiveRow decode(ByteString rowKey, Function<ByteString, ByteString> newestCell) {
    return new LiveRow(
        eventTypeOf(rowKey),
        windowStartOf(rowKey),
        decodeLong(newestCell.apply(COUNT)),
        newestCell.apply(PANE).toStringUtf8(),
        new Instant(decodeLong(newestCell.apply(UPDATED_MS))),
        new Instant(decodeLong(newestCell.apply(NEWEST_EVENT_MS))));
  }

  /**
   * {@code {event_type}#{yyyyMMddHHmm}} of the window start in UTC. A window that does not start on
   * a whole minute (only with a non-default window size) gets {@code yyyyMMddHHmmss}, which still
   * sorts in time order and never collides with a minute key.
   */
  public static ByteString rowKey(String eventType, Instant windowStart) {
    java.time.Instant start = java.time.Instant.ofEpochMilli(windowStart.getMillis());
    String time =
        windowStart.getMillis() % 60_000 == 0 ? MINUTE.format(start) : SECOND.format(start);
    return ByteString.copyFromUtf8(eventType + "#" + time);
  }

  /** The event type of a row key: the inverse of {@link #rowKey}'s first half. */
  public static String eventTypeOf(ByteString rowKey) {
    String key = rowKey.toStringUtf8();
    return key.substring(0, separatorOf(key));
  }

  /** The window start of a row key: the inverse of {@link #rowKey}'s second half. */
  public static Instant windowStartOf(ByteString rowKey) {
    String key = rowKey.toStringUtf8();
    String time = key.substring(separatorOf(key) + 1);
    DateTimeFormatter format = time.length() == 12 ? MINUTE : SECOND;
    return new Instant(java.time.Instant.from(format.parse(time)).toEpochMilli());
  }

  private static int separatorOf(String key) {
    int hash = key.indexOf('#');
    if (hash <= 0) {
      throw new IllegalArgumentException("not a live-view row key: " + key);
    }
    return hash;
  }

  public static ByteString encodeLong(long value) {
    return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
  }

  public static long decodeLong(ByteString bytes) {
    if (bytes.size() != Long.BYTES) {
      throw new IllegalArgumentException("expected 8 bytes, got " + bytes.size());
    }
    return bytes.asReadOnlyByteBuffer().getLong();
  }

  /**
   * The cell timestamp of a pane: window start plus the pane's count, in micros at millisecond
   * granularity (Bigtable's). A window's count only grows within a job, and any job's count of a
   * window is at most its exact count, so "the cell with the highest timestamp wins" makes the row
   * show the largest count any job ever wrote: a retried write of an older pane, or the partial
   * recount of a job restarted without state, can never hide a larger count (a pane index would
   * start again at 0 in a new job). It stays near wall time, so an age-based GC policy works.
   */
  public static long cellTimestampMicros(Instant windowStart, long count) {
    return (windowStart.getMillis() + count) * 1000L;
  }

  private static List<Mutation> cellsOf(WindowCount count, long writeMillis) {
    long timestamp = cellTimestampMicros(count.windowStart(), count.count());
    return List.of(
        setCell(COUNT, encodeLong(count.count()), timestamp),
        setCell(UPDATED_MS, encodeLong(writeMillis), timestamp),
        setCell(NEWEST_EVENT_MS, encodeLong(count.newestEventTime().getMillis()), timestamp),
        setCell(PANE, ByteString.copyFrom(count.timing().name(), StandardCharsets.UTF_8), timestamp));
  }

  private static Mutation setCell(ByteString qualifier, ByteString value, long timestampMicros) {
    return Mutation.newBuilder()
        .setSetCell(
            Mutation.SetCell.newBuilder()
                .setFamilyName(FAMILY)
                .setColumnQualifier(qualifier)
                .setTimestampMicros(timestampMicros)
                .setValue(value))
        .build();
  }
}
