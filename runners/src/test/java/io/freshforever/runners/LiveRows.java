package io.freshforever.runners;

import com.google.cloud.bigtable.data.v2.BigtableDataClient;
import com.google.cloud.bigtable.data.v2.models.RowMutation;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.WindowCount;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.LocalBigtable;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Writes live-view rows into the emulator with the pipeline's own codec ({@link LiveRow}). */
public final class LiveRows implements AutoCloseable {
  private final BigtableDataClient client;
  private final String table;

  public LiveRows(LocalBigtable bigtable) throws Exception {
    this(bigtable, LiveRow.TABLE);
  }

  public LiveRows(LocalBigtable bigtable, String table) throws Exception {
    this.table = table;
    client =
        BigtableDataClient.create(
            LiveCounts.settings(
                EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, bigtable.host()));
  }

  /** One pane of a one-minute window; a higher {@code paneIndex} supersedes a lower one. */
  public void write(String type, Instant minute, long count, Instant newestEvent, PaneInfo.Timing timing, long paneIndex) {
    WindowCount pane =
        new WindowCount(type, minute, minute.plus(Duration.standardMinutes(1)), count, newestEvent, timing, paneIndex, false);
    var mutations = LiveRow.mutationsOf(pane, Instant.now().getMillis());
    RowMutation row = RowMutation.create(table, mutations.getKey());
    for (com.google.bigtable.v2.Mutation m : mutations.getValue()) {
      var cell = m.getSetCell();
      row.setCell(cell.getFamilyName(), cell.getColumnQualifier(), cell.getTimestampMicros(), cell.getValue());
    }
    client.mutateRow(row);
  }

  @Override
  public void close() {
    client.close();
  }
}
