package io.freshforever.pipelines.lake;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import io.freshforever.lake.LakeFlush;
import io.freshforever.lake.LakeLayout;
import io.freshforever.lake.LakeSchemas;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;

/** Writes lake files as the lake connector does, so tests read what it writes. */
public final class LakeFixture {
  private LakeFixture() {}

  /** One flush per Kafka partition holding {@code events}, with their own partitions and offsets. */
  public static void write(String lakeRoot, List<Event> events) throws IOException {
    Map<Integer, List<Event>> byPartition =
        events.stream().collect(Collectors.groupingBy(Event::kafkaPartition, TreeMap::new, Collectors.toList()));
    for (Map.Entry<Integer, List<Event>> partition : byPartition.entrySet()) {
      LakeFlush flush = new LakeFlush(FileSystems.matchNewResource(lakeRoot, true), EventContract.TOPIC, partition.getKey());
      for (Event event : partition.getValue()) {
        flush.add(
            event.kafkaOffset(),
            LakeLayout.eventPartition(event.eventTime()),
            LakeSchemas.EVENT,
            LakeSchemas.toRecord(event),
            event.payload().length());
      }
      flush.publish();
    }
  }
}
