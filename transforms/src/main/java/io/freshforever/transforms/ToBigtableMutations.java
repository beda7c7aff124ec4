package io.freshforever.transforms;

import com.google.bigtable.v2.Mutation;
import com.google.protobuf.ByteString;
import io.freshforever.contract.BigtableLayout;
import io.freshforever.contract.WindowCount;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.extensions.protobuf.ByteStringCoder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Live-view panes to Bigtable mutations, per the layout in {@link BigtableLayout}.
 *
 * <p>Each pane overwrites the accumulated count; nothing is ever incremented, so a retried write
 * cannot double-count. All cells of a pane share one timestamp that grows with the count (see
 * {@link BigtableLayout#cellTimestampMicros}), so neither a late-landing retry of an older pane
 * nor a restarted job's partial recount ever hides a larger count. Records {@value #FRESHNESS} (processing time of the write minus the newest event
 * time in the pane), the live view's freshness.
 *
 * <p>{@link #replacingRows()} first deletes everything in the row, in the same atomic row
 * mutation: a replay uses it to overwrite a row whatever count it held.
 */
public final class ToBigtableMutations
    extends PTransform<PCollection<WindowCount>, PCollection<KV<ByteString, Iterable<Mutation>>>> {
  public static final String FRESHNESS = "live_view_freshness_ms";

  /**
   * The newest event time written (epoch ms), so that an alert can compare it with the clock: late
   * updates do not move it back, a stalled pipeline stops moving it (the /api/health rule).
   */
  public static final String NEWEST_EVENT = "live_view_newest_event_ms";

  private final ProcessingClock clock;
  private final boolean replaceRows;

  private ToBigtableMutations(ProcessingClock clock, boolean replaceRows) {
    this.clock = clock;
    this.replaceRows = replaceRows;
  }

  public static ToBigtableMutations create() {
    return new ToBigtableMutations(ProcessingClock.SYSTEM, false);
  }

  public ToBigtableMutations withClock(ProcessingClock clock) {
    return new ToBigtableMutations(clock, replaceRows);
  }

  /** Each write first clears its row, so older cells with a higher count cannot win. */
  public ToBigtableMutations replacingRows() {
    return new ToBigtableMutations(clock, true);
  }

  @Override
  public PCollection<KV<ByteString, Iterable<Mutation>>> expand(PCollection<WindowCount> counts) {
    return counts
        .apply("ToOverwriteMutations", ParDo.of(new ToMutationsFn(clock, replaceRows)))
        .setCoder(
            KvCoder.of(ByteStringCoder.of(), IterableCoder.of(ProtoCoder.of(Mutation.class))));
  }

  /** The mutations that write one pane; public so readers and tests share the exact encoding. */
  public static KV<ByteString, Iterable<Mutation>> mutationsOf(WindowCount count, long writeMillis) {
    return KV.of(BigtableLayout.rowKey(count.eventType(), count.windowStart()), cellsOf(count, writeMillis));
  }

  /** As {@link #mutationsOf}, after deleting the whole row in the same atomic mutation. */
  public static KV<ByteString, Iterable<Mutation>> replacingMutationsOf(WindowCount count, long writeMillis) {
    List<Mutation> mutations = new ArrayList<>();
    mutations.add(DELETE_ROW);
    mutations.addAll(cellsOf(count, writeMillis));
    return KV.of(BigtableLayout.rowKey(count.eventType(), count.windowStart()), mutations);
  }

  /** Deletes every cell of a row. */
  public static final Mutation DELETE_ROW =
      Mutation.newBuilder().setDeleteFromRow(Mutation.DeleteFromRow.getDefaultInstance()).build();

  private static List<Mutation> cellsOf(WindowCount count, long writeMillis) {
    long timestamp = BigtableLayout.cellTimestampMicros(count.windowStart(), count.count());
    return
        List.of(
            setCell(BigtableLayout.COUNT, BigtableLayout.encodeLong(count.count()), timestamp),
            setCell(BigtableLayout.UPDATED_MS, BigtableLayout.encodeLong(writeMillis), timestamp),
            setCell(
                BigtableLayout.NEWEST_EVENT_MS,
                BigtableLayout.encodeLong(count.newestEventTime().getMillis()),
                timestamp),
            setCell(
                BigtableLayout.PANE, BigtableLayout.encodeText(count.timing().name()), timestamp));
  }

  private static Mutation setCell(ByteString qualifier, ByteString value, long timestampMicros) {
    return Mutation.newBuilder()
        .setSetCell(
            Mutation.SetCell.newBuilder()
                .setFamilyName(BigtableLayout.FAMILY)
                .setColumnQualifier(qualifier)
                .setTimestampMicros(timestampMicros)
                .setValue(value))
        .build();
  }

  private static final class ToMutationsFn
      extends DoFn<WindowCount, KV<ByteString, Iterable<Mutation>>> {
    private final Distribution freshness = Metrics.distribution(FreshMetrics.NAMESPACE, FRESHNESS);
    private final Gauge newestEvent = Metrics.gauge(FreshMetrics.NAMESPACE, NEWEST_EVENT);
    private long newestWritten = Long.MIN_VALUE;
    private final ProcessingClock clock;
    private final boolean replaceRows;

    ToMutationsFn(ProcessingClock clock, boolean replaceRows) {
      this.clock = clock;
      this.replaceRows = replaceRows;
    }

    @ProcessElement
    public void process(
        @Element WindowCount count, OutputReceiver<KV<ByteString, Iterable<Mutation>>> out) {
      long now = clock.now().getMillis();
      freshness.update(now - count.newestEventTime().getMillis());
      if (count.newestEventTime().getMillis() > newestWritten) {
        newestWritten = count.newestEventTime().getMillis();
        newestEvent.set(newestWritten);
      }
      out.output(replaceRows ? replacingMutationsOf(count, now) : mutationsOf(count, now));
    }
  }
}
