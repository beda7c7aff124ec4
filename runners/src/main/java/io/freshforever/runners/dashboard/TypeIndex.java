package io.freshforever.runners.dashboard;

import io.freshforever.runners.live.LiveCounts;
import java.util.List;
import java.util.SortedSet;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The event types the dashboard knows of: the live view's types, listed from the store at most
 * every {@link #REFRESH} and at most {@link #MAX_TYPES} of them (sorted), so that a flood of new
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
      SortedSet<String> all = counts.types();
      current = new Types(all.stream().limit(MAX_TYPES).toList(), all.size() > MAX_TYPES);
      listedAt = now;
    }
    return current;
  }
}
