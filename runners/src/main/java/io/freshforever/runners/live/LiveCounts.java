package io.freshforever.runners.live;

import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.ServerStream;
import com.google.cloud.bigtable.data.v2.BigtableDataClient;
import com.google.cloud.bigtable.data.v2.BigtableDataSettings;
import com.google.cloud.bigtable.data.v2.models.Filters;
import com.google.cloud.bigtable.data.v2.models.Query;
import com.google.cloud.bigtable.data.v2.models.Row;
import com.google.cloud.bigtable.data.v2.models.RowCell;
import com.google.cloud.bigtable.data.v2.stub.metrics.NoopMetricsProvider;
import com.google.protobuf.ByteString;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.pipelines.live.LiveStore;
import io.freshforever.runners.Failures;
import io.freshforever.runners.stack.Reachability;
import io.freshforever.runners.stack.Unreachable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Reads the live view from Bigtable the way a dashboard does: one range scan per event type. */
public final class LiveCounts implements AutoCloseable {
  private final BigtableDataClient client;
  private final String table;

  private LiveCounts(BigtableDataClient client, String table) {
    this.client = client;
    this.table = table;
  }

  /**
   * The store, once it has answered: an unreachable store or a missing table is an {@link
   * Unreachable} now, not a hang at the first read.
   */
  public static LiveCounts connect(LiveStore store) throws IOException {
    LiveCounts live = connect(store.project(), store.instance(), store.table(), store.emulatorHost());
    String where =
        "Bigtable " + store.project() + "/" + store.instance() + " table " + store.table()
            + (store.emulatorHost() == null ? "" : " on the emulator at " + store.emulatorHost());
    try {
      live.client.readRowAsync(store.table(), "probe").get(Reachability.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return live;
    } catch (ExecutionException e) {
      live.close();
      if (e.getCause() instanceof NotFoundException) {
        throw new Unreachable(where + ": not found", e);
      }
      throw new Unreachable(where + " does not answer: " + Failures.rootMessage(e.getCause()), e);
    } catch (TimeoutException e) {
      live.close();
      throw new Unreachable(
          where + " does not answer within " + Reachability.TIMEOUT.toSeconds() + " s"
              + (store.emulatorHost() == null ? "" : " (locally: is `fresh stack` running?)"),
          e);
    } catch (InterruptedException e) {
      live.close();
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while reaching " + where, e);
    }
  }

  /** @param emulatorHost {@code host:port}, or null for the real service */
  public static LiveCounts connect(
      String project, String instance, String table, @Nullable String emulatorHost)
      throws IOException {
    return new LiveCounts(BigtableDataClient.create(settings(project, instance, emulatorHost)), table);
  }

  /** The client settings every reader and writer of the live view outside Beam uses. */
  public static BigtableDataSettings settings(
      String project, String instance, @Nullable String emulatorHost) {
    if (emulatorHost == null) {
      return BigtableDataSettings.newBuilder().setProjectId(project).setInstanceId(instance).build();
    }
    int colon = emulatorHost.lastIndexOf(':');
    return BigtableDataSettings.newBuilderForEmulator(
            emulatorHost.substring(0, colon), Integer.parseInt(emulatorHost.substring(colon + 1)))
        .setProjectId(project)
        .setInstanceId(instance)
        // The emulator has no Cloud Monitoring to export client metrics to.
        .setMetricsProvider(NoopMetricsProvider.INSTANCE)
        .build();
  }

  /** Windows of {@code eventType} starting in [from, to), oldest first. */
  public List<LiveRow> read(String eventType, Instant from, Instant to) {
    Query query =
        Query.create(table)
            .range(LiveRow.rowKey(eventType, from), LiveRow.rowKey(eventType, to))
            .filter(Filters.FILTERS.limit().cellsPerColumn(1));
    List<LiveRow> minutes = new ArrayList<>();
    ServerStream<Row> rows = client.readRows(query);
    for (Row row : rows) {
      minutes.add(toLiveRow(row));
    }
    return minutes;
  }

  /** Every row of the table: for tests and reconciliation over small ranges. */
  public List<LiveRow> readAll() {
    List<LiveRow> minutes = new ArrayList<>();
    for (Row row : client.readRows(Query.create(table).filter(Filters.FILTERS.limit().cellsPerColumn(1)))) {
      minutes.add(toLiveRow(row));
    }
    return minutes;
  }

  /** The event types with at least one row, sorted; a keys-only scan. */
  public SortedSet<String> types() {
    return new TreeSet<>(newestWindowPerType().keySet());
  }

  /** Each type with at least one row, and the start of its newest window; a keys-only scan. */
  public Map<String, Instant> newestWindowPerType() {
    Map<String, Instant> newest = new TreeMap<>();
    Query keysOnly =
        Query.create(table)
            .filter(
                Filters.FILTERS.chain()
                    .filter(Filters.FILTERS.limit().cellsPerRow(1))
                    .filter(Filters.FILTERS.value().strip()));
    for (Row row : client.readRows(keysOnly)) {
      // Keys are in order, so a type's last row is its newest window.
      newest.put(LiveRow.eventTypeOf(row.getKey()), LiveRow.windowStartOf(row.getKey()));
    }
    return newest;
  }

  /**
   * The newest counted event time of {@code types} among windows starting at or after {@code
   * since}, if any: one request with a row range per type, however many types.
   */
  public Optional<Instant> newestEventSince(Collection<String> types, Instant since) {
    if (types.isEmpty()) {
      return Optional.empty();
    }
    Instant until = Instant.now().plus(Duration.standardDays(1));
    Query recent =
        Query.create(table)
            .filter(
                Filters.FILTERS.chain()
                    .filter(Filters.FILTERS.qualifier().exactMatch(LiveRow.NEWEST_EVENT_MS))
                    .filter(Filters.FILTERS.limit().cellsPerColumn(1)));
    for (String type : types) {
      recent.range(LiveRow.rowKey(type, since), LiveRow.rowKey(type, until));
    }
    Instant newest = null;
    for (Row row : client.readRows(recent)) {
      for (RowCell cell : row.getCells(LiveRow.FAMILY, LiveRow.NEWEST_EVENT_MS)) {
        Instant rowNewest = new Instant(LiveRow.decodeLong(cell.getValue()));
        if (newest == null || rowNewest.isAfter(newest)) {
          newest = rowNewest;
        }
      }
    }
    return Optional.ofNullable(newest);
  }

  private static LiveRow toLiveRow(Row row) {
    return LiveRow.decode(row.getKey(), qualifier -> latest(row, qualifier));
  }

  private static ByteString latest(Row row, ByteString qualifier) {
    List<RowCell> cells = row.getCells(LiveRow.FAMILY, qualifier);
    if (cells.isEmpty()) {
      throw new IllegalStateException(
          "row " + row.getKey().toStringUtf8() + " has no cell " + qualifier.toStringUtf8());
    }
    return cells.get(0).getValue(); // newest first
  }

  @Override
  public void close() {
    client.close();
  }
}
