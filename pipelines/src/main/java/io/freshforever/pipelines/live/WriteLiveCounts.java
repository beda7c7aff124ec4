package io.freshforever.pipelines.live;

import io.freshforever.contract.WindowCount;
import io.freshforever.transforms.ToBigtableMutations;
import org.apache.beam.sdk.io.gcp.bigtable.BigtableIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Live-view panes into the Bigtable serving store. A write Bigtable rejects for good (after the
 * client's retries) becomes a {@code PROCESSING_FAILURE} dead letter rather than failing the job:
 * the next pane of the same window overwrites the count anyway, and {@code fresh replay} repairs.
 */
public final class WriteLiveCounts extends PTransform<PCollection<WindowCount>, PDone> {
  private final String project;
  private final String instance;
  private final String table;
  private final @Nullable String emulatorHost;
  private final ErrorHandler<BadRecord, ?> deadLetters;

  /**
   * @param emulatorHost {@code host:port} of a Bigtable emulator, or null for the real service
   */
  public WriteLiveCounts(
      String project,
      String instance,
      String table,
      @Nullable String emulatorHost,
      ErrorHandler<BadRecord, ?> deadLetters) {
    this.project = project;
    this.instance = instance;
    this.table = table;
    this.emulatorHost = emulatorHost;
    this.deadLetters = deadLetters;
  }

  @Override
  public PDone expand(PCollection<WindowCount> counts) {
    BigtableIO.Write write =
        BigtableIO.write()
            .withProjectId(project)
            .withInstanceId(instance)
            .withTableId(table)
            .withErrorHandler(deadLetters);
    if (emulatorHost != null) {
      write = write.withEmulator(emulatorHost);
    }
    counts.apply("ToMutations", ToBigtableMutations.create()).apply("WriteBigtable", write);
    return PDone.in(counts.getPipeline());
  }
}
