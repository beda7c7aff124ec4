package io.freshforever.runners.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.EventContract;
import java.util.Map;
import java.util.TreeMap;
import org.joda.time.Instant;
import org.junit.Test;

/** Past its bound the index keeps the overflow row and the types counted most recently. */
public class TypeIndexTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @Test
  public void typesThatFitAreAllListedByName() {
    TypeIndex.Types listed = TypeIndex.listed(new TreeMap<>(Map.of("view", NOW, "click", NOW.minus(60_000))));
    assertEquals(java.util.List.of("click", "view"), listed.names());
    assertFalse(listed.truncated());
  }

  @Test
  public void oldRowsAndNamesThatSortFirstDoNotPushOutTheTypesCountedNow() {
    Map<String, Instant> newest = new TreeMap<>();
    for (int i = 0; i < TypeIndex.MAX_TYPES; i++) {
      // A flood of an hour ago, with names that sort before the real types.
      newest.put(String.format("aaa-%04d", i), NOW.minus(3_600_000));
    }
    newest.put("click", NOW);
    newest.put(EventContract.OTHER_TYPES, NOW.minus(7_200_000));

    TypeIndex.Types listed = TypeIndex.listed(newest);

    assertTrue(listed.truncated());
    assertEquals(TypeIndex.MAX_TYPES, listed.names().size());
    assertTrue(listed.names().contains("click"));
    assertTrue(listed.names().contains(EventContract.OTHER_TYPES));
    assertEquals("aaa-0000", listed.names().get(0));
    assertFalse("the flood's last names make room", listed.names().contains("aaa-0998"));
  }
}
