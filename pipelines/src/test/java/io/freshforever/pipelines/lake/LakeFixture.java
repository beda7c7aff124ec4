package io.freshforever.pipelines.lake;

import io.freshforever.contract.Event;
import io.freshforever.pipelines.lake.LakeLayout;
import io.freshforever.pipelines.lake.LakeSchemas;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;

/** Writes lake files as the lake writer does (one flush), so tests read what it writes. */
public final class LakeFixture {
  private LakeFixture() {}

  /** One flush of the lake writer holding {@code events}, with their own partitions and offsets. */
  public static void write(String lakeRoot, List<Event> events) throws IOException {
    LakeFlush flush = new LakeFlush(FileSystems.matchNewResource(lakeRoot, true));
    for (Event event : events) {
      flush.add(
          event.kafkaPartition(),
          event.kafkaOffset(),
          LakeLayout.eventPartition(event.eventTime()),
          LakeSchemas.EVENT,
          LakeSchemas.toRecord(event));
    }
    flush.publish();
  }
}
