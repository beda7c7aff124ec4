package io.freshforever.runners;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.pipelines.live.LiveStore;
import io.freshforever.pipelines.options.LiveViewOptions;
import io.freshforever.pipelines.options.WindowBoundary;
import io.freshforever.pipelines.warehouse.WarehouseTarget;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.reconcile.Reconciliation.Kind;
import io.freshforever.runners.reconcile.Reconciliation;
import io.freshforever.runners.reconcile.WarehouseWindows;
import java.io.IOException;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    modelTransformer = PipelineFlags.class,
    description = {
      "Compares the live counts in Bigtable with the warehouse per event type and minute, and",
      "explains every difference: events too late for the live view, windows past the serving",
      "store's retention, windows still open to late events. Exit code 1 if any is unexplained."
    })
final class ReconcileCommand implements Callable<Integer>, PipelineFlags.Command {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, description = "First minute, inclusive: ISO instant, e.g. 2026-11-29T10:00:00Z.")
  String from;

  @Option(names = "--to", required = true, description = "Minute to stop before, exclusive: ISO instant.")
  String to;

  @Option(
      names = "--warehouse",
      description = "The warehouse, duckdb:PATH or bigquery:PROJECT:DATASET (default: ${DEFAULT-VALUE}).")
  String warehouse = EventContract.LOCAL_WAREHOUSE_TARGET;

  @Option(names = "--retentionHours", description = "The serving store's retention (default: ${DEFAULT-VALUE}).")
  long retentionHours = EventContract.LIVE_RETENTION_HOURS;

  @Option(names = "--all", description = "List matching windows too.")
  boolean all;

  @Option(names = "--json", description = "Print JSON (every window and a summary) instead of a table.")
  boolean json;

  @Override
  public Class<LiveViewOptions> optionsType() {
    return LiveViewOptions.class;
  }

  @Override
  public Integer call() throws Exception {
    Instant start;
    Instant end;
    LiveViewOptions view;
    WarehouseTarget target;
    try {
      view = LiveViewFlags.parse(spec);
      target = WarehouseTarget.parse(warehouse);
      start = WindowBoundary.parse("--from", from, EventContract.DEFAULT_WINDOW);
      end = WindowBoundary.parse("--to", to, EventContract.DEFAULT_WINDOW);
    } catch (IllegalArgumentException e) {
      System.err.println("fresh reconcile: " + e.getMessage());
      return 2;
    }
    if (!start.isBefore(end)) {
      System.err.println("fresh reconcile: --to must be after --from");
      return 2;
    }
    Duration lateness = Duration.standardSeconds(view.getAllowedLatenessSeconds());
    Map<Reconciliation.Key, Long> live = new TreeMap<>();
    Map<Reconciliation.Key, Reconciliation.WarehouseWindow> exact;
    try {
      // The warehouse first: its answer is the slower, and the one the live view is judged by.
      exact = WarehouseWindows.read(target, start, end, lateness);
      try (LiveCounts counts = LiveCounts.connect(LiveStore.from(view))) {
        for (LiveRow minute : counts.readAll()) {
          if (!minute.windowStart().isBefore(start) && minute.windowStart().isBefore(end)) {
            live.put(new Reconciliation.Key(minute.eventType(), minute.windowStart()), minute.count());
          }
        }
      }
    } catch (SQLException | IOException | RuntimeException cannotRead) {
      // No comparison is possible: say why in one line, with an exit code apart from "unexplained".
      System.err.println("fresh reconcile: cannot compare: " + Failures.rootMessage(cannotRead));
      return 2;
    }
    List<Reconciliation.Row> rows =
        new Reconciliation(EventContract.DEFAULT_WINDOW, lateness, Duration.standardHours(retentionHours))
            .compare(live, exact, Instant.now());
    Map<Kind, Integer> summary = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      summary.put(kind, 0);
    }
    rows.forEach(row -> summary.merge(row.kind(), 1, Integer::sum));
    if (json) {
      printJson(rows, summary);
    } else {
      printTable(rows, summary);
    }
    return summary.get(Kind.UNEXPLAINED) > 0 ? 1 : 0;
  }

  private void printTable(List<Reconciliation.Row> rows, Map<Kind, Integer> summary) {
    String format = "%-16s %-17s %10s %10s %10s %10s  %-22s %s%n";
    System.out.printf(format, "event_type", "minute (UTC)", "live", "warehouse", "missing", "late", "class", "why");
    for (Reconciliation.Row row : rows) {
      if (all || row.kind() != Kind.MATCH) {
        System.out.printf(
            format,
            row.eventType(),
            row.windowStart().toString().substring(0, 16),
            row.live() == null ? "-" : String.format("%,d", row.live()),
            String.format("%,d", row.warehouse()),
            String.format("%,d", row.warehouse() - (row.live() == null ? 0 : row.live())),
            String.format("%,d", row.arrivedAfterGrace()),
            row.kind(),
            row.why());
      }
    }
    StringBuilder line = new StringBuilder(rows.size() + " windows:");
    summary.forEach((kind, n) -> line.append(' ').append(kind).append('=').append(n));
    System.out.println(line);
  }

  private static void printJson(List<Reconciliation.Row> rows, Map<Kind, Integer> summary) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    ObjectNode counts = root.putObject("summary");
    summary.forEach((kind, n) -> counts.put(kind.name(), n));
    ArrayNode windows = root.putArray("windows");
    for (Reconciliation.Row row : rows) {
      ObjectNode w = windows.addObject();
      w.put("event_type", row.eventType());
      w.put("window_start", row.windowStart().toString());
      if (row.live() == null) {
        w.putNull("live");
      } else {
        w.put("live", row.live());
      }
      w.put("warehouse", row.warehouse());
      w.put("arrived_after_grace", row.arrivedAfterGrace());
      w.put("class", row.kind().name());
      w.put("why", row.why());
    }
    System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }
}
