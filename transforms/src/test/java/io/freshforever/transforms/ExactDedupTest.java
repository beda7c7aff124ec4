package io.freshforever.transforms;

import static io.freshforever.transforms.TestEvents.copy;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventCoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

public class ExactDedupTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Event arrived(String id, int secondsAfter, int partition, long offset) {
    Event e = copy(id, "click", "10:00:00", partition, offset);
    return e.toBuilder().ingestTime(e.eventTime().plus(Duration.standardSeconds(secondsAfter))).build();
  }

  @Test
  public void keepsTheEarliestCopyWhateverTheInputOrder() {
    List<Event> copies = new ArrayList<>();
    copies.add(arrived("a", 5, 1, 100));
    copies.add(arrived("a", 3, 2, 50)); // earliest ingest time wins
    copies.add(arrived("a", 9, 0, 1));
    copies.add(arrived("b", 4, 3, 7));
    copies.add(arrived("b", 4, 1, 8)); // same time: lower partition wins
    copies.add(arrived("c", 4, 1, 9));
    copies.add(arrived("c", 4, 1, 8)); // same time and partition: lower offset wins
    copies.add(arrived("d", 1, 0, 0));
    copies.add(arrived("d", 1, 0, 0)); // the same record twice: either is the same row

    for (int order = 0; order < 4; order++) {
      List<Event> shuffled = new ArrayList<>(copies);
      Collections.shuffle(shuffled, new Random(order));
      PCollection<String> kept =
          pipeline
              .apply("Order" + order, Create.of(shuffled).withCoder(EventCoder.of()))
              .apply("Dedup" + order, ExactDedup.create())
              .apply(
                  "Kept" + order,
                  MapElements.into(TypeDescriptors.strings())
                      .via((Event e) -> e.eventId() + "@" + e.kafkaPartition() + "/" + e.kafkaOffset()));
      PAssert.that("order " + order, kept).containsInAnyOrder("a@2/50", "b@1/8", "c@1/8", "d@0/0");
    }
    pipeline.run().waitUntilFinish();
  }
}
