package io.freshforever.runners.reconcile;

import static org.junit.Assert.assertEquals;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.reconcile.Reconciliation.Key;
import io.freshforever.runners.reconcile.Reconciliation.Kind;
import io.freshforever.runners.reconcile.Reconciliation.WarehouseWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

public class ReconciliationTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:30Z");
  private static final Reconciliation RECONCILIATION =
      new Reconciliation(Duration.standardMinutes(1), Duration.standardMinutes(10), Duration.standardHours(48));

  private static Key key(String type, String minute) {
    return new Key(type, Instant.parse(minute));
  }

  /** Each compared window as "type start live/warehouse kind". */
  private static List<String> compared(Map<Key, Long> live, Map<Key, WarehouseWindow> warehouse) {
    List<String> rows = new ArrayList<>();
    for (Reconciliation.Row row : RECONCILIATION.compare(live, warehouse, NOW)) {
      rows.add(row.eventType() + " " + row.windowStart() + " " + row.live() + "/" + row.warehouse() + " " + row.kind());
    }
    return rows;
  }

  @Test
  public void everyKindOfDifferenceIsClassified() {
    Map<Key, Long> live =
        Map.of(
            key("click", "2026-11-29T10:00:00Z"), 10L, // matches
            key("click", "2026-11-29T10:01:00Z"), 8L, // 2 short, 3 arrived after grace
            key("click", "2026-11-29T10:02:00Z"), 5L, // 3 short, only 1 after grace
            key("view", "2026-11-29T10:00:00Z"), 4L, // more than the warehouse
            key("view", "2026-11-29T11:55:00Z"), 1L); // short, but still open (grace ends 12:06)
    Map<Key, WarehouseWindow> warehouse =
        Map.of(
            key("click", "2026-11-29T10:00:00Z"), new WarehouseWindow(10, 0),
            key("click", "2026-11-29T10:01:00Z"), new WarehouseWindow(10, 3),
            key("click", "2026-11-29T10:02:00Z"), new WarehouseWindow(8, 1),
            key("view", "2026-11-29T10:00:00Z"), new WarehouseWindow(3, 0),
            key("view", "2026-11-29T11:55:00Z"), new WarehouseWindow(2, 0),
            key("buy", "2026-11-27T09:00:00Z"), new WarehouseWindow(7, 0), // no live row, 51 h old
            key("buy", "2026-11-29T09:00:00Z"), new WarehouseWindow(2, 2), // no live row, all too late
            key("buy", "2026-11-29T09:01:00Z"), new WarehouseWindow(2, 0)); // no live row, none late

    List<String> got = compared(live, warehouse);

    assertEquals(
        List.of(
            "buy 2026-11-27T09:00:00.000Z null/7 " + Kind.PAST_RETENTION,
            "buy 2026-11-29T09:00:00.000Z null/2 " + Kind.TOO_LATE_FOR_LIVE_VIEW,
            "buy 2026-11-29T09:01:00.000Z null/2 " + Kind.UNEXPLAINED,
            "click 2026-11-29T10:00:00.000Z 10/10 " + Kind.MATCH,
            "click 2026-11-29T10:01:00.000Z 8/10 " + Kind.TOO_LATE_FOR_LIVE_VIEW,
            "click 2026-11-29T10:02:00.000Z 5/8 " + Kind.UNEXPLAINED,
            "view 2026-11-29T10:00:00.000Z 4/3 " + Kind.UNEXPLAINED,
            "view 2026-11-29T11:55:00.000Z 1/2 " + Kind.STILL_OPEN),
        got);
  }

  @Test
  public void theOverflowRowStandsForTheTypesWithoutAPlace() {
    String other = EventContract.OTHER_TYPES;
    Map<Key, Long> live =
        Map.of(
            key("click", "2026-11-29T10:00:00Z"), 10L,
            key(other, "2026-11-29T10:00:00Z"), 7L, // new-1 and new-2, one of new-2 too late
            key(other, "2026-11-29T10:01:00Z"), 9L); // new-1 only has 4: 5 more than the warehouse, so
                                                     // neither is explained
    Map<Key, WarehouseWindow> warehouse =
        Map.of(
            key("click", "2026-11-29T10:00:00Z"), new WarehouseWindow(10, 0),
            key("new-1", "2026-11-29T10:00:00Z"), new WarehouseWindow(3, 0),
            key("new-2", "2026-11-29T10:00:00Z"), new WarehouseWindow(5, 1),
            key("new-1", "2026-11-29T10:01:00Z"), new WarehouseWindow(4, 0),
            key("new-3", "2026-11-29T10:02:00Z"), new WarehouseWindow(2, 0)); // no overflow row there

    List<String> got = compared(live, warehouse);

    assertEquals(
        List.of(
            "click 2026-11-29T10:00:00.000Z 10/10 " + Kind.MATCH,
            "new-1 2026-11-29T10:00:00.000Z null/3 " + Kind.IN_OTHER_TYPES,
            "new-1 2026-11-29T10:01:00.000Z null/4 " + Kind.UNEXPLAINED, // ~other does not explain it
            "new-2 2026-11-29T10:00:00.000Z null/5 " + Kind.IN_OTHER_TYPES,
            "new-3 2026-11-29T10:02:00.000Z null/2 " + Kind.UNEXPLAINED,
            other + " 2026-11-29T10:00:00.000Z 7/8 " + Kind.TOO_LATE_FOR_LIVE_VIEW,
            other + " 2026-11-29T10:01:00.000Z 9/4 " + Kind.UNEXPLAINED),
        got);
  }

  @Test
  public void aLiveRowWithoutWarehouseRowsIsUnexplainedEvenWhenOld() {
    List<Reconciliation.Row> rows =
        RECONCILIATION.compare(Map.of(key("click", "2026-11-20T10:00:00Z"), 3L), Map.of(), NOW);
    assertEquals(1, rows.size());
    assertEquals(Kind.UNEXPLAINED, rows.get(0).kind());
    assertEquals(0, rows.get(0).warehouse());
  }
}
