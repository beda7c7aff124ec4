package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.pipelines.live.LiveStore;
import io.freshforever.pipelines.options.LiveStoreOptions;
import io.freshforever.runners.live.LiveCounts;
import java.util.List;
import java.util.concurrent.Callable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "counts",
    mixinStandardHelpOptions = true,
    modelTransformer = PipelineFlags.class,
    description = {
      "Reads the live counts of one event type from Bigtable, as a dashboard does. Without",
      "--bigtableProject it reads the local stack's emulator."
    })
final class CountsCommand implements Callable<Integer>, PipelineFlags.Command {
  /** The window the live view's rows hold; the readers read the contract's only (LiveViewFlags). */
  private static final Duration WINDOW = EventContract.DEFAULT_WINDOW;

  @Spec CommandSpec spec;

  @Option(names = "--type", required = true, description = "The event type.")
  String type;

  @Option(names = "--minutes", description = "How many recent minutes (default: ${DEFAULT-VALUE}).")
  int minutes = 10;

  @Override
  public Class<LiveStoreOptions> optionsType() {
    return LiveStoreOptions.class;
  }

  @Override
  public Integer call() throws Exception {
    LiveStore store;
    try {
      store = LiveStore.from(BeamArgs.forReader(PipelineFlags.given(spec), LiveStoreOptions.class));
    } catch (IllegalArgumentException e) {
      System.err.println("fresh counts: " + e.getMessage());
      return 2;
    }
    if (!EventContract.isLiveViewType(type)) {
      System.err.println("fresh counts: --type must match " + EventContract.EVENT_TYPE_PATTERN
          + " or be " + EventContract.OTHER_TYPES + ": " + type);
      return 2;
    }
    if (minutes < 1) {
      System.err.println("fresh counts: --minutes must be at least 1");
      return 2;
    }
    Instant now = Instant.now();
    Instant to = new Instant(now.getMillis() - now.getMillis() % WINDOW.getMillis()).plus(WINDOW);
    Instant from = to.minus(Duration.standardMinutes(minutes));
    try (LiveCounts counts = LiveCounts.connect(store)) {
      List<LiveRow> rows = counts.read(type, from, to);
      System.out.printf("%-20s %10s  %-8s %9s%n", "minute (UTC)", "count", "pane", "fresh (s)");
      for (LiveRow m : rows) {
        System.out.printf(
            "%-20s %,10d  %-8s %9.1f%n",
            m.windowStart().toString().substring(0, 16),
            m.count(),
            m.pane(),
            (m.updated().getMillis() - m.newestEvent().getMillis()) / 1000.0);
      }
      if (rows.isEmpty()) {
        System.out.println("(no counts for " + type + " in the last " + minutes + " minutes)");
      }
    }
    return 0;
  }
}
