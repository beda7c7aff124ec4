package io.freshforever.runners.reconcile;

import io.freshforever.contract.EventContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The live view against the warehouse, window by window, with the reason for every difference.
 *
 * <p>The warehouse is exact; the live view may legitimately be lower for two reasons, and is never
 * legitimately higher:
 *
 * <ul>
 *   <li>{@link Kind#TOO_LATE_FOR_LIVE_VIEW}: the live count is short by no more than the number of
 *       the window's events that Kafka accepted after the window's grace period (window end plus
 *       allowed lateness). Those arrived after the live view stopped updating the window. The
 *       bound uses wall-clock time; a watermark pushed ahead by event times in the future can close
 *       a window somewhat earlier, which shows up as unexplained.
 *   <li>{@link Kind#PAST_RETENTION}: the live row is gone and the window is older than the serving
 *       store's retention (its GC policy removed it).
 * </ul>
 *
 * A window's {@value EventContract#OTHER_TYPES} row (the live view's bound on types per window)
 * is compared with the sum of the window's types without a row of their own; when that explains
 * it, those types are {@link Kind#IN_OTHER_TYPES}, else each is classified on its own. Windows still inside their
 * grace period are {@link Kind#STILL_OPEN}: the live view may still change. Anything else is {@link Kind#UNEXPLAINED}: a bug, a live path that is behind, or a day
 * not (re)loaded into the warehouse.
 */
public final class Reconciliation {
  public enum Kind {
    MATCH,
    IN_OTHER_TYPES,
    STILL_OPEN,
    TOO_LATE_FOR_LIVE_VIEW,
    PAST_RETENTION,
    UNEXPLAINED
  }

  /** One window as the warehouse sees it: its exact count, and how many arrived after grace. */
  public record WarehouseWindow(long count, long arrivedAfterGrace) {}

  /** One compared window; {@code live} is null when Bigtable has no row for it. */
  public record Row(
      String eventType,
      Instant windowStart,
      @Nullable Long live,
      long warehouse,
      long arrivedAfterGrace,
      Kind kind,
      String why) {}

  /** A window of one event type; ordered by type, then time. */
  public record Key(String eventType, Instant windowStart) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int byType = eventType.compareTo(other.eventType);
      return byType != 0 ? byType : windowStart.compareTo(other.windowStart);
    }
  }

  private final Duration window;
  private final Duration allowedLateness;
  private final Duration retention;

  public Reconciliation(Duration window, Duration allowedLateness, Duration retention) {
    this.window = window;
    this.allowedLateness = allowedLateness;
    this.retention = retention;
  }

  /** Every window that either side has, in key order. */
  public List<Row> compare(Map<Key, Long> live, Map<Key, WarehouseWindow> warehouse, Instant now) {
    Map<Instant, List<Key>> warehouseByWindow = new HashMap<>();
    warehouse.keySet().forEach(k -> warehouseByWindow.computeIfAbsent(k.windowStart(), w -> new ArrayList<>()).add(k));
    Map<Key, Row> rows = new TreeMap<>();
    for (Key other : live.keySet()) {
      if (!other.eventType().equals(EventContract.OTHER_TYPES)) {
        continue;
      }
      // The overflow row stands for the window's types without a row of their own.
      List<Key> without = new ArrayList<>();
      long count = 0;
      long afterGrace = 0;
      for (Key type : warehouseByWindow.getOrDefault(other.windowStart(), List.of())) {
        if (!live.containsKey(type)) {
          without.add(type);
          count += warehouse.get(type).count();
          afterGrace += warehouse.get(type).arrivedAfterGrace();
        }
      }
      Row otherRow = classify(other, live.get(other), new WarehouseWindow(count, afterGrace), now);
      rows.put(other, otherRow);
      if (otherRow.kind() != Kind.UNEXPLAINED) {
        for (Key type : without) {
          WarehouseWindow exact = warehouse.get(type);
          rows.put(type, new Row(type.eventType(), type.windowStart(), null, exact.count(), exact.arrivedAfterGrace(),
              Kind.IN_OTHER_TYPES, "counted in " + EventContract.OTHER_TYPES + ": the type had no place in the live view"));
        }
      }
    }
    TreeSet<Key> keys = new TreeSet<>(live.keySet());
    keys.addAll(warehouse.keySet());
    for (Key key : keys) {
      rows.computeIfAbsent(key, k -> classify(k, live.get(k), warehouse.getOrDefault(k, new WarehouseWindow(0, 0)), now));
    }
    return new ArrayList<>(rows.values());
  }

  private Row classify(Key key, @Nullable Long live, WarehouseWindow exact, Instant now) {
    long liveCount = live == null ? 0 : live;
    long missing = exact.count() - liveCount;
    Instant end = key.windowStart().plus(window);
    Kind kind;
    String why;
    if (missing == 0) {
      kind = Kind.MATCH;
      why = "";
    } else if (end.plus(allowedLateness).isAfter(now)) {
      kind = Kind.STILL_OPEN;
      why = "the window takes late events until " + end.plus(allowedLateness);
    } else if (live == null && !end.plus(retention).isAfter(now)) {
      kind = Kind.PAST_RETENTION;
      why = "the serving store keeps windows for " + retention.getStandardHours() + " h";
    } else if (missing > 0 && missing <= exact.arrivedAfterGrace()) {
      kind = Kind.TOO_LATE_FOR_LIVE_VIEW;
      why =
          missing + " of the " + exact.arrivedAfterGrace()
              + " events Kafka accepted after the grace period (" + end.plus(allowedLateness) + ")";
    } else if (missing < 0) {
      kind = Kind.UNEXPLAINED;
      why =
          "the live view counts " + -missing + " more than the exact history: duplicates counted"
              + " twice, or the warehouse day is not (re)loaded";
    } else {
      kind = Kind.UNEXPLAINED;
      why =
          "the live view misses " + missing + ", only " + exact.arrivedAfterGrace()
              + " arrived after grace: events lost or the live path is behind";
    }
    return new Row(key.eventType(), key.windowStart(), live, exact.count(), exact.arrivedAfterGrace(), kind, why);
  }
}
