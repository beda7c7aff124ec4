package io.freshforever.pipelines.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Moves a consumer group's committed offsets back by a span of log time, partition by partition:
 * to the first record written at least {@code span} before the last record the group had read.
 *
 * <p>Why: a live job that starts without its predecessor's state (the DirectRunner always, Flink
 * without a checkpoint) would count the windows still open from the events read after the restart
 * only. Re-reading the span that can hold events of those windows counts each of them again, from
 * all its events; dedup absorbs the records read twice, and the live view's "largest count wins"
 * cells ({@code LiveRow#cellTimestampMicros}) keep the partial recounts of windows that had
 * already closed from hiding their final counts. A group with no committed offsets is left alone.
 */
public final class RewindConsumerGroup {
  private static final Duration LOOK_UP = Duration.ofSeconds(10);

  private RewindConsumerGroup() {}

  /**
   * @return each partition that moved, as {@code partition -> "from→to"}, for the start-up line
   */
  public static Map<Integer, String> bySpan(
      String bootstrapServers, String topic, String group, Map<String, String> consumerProperties, Duration span) {
    Map<String, Object> config = new HashMap<>(consumerProperties);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    Map<Integer, String> moved = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, LOOK_UP).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), LOOK_UP);
      Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, LOOK_UP);
      Map<TopicPartition, Long> rewindTo = new HashMap<>();
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata position = committed.get(partition);
        if (position == null || position.offset() <= beginning.get(partition)) {
          continue;
        }
        Long lastReadAt = timestampOf(consumer, partition, position.offset() - 1);
        if (lastReadAt == null) {
          continue;
        }
        OffsetAndTimestamp target =
            consumer.offsetsForTimes(Map.of(partition, Math.max(0, lastReadAt - span.toMillis())), LOOK_UP).get(partition);
        long to = target == null ? position.offset() : Math.min(target.offset(), position.offset());
        if (to < position.offset()) {
          rewindTo.put(partition, to);
          moved.put(partition.partition(), position.offset() + "→" + to);
        }
      }
      consumer.assign(List.of());
      if (!rewindTo.isEmpty()) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        rewindTo.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        consumer.commitSync(offsets, LOOK_UP);
      }
    }
    return moved;
  }

  /** The timestamp of the record at {@code offset} (or the next one, past a gap), null if none. */
  private static Long timestampOf(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long offset) {
    consumer.assign(List.of(partition));
    consumer.seek(partition, offset);
    long deadline = System.nanoTime() + LOOK_UP.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        return record.timestamp();
      }
    }
    return null;
  }
}
