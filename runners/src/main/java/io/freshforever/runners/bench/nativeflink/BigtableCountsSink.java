package io.freshforever.runners.bench.nativeflink;

import com.google.api.gax.batching.Batcher;
import com.google.cloud.bigtable.data.v2.BigtableDataClient;
import com.google.cloud.bigtable.data.v2.models.Mutation;
import com.google.cloud.bigtable.data.v2.models.RowMutationEntry;
import com.google.protobuf.ByteString;
import io.freshforever.contract.WindowCount;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.pipelines.live.WriteLiveCounts;
import io.freshforever.runners.live.LiveCounts;
import org.apache.beam.sdk.values.KV;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

/**
 * Panes into Bigtable in the live view's layout (the same cells {@code WriteLiveCounts} writes),
 * through the client's bulk-mutation batcher; flushed at every checkpoint, so a completed checkpoint
 * never stands for a pane that was not written.
 */
@SuppressWarnings("deprecation") // SinkFunction: still the shortest honest sink in Flink 1.19
final class BigtableCountsSink extends RichSinkFunction<WindowCount> implements CheckpointedFunction {
  private final String project;
  private final String instance;
  private final String table;
  private final String emulatorHost;
  private transient BigtableDataClient client;
  private transient Batcher<RowMutationEntry, Void> batcher;

  BigtableCountsSink(String project, String instance, String table, String emulatorHost) {
    this.project = project;
    this.instance = instance;
    this.table = table;
    this.emulatorHost = emulatorHost;
  }

  @Override
  public void open(Configuration parameters) throws Exception {
    client = BigtableDataClient.create(LiveCounts.settings(project, instance, emulatorHost));
    batcher = client.newBulkMutationBatcher(table);
  }

  @Override
  public void invoke(WindowCount count, Context context) {
    KV<ByteString, Iterable<com.google.bigtable.v2.Mutation>> cells =
        LiveRow.mutationsOf(count, System.currentTimeMillis());
    batcher.add(RowMutationEntry.createFromMutationUnsafe(cells.getKey(), Mutation.fromProtoUnsafe(cells.getValue())));
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    batcher.flush();
  }

  @Override
  public void initializeState(FunctionInitializationContext context) {}

  @Override
  public void close() throws Exception {
    if (batcher != null) {
      batcher.close();
    }
    if (client != null) {
      client.close();
    }
  }
}
