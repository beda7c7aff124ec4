package io.freshforever.pipelines.live;

import static org.junit.Assert.assertEquals;

import com.google.bigtable.v2.Mutation;
import com.google.protobuf.ByteString;
import io.freshforever.contract.WindowCount;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.junit.Test;

public class LiveRowTest {
  private static Instant at(String time) {
    return Instant.parse("2026-11-29T" + time + "Z");
  }

  private static final WindowCount PANE =
      new WindowCount(
          "page.view", at("10:07:00"), at("10:08:00"), 300L, at("10:07:59.250"), Timing.LATE, 7, false);

  @Test
  public void onePaneOverwritesFourCellsOfItsRowAtOneTimestamp() {
    KV<ByteString, Iterable<Mutation>> write = LiveRow.mutationsOf(PANE, 1_764_411_000_123L);

    assertEquals("page.view#202611291007", write.getKey().toStringUtf8());
    List<Mutation> cells = new ArrayList<>();
    write.getValue().forEach(cells::add);
    assertEquals(4, cells.size());
    long expectedMicros = (at("10:07:00").getMillis() + 300) * 1000; // window start + count
    for (Mutation m : cells) {
      assertEquals("only overwrites, never increments", Mutation.MutationCase.SET_CELL, m.getMutationCase());
      assertEquals("c", m.getSetCell().getFamilyName());
      assertEquals(expectedMicros, m.getSetCell().getTimestampMicros());
    }
    assertEquals("count", cells.get(0).getSetCell().getColumnQualifier().toStringUtf8());
    assertEquals(
        ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 1, 44}), cells.get(0).getSetCell().getValue());
    assertEquals("updated_ms", cells.get(1).getSetCell().getColumnQualifier().toStringUtf8());
    assertEquals(1_764_411_000_123L, LiveRow.decodeLong(cells.get(1).getSetCell().getValue()));
    assertEquals("newest_event_ms", cells.get(2).getSetCell().getColumnQualifier().toStringUtf8());
    assertEquals(at("10:07:59.250").getMillis(), LiveRow.decodeLong(cells.get(2).getSetCell().getValue()));
    assertEquals("pane", cells.get(3).getSetCell().getColumnQualifier().toStringUtf8());
    assertEquals("LATE", cells.get(3).getSetCell().getValue().toStringUtf8());
  }

  @Test
  public void aRetriedWriteIsIdenticalSoItCannotDoubleCount() {
    assertEquals(LiveRow.mutationsOf(PANE, 5L), LiveRow.mutationsOf(PANE, 5L));
  }

  @Test
  public void largerCountsOfAWindowGetLaterCellTimestamps() {
    long previous = -1;
    for (long count = 0; count < 700; count++) {
      long ts = LiveRow.cellTimestampMicros(at("10:07:00"), count);
      assertEquals("Bigtable wants millisecond granularity", 0, ts % 1000);
      assertEquals(true, ts > previous);
      previous = ts;
    }
  }

  @Test
  public void rowKeysSortByTypeThenTime() {
    assertEquals("click#202611291000", LiveRow.rowKey("click", at("10:00:00")).toStringUtf8());
    assertEquals(
        "a window off the minute keeps its seconds",
        "click#20261129100030",
        LiveRow.rowKey("click", at("10:00:30")).toStringUtf8());
    assertEquals(-7L, LiveRow.decodeLong(LiveRow.encodeLong(-7L)));
    for (String time : new String[] {"10:00:00", "10:00:30"}) {
      ByteString key = LiveRow.rowKey("page.view", at(time));
      assertEquals("page.view", LiveRow.eventTypeOf(key));
      assertEquals(at(time), LiveRow.windowStartOf(key));
    }
  }
}
