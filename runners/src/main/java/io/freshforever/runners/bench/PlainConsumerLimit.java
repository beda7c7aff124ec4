package io.freshforever.runners.bench;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventParser;
import io.freshforever.contract.InvalidEventException;
import io.freshforever.contract.RawRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;

/**
 * The peer no pipeline can beat on one machine: a plain {@link KafkaConsumer} in one thread reading
 * a topic from its start to its end, parsing each value with the contract's {@link EventParser},
 * keeping every {@code event_id} in a {@link HashSet} and counting per event type. Nothing is
 * written, nothing survives a crash, nothing is windowed: it is the cost of reading and parsing.
 */
public final class PlainConsumerLimit {
  /** What it read, and how fast. */
  public record Result(long records, Map<String, Long> distinctPerType, long deadLetters, double seconds) {
    public long distinct() {
      return distinctPerType.values().stream().mapToLong(Long::longValue).sum();
    }

    public double recordsPerSecond() {
      return records / seconds;
    }
  }

  private PlainConsumerLimit() {}

  public static Result read(String bootstrapServers, String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
            ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    EventParser parser = EventParser.withContractLimits();
    Set<String> seen = new HashSet<>();
    Map<String, Long> perType = new HashMap<>();
    long records = 0;
    long deadLetters = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long total =
          consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum()
              - consumer.beginningOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      long started = System.nanoTime();
      while (records < total) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          records++;
          try {
            Event event =
                parser.parse(RawRecord.of(r.value(), new Instant(r.timestamp()), r.partition(), r.offset()));
            if (seen.add(event.eventId())) {
              perType.merge(event.eventType(), 1L, Long::sum);
            }
          } catch (InvalidEventException bad) {
            deadLetters++;
          }
        }
      }
      return new Result(records, perType, deadLetters, (System.nanoTime() - started) / 1e9);
    }
  }
}
