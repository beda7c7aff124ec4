package io.freshforever.pipelines.live;

import com.google.bigtable.v2.Mutation;
import com.google.bigtable.v2.Row;
import com.google.bigtable.v2.RowFilter;
import com.google.protobuf.ByteString;
import io.freshforever.contract.WindowCount;
import io.freshforever.transforms.FreshMetrics;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.extensions.protobuf.ByteStringCoder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Makes the live view of a time range equal to recomputed counts: every recomputed window's row
 * is replaced (deleted and rewritten in one atomic row mutation, whatever pane index it held), and
 * every row of the range that the recomputation does not have is deleted. Rows outside the range,
 * and rows whose key is not a live-view key, are left alone.
 */
public final class ReplaceLiveCounts extends PTransform<PCollection<WindowCount>, PDone> {
  public static final String ROWS_REPLACED = "live_rows_replaced";
  public static final String ROWS_DELETED = "live_rows_deleted";

  private static final TupleTag<Iterable<Mutation>> RECOMPUTED = new TupleTag<>() {};
  private static final TupleTag<Boolean> STORED = new TupleTag<>() {};

  private final LiveStore store;
  private final Instant from;
  private final Instant to;

  public ReplaceLiveCounts(LiveStore store, Instant from, Instant to) {
    this.store = store;
    this.from = from;
    this.to = to;
  }

  @Override
  public PDone expand(PCollection<WindowCount> counts) {
    PCollection<KV<ByteString, Iterable<Mutation>>> recomputed =
        WriteLiveCounts.mutations(counts, "ToReplacingMutations", true)
            .apply("GlobalWindow", Window.into(new GlobalWindows()));
    PCollection<KV<ByteString, Boolean>> stored =
        counts
            .getPipeline()
            .apply(
                "ReadStoredKeys",
                store
                    .read()
                    // keys only: one cell per row, its value stripped
                    .withRowFilter(
                        RowFilter.newBuilder()
                            .setChain(
                                RowFilter.Chain.newBuilder()
                                    .addFilters(RowFilter.newBuilder().setCellsPerRowLimitFilter(1))
                                    .addFilters(RowFilter.newBuilder().setStripValueTransformer(true)))
                            .build()))
            .apply("KeepRange", ParDo.of(new InRangeFn(from, to)));
    KeyedPCollectionTuple.of(RECOMPUTED, recomputed)
        .and(STORED, stored)
        .apply("ByRowKey", CoGroupByKey.create())
        .apply("ReplaceOrDelete", ParDo.of(new ReplaceOrDeleteFn()))
        .setCoder(KvCoder.of(ByteStringCoder.of(), IterableCoder.of(ProtoCoder.of(Mutation.class))))
        .apply("WriteBigtable", store.write());
    return PDone.in(counts.getPipeline());
  }

  private static final class InRangeFn extends DoFn<Row, KV<ByteString, Boolean>> {
    private final Instant from;
    private final Instant to;

    InRangeFn(Instant from, Instant to) {
      this.from = from;
      this.to = to;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<ByteString, Boolean>> out) {
      Instant windowStart;
      try {
        windowStart = LiveRow.windowStartOf(row.getKey());
      } catch (IllegalArgumentException | DateTimeParseException notOurs) {
        return;
      }
      if (!windowStart.isBefore(from) && windowStart.isBefore(to)) {
        out.output(KV.of(row.getKey(), true));
      }
    }
  }

  private static final class ReplaceOrDeleteFn
      extends DoFn<KV<ByteString, CoGbkResult>, KV<ByteString, Iterable<Mutation>>> {
    private final Counter replaced = Metrics.counter(FreshMetrics.NAMESPACE, ROWS_REPLACED);
    private final Counter deleted = Metrics.counter(FreshMetrics.NAMESPACE, ROWS_DELETED);

    @ProcessElement
    public void process(
        @Element KV<ByteString, CoGbkResult> row,
        OutputReceiver<KV<ByteString, Iterable<Mutation>>> out) {
      Iterable<Mutation> mutations = row.getValue().getOnly(RECOMPUTED, null);
      if (mutations != null) {
        replaced.inc();
        out.output(KV.of(row.getKey(), mutations));
      } else {
        deleted.inc();
        out.output(KV.of(row.getKey(), List.of(LiveRow.DELETE_ROW)));
      }
    }
  }
}
