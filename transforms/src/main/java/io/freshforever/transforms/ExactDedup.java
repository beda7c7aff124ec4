package io.freshforever.transforms;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventCoder;
import java.io.Serializable;
import java.util.Comparator;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Min;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Batch dedup for the lake: exactly one event per {@code event_id}, with no horizon.
 *
 * <p>The copy kept is the first one the log accepted: earliest {@code ingest_time}, then lowest
 * Kafka partition, then lowest offset (then the payload, so even a byte-identical file loaded twice
 * cannot make the choice depend on input order). Re-runs over the same lake therefore give
 * identical rows. A combiner, so each worker pre-reduces its share before the shuffle.
 */
public final class ExactDedup extends PTransform<PCollection<Event>, PCollection<Event>> {
  /** Earliest copy first; a total order over copies of one id. */
  public static final Comparator<Event> EARLIEST_COPY_FIRST = new EarliestCopyFirst();

  public static ExactDedup create() {
    return new ExactDedup();
  }

  @Override
  public PCollection<Event> expand(PCollection<Event> events) {
    return events
        .apply(
            "KeyById",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), events.getTypeDescriptor()))
                .via((Event e) -> KV.of(e.eventId(), e)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), EventCoder.of()))
        // A grouped value takes the end of its window as its timestamp by default, which in the
        // global window is the end of time: no later step could stamp the event time on it.
        .apply(
            "EarliestInputTimestamp",
            Window.<KV<String, Event>>configure().withTimestampCombiner(TimestampCombiner.EARLIEST))
        .apply("KeepEarliestCopy", Min.perKey(new EarliestCopyFirst()))
        .apply("DropIds", Values.create())
        .setCoder(EventCoder.of());
  }

  private static final class EarliestCopyFirst implements Comparator<Event>, Serializable {
    @Override
    public int compare(Event a, Event b) {
      int byTime = a.ingestTime().compareTo(b.ingestTime());
      if (byTime != 0) {
        return byTime;
      }
      int byPartition = Integer.compare(a.kafkaPartition(), b.kafkaPartition());
      if (byPartition != 0) {
        return byPartition;
      }
      int byOffset = Long.compare(a.kafkaOffset(), b.kafkaOffset());
      return byOffset != 0 ? byOffset : a.payload().compareTo(b.payload());
    }
  }
}
