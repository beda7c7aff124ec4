package io.freshforever.runners;

import io.freshforever.contract.BigtableLayout;
import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.options.LiveStoreOptions;
import io.freshforever.runners.live.LiveCounts;
import java.io.IOException;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Option;

/** The Bigtable options of the commands that read the live view. */
final class LiveStoreMixin {
  @Option(names = "--bigtable-project", description = "(default: ${DEFAULT-VALUE}, the local stack's)")
  String project = EventContract.LOCAL_BIGTABLE_PROJECT;

  @Option(names = "--bigtable-instance", description = "(default: ${DEFAULT-VALUE}, the local stack's)")
  String instance = EventContract.LOCAL_BIGTABLE_INSTANCE;

  @Option(names = "--bigtable-table", description = "(default: ${DEFAULT-VALUE})")
  String table = BigtableLayout.TABLE;

  @Option(
      names = "--bigtable-emulator-host",
      description =
          "host:port of a Bigtable emulator, empty for the real service. Default: BIGTABLE_EMULATOR_HOST"
              + " if set; else the local stack's emulator (" + EventContract.LOCAL_BIGTABLE_EMULATOR
              + ") for the local project, and the real service for any other project.")
  @Nullable String emulatorHost;

  LiveCounts connect() throws IOException {
    return LiveCounts.connect(project, instance, table, emulator());
  }

  /** Null: the real service. A named project never falls back to the local emulator. */
  @Nullable String emulator() {
    if (emulatorHost != null) {
      return emulatorHost.isBlank() ? null : emulatorHost.trim();
    }
    String fromEnvironment = System.getenv(LiveStoreOptions.EMULATOR_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment.trim();
    }
    return project.equals(EventContract.LOCAL_BIGTABLE_PROJECT) ? EventContract.LOCAL_BIGTABLE_EMULATOR : null;
  }
}
