package io.freshforever.runners.dashboard;

import io.freshforever.runners.live.LiveCounts;
import io.freshforever.contract.EventContract;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The event types the dashboard knows of: the live view's types, listed from the store at most
 * every {@link #REFRESH} and at most {@link #MAX_TYPES} of them (sorted by name), so that a flood of new
 * types makes neither {@code /api/types} nor {@code /api/health} read the store more often or
 * answer with more. A type new to the store shows within {@link #REFRESH}.
 */
final class TypeIndex {
  static final int MAX_TYPES = 1_000;
  static final Duration REFRESH = Duration.standardSeconds(5);

  /** The types as last listed, and whether there were more. */
  record Types(List<String> names, boolean truncated) {}

  private final LiveCounts counts;
  private Types current;
  private Instant listedAt = new Instant(0);

  TypeIndex(LiveCounts counts) {
    this.counts = counts;
  }

  synchronized Types types() {
    Instant now = Instant.now();
    // An empty index is listed again at once: a store with no types costs nothing to ask.
    if (current == null || current.names().isEmpty() || listedAt.plus(REFRESH).isBefore(now)) {
      current = listed(counts.newestWindowPerType());
      listedAt = now;
    }
    return current;
  }

  /**
   * All types when they fit; else the overflow row and the types with the newest windows, so that
   * neither old rows nor names that sort first push out the types being counted now.
   */
  static Types listed(Map<String, Instant> newestWindowPerType) {
    if (newestWindowPerType.size() <= MAX_TYPES) {
      return new Types(List.copyOf(newestWindowPerType.keySet()), false);
    }
    Comparator<Map.Entry<String, Instant>> first =
        Comparator.<Map.Entry<String, Instant>, Boolean>comparing(e -> !e.getKey().equals(EventContract.OTHER_TYPES))
            .thenComparing(Map.Entry::getValue, Comparator.reverseOrder())
            .thenComparing(Map.Entry::getKey);
    List<String> kept =
        newestWindowPerType.entrySet().stream().sorted(first).limit(MAX_TYPES).map(Map.Entry::getKey).sorted().toList();
    return new Types(kept, true);
  }
}
