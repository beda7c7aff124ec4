package io.freshforever.pipelines.live;

import static java.util.Objects.requireNonNull;

import io.freshforever.pipelines.options.LiveStoreOptions;
import java.io.Serializable;
import org.apache.beam.sdk.io.gcp.bigtable.BigtableIO;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The Bigtable table that serves the live view, and the emulator to use instead, if any.
 *
 * @param emulatorHost {@code host:port} of a Bigtable emulator, or null for the real service
 */
public record LiveStore(String project, String instance, String table, @Nullable String emulatorHost)
    implements Serializable {
  public LiveStore {
    requireNonNull(project, "project");
    requireNonNull(instance, "instance");
    requireNonNull(table, "table");
    emulatorHost = emulatorHost == null || emulatorHost.isEmpty() ? null : emulatorHost;
  }

  public static LiveStore of(String project, String instance, String table, @Nullable String emulatorHost) {
    return new LiveStore(project, instance, table, emulatorHost);
  }

  /** The store the options name. */
  public static LiveStore from(LiveStoreOptions options) {
    return of(
        options.getBigtableProject(),
        options.getBigtableInstance(),
        options.getBigtableTable(),
        options.getBigtableEmulatorHost());
  }

  /**
   * The store the options name, for a pipeline built with them: against the emulator, it also turns
   * off the Bigtable client's metrics export in these options ({@link NoMetricsExportToEmulator}).
   */
  public static LiveStore forPipeline(LiveStoreOptions options) {
    LiveStore store = from(options);
    if (store.emulatorHost() != null) {
      NoMetricsExportToEmulator.addTo(options);
    }
    return store;
  }

  public BigtableIO.Write write() {
    BigtableIO.Write write =
        BigtableIO.write().withProjectId(project).withInstanceId(instance).withTableId(table);
    return emulatorHost == null ? write : write.withEmulator(emulatorHost);
  }

  public BigtableIO.Read read() {
    BigtableIO.Read read =
        BigtableIO.read().withProjectId(project).withInstanceId(instance).withTableId(table);
    return emulatorHost == null ? read : read.withEmulator(emulatorHost);
  }
}
