package io.freshforever.pipelines.live;

import com.google.bigtable.v2.Mutation;
import com.google.protobuf.ByteString;
import io.freshforever.contract.WindowCount;
import io.freshforever.transforms.FreshMetrics;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.extensions.protobuf.ByteStringCoder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Instant;

/**
 * Live-view panes into the Bigtable serving store, each pane as the row {@link LiveRow} encodes.
 * A write Bigtable rejects for good (after the client's retries) becomes a {@code
 * PROCESSING_FAILURE} dead letter rather than failing the job: the next pane of the same window
 * overwrites the count anyway, and {@code fresh replay} repairs.
 *
 * <p>Records {@value #FRESHNESS} (processing time of the write minus the newest event time in the
 * pane), the live view's freshness, {@value #NEWEST_EVENT}, and the rows written, {@value
 * #ROWS_WRITTEN} (one per pane: what the store is asked to take).
 */
public final class WriteLiveCounts extends PTransform<PCollection<WindowCount>, PDone> {
  public static final String FRESHNESS = "live_view_freshness_ms";
  public static final String ROWS_WRITTEN = "live_view_rows_written";

  /**
   * The newest event time written (epoch ms), so that an alert can compare it with the clock: late
   * updates do not move it back, a stalled pipeline stops moving it (the /api/health rule).
   */
  public static final String NEWEST_EVENT = "live_view_newest_event_ms";

  private static final Coder<KV<ByteString, Iterable<Mutation>>> MUTATIONS =
      KvCoder.of(ByteStringCoder.of(), IterableCoder.of(ProtoCoder.of(Mutation.class)));

  private final LiveStore store;
  private final ErrorHandler<BadRecord, ?> deadLetters;

  public WriteLiveCounts(LiveStore store, ErrorHandler<BadRecord, ?> deadLetters) {
    this.store = store;
    this.deadLetters = deadLetters;
  }

  @Override
  public PDone expand(PCollection<WindowCount> counts) {
    mutations(counts, "ToMutations", false)
        .apply(
            "WriteBigtable",
            // Each row is sent as it comes: BigtableIO otherwise sends a batch when it fills or when
            // the bundle ends, and a runner ends a bundle on a timer (Beam's Flink runner checks
            // every half --maxBundleTimeMills: up to 75 ms more of every count's delay). The live
            // view writes ~1 row per type and open window per firing: a few hundred small writes
            // a second, nothing for Bigtable.
            store.write().withMaxElementsPerBatch(1).withErrorHandler(deadLetters));
    return PDone.in(counts.getPipeline());
  }

  /**
   * The panes as Bigtable writes; with {@code replaceRows} each first clears its row, so that
   * replay's rewrite wins whatever count the row held.
   */
  static PCollection<KV<ByteString, Iterable<Mutation>>> mutations(
      PCollection<WindowCount> counts, String stepName, boolean replaceRows) {
    return counts.apply(stepName, ParDo.of(new ToMutationsFn(replaceRows))).setCoder(MUTATIONS);
  }

  private static final class ToMutationsFn
      extends DoFn<WindowCount, KV<ByteString, Iterable<Mutation>>> {
    private final Distribution freshness = Metrics.distribution(FreshMetrics.NAMESPACE, FRESHNESS);
    private final Gauge newestEvent = Metrics.gauge(FreshMetrics.NAMESPACE, NEWEST_EVENT);
    private final Counter rowsWritten = Metrics.counter(FreshMetrics.NAMESPACE, ROWS_WRITTEN);
    private final boolean replaceRows;
    private long newestWritten = Long.MIN_VALUE;

    ToMutationsFn(boolean replaceRows) {
      this.replaceRows = replaceRows;
    }

    @ProcessElement
    public void process(
        @Element WindowCount count, OutputReceiver<KV<ByteString, Iterable<Mutation>>> out) {
      long now = Instant.now().getMillis();
      freshness.update(now - count.newestEventTime().getMillis());
      if (count.newestEventTime().getMillis() > newestWritten) {
        newestWritten = count.newestEventTime().getMillis();
        newestEvent.set(newestWritten);
      }
      rowsWritten.inc();
      out.output(replaceRows ? LiveRow.replacingMutationsOf(count, now) : LiveRow.mutationsOf(count, now));
    }
  }
}
