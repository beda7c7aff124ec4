package io.freshforever.runners;

import io.freshforever.contract.BigtableLayout;
import io.freshforever.contract.EventContract;
import io.freshforever.runners.live.LiveCounts;
import java.io.IOException;
import picocli.CommandLine.Option;

/** The Bigtable options of the commands that read the live view. */
final class LiveStoreMixin {
  @Option(names = "--bigtable-project", description = "(default: ${DEFAULT-VALUE})")
  String project = EventContract.LOCAL_BIGTABLE_PROJECT;

  @Option(names = "--bigtable-instance", description = "(default: ${DEFAULT-VALUE})")
  String instance = EventContract.LOCAL_BIGTABLE_INSTANCE;

  @Option(names = "--bigtable-table", description = "(default: ${DEFAULT-VALUE})")
  String table = BigtableLayout.TABLE;

  @Option(names = "--bigtable-emulator-host", description = "Empty for real Bigtable (default: ${DEFAULT-VALUE}).")
  String emulatorHost = EventContract.LOCAL_BIGTABLE_EMULATOR;

  LiveCounts connect() throws IOException {
    return LiveCounts.connect(project, instance, table, emulatorHost.isEmpty() ? null : emulatorHost);
  }
}
