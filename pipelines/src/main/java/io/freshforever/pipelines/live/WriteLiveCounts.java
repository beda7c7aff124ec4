package io.freshforever.pipelines.live;

import io.freshforever.contract.WindowCount;
import io.freshforever.transforms.ToBigtableMutations;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Live-view panes into the Bigtable serving store. A write Bigtable rejects for good (after the
 * client's retries) becomes a {@code PROCESSING_FAILURE} dead letter rather than failing the job:
 * the next pane of the same window overwrites the count anyway, and {@code fresh replay} repairs.
 */
public final class WriteLiveCounts extends PTransform<PCollection<WindowCount>, PDone> {
  private final LiveStore store;
  private final ErrorHandler<BadRecord, ?> deadLetters;

  public WriteLiveCounts(LiveStore store, ErrorHandler<BadRecord, ?> deadLetters) {
    this.store = store;
    this.deadLetters = deadLetters;
  }

  @Override
  public PDone expand(PCollection<WindowCount> counts) {
    counts
        .apply("ToMutations", ToBigtableMutations.create())
        .apply("WriteBigtable", store.write().withErrorHandler(deadLetters));
    return PDone.in(counts.getPipeline());
  }
}
