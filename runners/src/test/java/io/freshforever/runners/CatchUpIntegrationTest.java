package io.freshforever.runners;

import static io.freshforever.runners.LiveHarness.await;
import static org.junit.Assert.assertEquals;

import io.freshforever.pipelines.LiveJob;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * A job far behind the log (after an outage, or rebuilding its state from a rewind) reads records
 * that Kafka took minutes ago. Among them is a dead letter stamped a day ahead. Its event time must
 * be capped at the time Kafka took it, not at the reader's clock: capped at the reader's clock it
 * moved the watermark to "now", and every window still in the backlog closed before its late
 * records (in grace by the log's clock) were read: they were lost from the live view.
 */
public class CatchUpIntegrationTest {
  @ClassRule public static final LocalStackRule STACK = new LocalStackRule();

  private static final String TYPE = "catch_up";
  private static final String FILLER = "catch_up_filler";
  private static final AtomicReference<Exception> SEND_FAILURE = new AtomicReference<>();

  @Test
  public void aJobFarBehindCountsEveryRecordInGraceByTheLogsClock() throws Exception {
    LocalStack stack = STACK.stack();
    LiveHarness.Lane lane = new LiveHarness.Lane("catch_up", Files.createTempDirectory("fresh-lake-catch-up"));
    String topic = lane.topic();
    // Before the job: the backlog is there when it starts. The contract's topics take the broker's
    // time; this one keeps the producer's, which is how a test makes a backlog of the past.
    stack.kafka.createTopic(topic, 1, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
    // The backlog as Kafka took it, from 15 minutes ago to 7 minutes ago (log time).
    Instant logStart = Instant.now().minus(Duration.standardMinutes(15));
    Instant window = new Instant(logStart.getMillis() / 60_000 * 60_000);
    Instant inWindow = window.plus(Duration.standardSeconds(1));
    int onTime = 50;
    int filler = 48_000;
    int late = 40;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", stack.kafka.bootstrapServers(), "linger.ms", 20),
            new ByteArraySerializer(), new ByteArraySerializer())) {
      long written = logStart.getMillis();
      for (int i = 0; i < onTime; i++) {
        send(producer, topic, written, "on-time-" + i, TYPE, inWindow);
      }
      send(producer, topic, written, "a-day-ahead", "click", logStart.plus(Duration.standardDays(1)));
      // Eight minutes of traffic of later windows: enough batches for the watermark to move.
      for (int i = 0; i < filler; i++) {
        written = logStart.getMillis() + i * 10L;
        send(producer, topic, written, "filler-" + i, FILLER, new Instant(written));
      }
      // Late for the window (past its end and the watermark delay), well inside its grace.
      for (int i = 0; i < late; i++) {
        send(producer, topic, written, "late-" + i, TYPE, inWindow);
      }
      producer.flush();
    }
    if (SEND_FAILURE.get() != null) {
      throw new AssertionError("the backlog was not produced", SEND_FAILURE.get());
    }
    LiveJob job = LiveHarness.startOnDirectRunner(stack, lane, 1);
    try (LiveCounts live = LiveHarness.liveView(stack, lane)) {
      Map<String, Long> want = Map.of(TYPE, (long) (onTime + late), FILLER, (long) filler);
      Map<String, Long> got =
          await("every record of the backlog counted", Duration.standardMinutes(4),
              () -> {
                Map<String, Long> now = totals(live);
                return want.equals(now) ? now : null;
              },
              () -> totals(live));
      assertEquals(want, got);
    } finally {
      job.close();
    }
  }

  private static Map<String, Long> totals(LiveCounts live) {
    Map<String, Long> totals = new TreeMap<>();
    live.readAll().forEach(m -> totals.merge(m.eventType(), m.count(), Long::sum));
    return totals;
  }

  /** One event as Kafka took it at {@code writtenAt}. */
  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, long writtenAt, String id, String type, Instant time) {
    String json = "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"event_time\":\"" + time + "\"}";
    producer.send(
        new ProducerRecord<>(topic, 0, writtenAt, id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)),
        (metadata, error) -> {
          if (error != null) {
            SEND_FAILURE.compareAndSet(null, error);
          }
        });
  }
}
