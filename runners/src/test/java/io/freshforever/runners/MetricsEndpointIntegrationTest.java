package io.freshforever.runners;

import static io.freshforever.runners.LiveHarness.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.live.WriteLiveCounts;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.metrics.ScrapedMetrics;
import io.freshforever.runners.stack.FreePorts;
import io.freshforever.runners.stack.FreshProcess;
import io.freshforever.transforms.FreshMetrics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/**
 * {@code fresh stream --metricsPort} on both runners serves the pipeline's counters for
 * Prometheus with exact values after a known input: the DirectRunner's through fresh's own
 * endpoint, Flink's through Flink's reporter in the embedded cluster.
 */
@RunWith(Parameterized.class)
public class MetricsEndpointIntegrationTest {
  private static final int DISTINCT = 20;
  private static final int COPIES = 5;
  private static final List<String> BAD = List.of("not json", "{\"event_id\":\"no-type\"}", "{\"event_id\":\"x\",\"event_type\":\"click\",\"event_time\":\"yesterday\"}");

  @ClassRule public static final LocalStackRule STACK = new LocalStackRule();
  private static Path runDir;

  @BeforeClass
  public static void createRunDir() throws Exception {
    runDir = LiveHarness.newRunDir("metrics-");
  }

  @Parameterized.Parameters(name = "{0}")
  public static List<Object[]> runners() {
    return LiveHarness.streamProcessRunners();
  }

  private final String runner;
  private final List<String> runnerArgs;

  public MetricsEndpointIntegrationTest(String runner, List<String> runnerArgs) {
    this.runner = runner;
    this.runnerArgs = runnerArgs;
  }

  @Test
  public void theEndpointServesTheCountersOfAKnownInputExactly() throws Exception {
    String topic = "metrics-" + runner.toLowerCase();
    String table = "counts_metrics_" + runner.toLowerCase();
    STACK.stack().kafka.createTopic(topic, 2);
    STACK.stack().bigtable.createTable(table);
    int port = FreePorts.next();
    List<String> args = new ArrayList<>(List.of("stream", "--metricsPort", String.valueOf(port)));
    args.addAll(runnerArgs);
    args.addAll(List.of(
        "--kafkaBootstrapServers=" + STACK.stack().kafka.bootstrapServers(),
        "--bigtableEmulatorHost=" + STACK.stack().bigtable.host(),
        "--kafkaTopic=" + topic,
        "--kafkaConsumerGroup=live-" + topic,
        "--bigtableTable=" + table,
        "--lake=" + Files.createDirectories(runDir.resolve("lake-" + topic)),
        "--stateBackendStoragePath=" + runDir.resolve("checkpoints-" + topic).toUri()));
    URI endpoint = URI.create("http://localhost:" + port + "/metrics");
    try (FreshProcess stream = FreshProcess.start(FreshCli.classpath(), args, runDir.resolve(topic + ".log"));
        LiveCounts live = LiveCounts.connect(
            EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, table, STACK.stack().bigtable.host())) {
      LiveHarness.warmUp(STACK.stack().kafka.bootstrapServers(), topic, live);
      assertTrue("the stream process died:\n" + stream.output(), stream.isAlive());

      Instant now = Instant.now();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
          Map.of("bootstrap.servers", STACK.stack().kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < DISTINCT; i++) {
          Instant time = now.minus(Duration.millis(i * 100L));
          send(producer, topic, "e-" + i, event("e-" + i, time));
          if (i < COPIES) {
            send(producer, topic, "e-" + i, event("e-" + i, time)); // a producer's retry
          }
        }
        for (String bad : BAD) {
          send(producer, topic, "bad", bad);
        }
        // Its window and grace closed long ago: the live view must drop it.
        Instant tooLate = now.minus(EventContract.DEFAULT_ALLOWED_LATENESS).minus(Duration.standardMinutes(20));
        send(producer, topic, "too-late", event("too-late", tooLate));
        producer.flush();
      }
      long records = 1 + DISTINCT + COPIES + BAD.size() + 1;
      ScrapedMetrics metrics = await("the endpoint shows every record read, parsed and counted", Duration.standardMinutes(3), () -> {
        ScrapedMetrics m = ScrapedMetrics.scrape(endpoint);
        return m.counter(FreshMetrics.RECORDS_READ) == records
                && m.counter(FreshMetrics.DUPLICATES_DROPPED) == COPIES
                && m.tooLateForLiveView() == 1
                && m.gaugeMax(WriteLiveCounts.NEWEST_EVENT).equals(OptionalLong.of(now.getMillis()))
            ? m : null;
      }, () -> ScrapedMetrics.scrape(endpoint));
      assertEquals(records, metrics.counter(FreshMetrics.RECORDS_READ));
      assertEquals(records - BAD.size(), metrics.counter(FreshMetrics.EVENTS_PARSED));
      assertEquals(BAD.size(), metrics.counter(FreshMetrics.DEAD_LETTERS));
      assertEquals(COPIES, metrics.counter(FreshMetrics.DUPLICATES_DROPPED));
      assertEquals(1, metrics.tooLateForLiveView());
      assertEquals(OptionalLong.of(now.getMillis()), metrics.gaugeMax(WriteLiveCounts.NEWEST_EVENT));
    }
  }

  private static String event(String id, Instant time) {
    return "{\"event_id\":\"" + id + "\",\"event_type\":\"click\",\"event_time\":\"" + time + "\"}";
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))).get();
  }

}
