package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.warehouse.DuckDbWarehouse;
import io.freshforever.pipelines.warehouse.LoadPlan;
import io.freshforever.pipelines.warehouse.WarehouseTarget;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "unloaded",
    mixinStandardHelpOptions = true,
    description = {
      "The check for operators: which lake days have files the warehouse has not loaded, and since",
      "when. Exits 1 when a day has waited longer than --maxHours (or lost a loaded file), else 0;",
      "for cron or a monitoring probe. Nothing is loaded: fresh batch does that."
    })
final class UnloadedCommand implements Callable<Integer> {
  @Option(names = "--lake", description = "The lake's root folder (default: ${DEFAULT-VALUE}).")
  String lake = EventContract.LOCAL_LAKE;

  @Option(names = "--warehouse", description = "The warehouse, duckdb:PATH (default: ${DEFAULT-VALUE}).")
  String warehouse = EventContract.LOCAL_WAREHOUSE_TARGET;

  @Option(names = "--maxHours", description = "Longest a published lake file may wait for a load (default: ${DEFAULT-VALUE}).")
  double maxHours = 6;

  @Override
  public Integer call() {
    LoadPlan plan;
    try {
      plan = LoadPlan.changedSince(lake, DuckDbWarehouse.ledger(WarehouseTarget.duckDbPath(warehouse)));
    } catch (IllegalArgumentException | SQLException e) {
      System.err.println("fresh unloaded: " + e.getMessage());
      return 2;
    }
    Instant now = Instant.now();
    Duration limit = Duration.ofMillis((long) (maxHours * 3_600_000));
    int overdue = 0;
    for (LoadPlan.DayLoad day : plan.days()) {
      String waiting = "";
      boolean late = day.goneFiles() > 0;
      if (day.oldestNewMillis() != Long.MAX_VALUE) {
        Duration waited = Duration.between(Instant.ofEpochMilli(day.oldestNewMillis()), now);
        waiting = String.format(", waiting %.1f h", waited.toMinutes() / 60.0);
        late |= waited.compareTo(limit) > 0;
      }
      overdue += late ? 1 : 0;
      System.out.println(day.why() + waiting + (late ? "  OVERDUE" : ""));
    }
    if (plan.days().isEmpty()) {
      System.out.println("every lake file is loaded");
    } else {
      System.out.printf(
          "%d day%s to load, %d overdue (over %s h, or a loaded file gone): run fresh batch%n",
          plan.days().size(), plan.days().size() == 1 ? "" : "s", overdue, maxHours);
    }
    return overdue > 0 ? 1 : 0;
  }
}
