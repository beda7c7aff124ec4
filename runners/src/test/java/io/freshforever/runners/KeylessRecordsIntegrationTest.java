package io.freshforever.runners;

import static io.freshforever.runners.LiveHarness.await;
import static org.junit.Assert.assertEquals;

import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * Records without a key (a producer need not set one) and a tombstone (no value) on the real
 * broker: the events are counted and in the lake, the tombstone is a dead letter, and the job
 * keeps running. Both used to fail the live job: its Kafka coder could not encode a null.
 */
public class KeylessRecordsIntegrationTest {
  @ClassRule public static final LocalStackRule STACK = new LocalStackRule();

  @Test
  public void keylessEventsCountAndATombstoneIsADeadLetter() throws Exception {
    LocalStack stack = STACK.stack();
    Path lake = Files.createTempDirectory("fresh-lake-keyless");
    LiveHarness.Lane lane = new LiveHarness.Lane("keyless", lake);
    LiveHarness.startLake(stack, lane, 2);
    LiveJob job = LiveHarness.startOnDirectRunner(stack, lane, 2);
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", stack.kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        LiveCounts live = LiveHarness.liveView(stack, lane)) {
      Instant now = Instant.now();
      for (String id : List.of("k1", "k2", "k3")) {
        String json = "{\"event_id\":\"" + id + "\",\"event_type\":\"keyless\",\"event_time\":\"" + now + "\"}";
        producer.send(new ProducerRecord<>(lane.topic(), null, json.getBytes(StandardCharsets.UTF_8))).get();
      }
      producer.send(new ProducerRecord<>(lane.topic(), 1, "a-key".getBytes(StandardCharsets.UTF_8), null)).get();
      long counted =
          await("the keyless events counted", Duration.standardSeconds(90),
              () -> live.readAll().stream().mapToLong(LiveRow::count).sum() == 3 ? 3L : null,
              () -> live.readAll().stream().mapToLong(LiveRow::count).sum());
      assertEquals(3L, counted);
      Map<String, Long> deadLetters =
          await("the tombstone in the lake's dead letters", Duration.standardSeconds(60),
              () -> LiveHarness.deadLetterReasons(lake).isEmpty() ? null : LiveHarness.deadLetterReasons(lake),
              () -> LiveHarness.deadLetterReasons(lake));
      assertEquals(Map.of("EMPTY_PAYLOAD", 1L), deadLetters);
      assertEquals(List.of("k1", "k2", "k3"), LiveHarness.lakeIds(lake).stream().sorted().toList());
    } finally {
      job.close();
    }
  }
}
