package io.freshforever.runners;

import static io.freshforever.runners.LiveHarness.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * Three of four partitions never receive a record. With KafkaIO's own limited-delay policy their
 * watermark stays at the beginning of time and no window ever closes; with {@link
 * io.freshforever.pipelines.kafka.ReadIngestLog.EventTimePolicy} the watermark moves and on-time panes fire.
 */
public class IdlePartitionIntegrationTest {
  @ClassRule public static final LocalStackRule STACK = new LocalStackRule();

  @Test
  public void windowsCloseAlthoughMostPartitionsNeverReceiveARecord() throws Exception {
    LocalStack stack = STACK.stack();
    LiveHarness.Lane lane = new LiveHarness.Lane("idle", Files.createTempDirectory("fresh-lake-idle"));
    LiveJob job =
        LiveHarness.startOnDirectRunner(stack, lane, 4, "--windowSeconds=10", "--watermarkDelaySeconds=2");
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", stack.kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        LiveCounts live = LiveHarness.liveView(stack, lane)) {
      // Three events, all on partition 0, in one 10-second window that has already ended.
      Instant time = Instant.now().minus(Duration.standardSeconds(15));
      for (String id : List.of("a", "b", "c")) {
        String json = "{\"event_id\":\"" + id + "\",\"event_type\":\"idle_test\",\"event_time\":\"" + time + "\"}";
        producer.send(new ProducerRecord<>(lane.topic(), 0, id.getBytes(StandardCharsets.UTF_8),
            json.getBytes(StandardCharsets.UTF_8))).get();
      }
      LiveRow closed =
          await("an on-time or later pane", Duration.standardSeconds(90), () ->
              live.readAll().stream().filter(m -> !m.pane().equals("EARLY") && m.count() == 3)
                  .findFirst().orElse(null),
              () -> null);
      assertNotNull("no pane past EARLY, the watermark is stuck; rows: " + live.readAll(), closed);
      assertEquals(3, closed.count());
    } finally {
      job.close();
    }
  }
}
