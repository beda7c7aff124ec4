package io.freshforever.pipelines.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.freshforever.transforms.directrunner.ReadInBatches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReadIngestLogTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static ReadIngestLog read() {
    return new ReadIngestLog("localhost:9092", "events", "fresh-live", "earliest", Duration.standardSeconds(10));
  }

  @Test
  public void consumerPropertiesComeFromAPropertiesFile() throws Exception {
    Path file = tmp.newFile("kafka.properties").toPath();
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\nsasl.mechanism=OAUTHBEARER\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;\n");
    Map<String, String> properties = ReadIngestLog.loadConsumerProperties(file.toString());
    assertEquals(
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "OAUTHBEARER",
            "sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;"),
        properties);
    read().withConsumerProperties(properties); // accepted
    assertEquals(Map.of(), ReadIngestLog.loadConsumerProperties(""));
  }

  @Test
  public void propertiesCannotOverrideThePipelinesOwnSettings() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> read().withConsumerProperties(Map.of("group.id", "other", "enable.auto.commit", "true", "client.id", "x")));
    assertEquals(
        "Kafka consumer properties [enable.auto.commit, group.id] are set by the pipeline's own options"
            + " (--kafkaBootstrapServers, --kafkaConsumerGroup, --kafkaStartOffset); remove them",
        e.getMessage());
  }

  @Test
  public void theDirectAndFlinkRunnersReadInBatchesEveryOtherRunnerGetsKafkaIosOwnExpansion() {
    assertTrue(ReadInBatches.class.isAssignableFrom(readStep(DirectRunner.class)));
    assertTrue(ReadInBatches.class.isAssignableFrom(readStep(FlinkRunner.class)));
    assertTrue(KafkaIO.Read.class.isAssignableFrom(readStep(DataflowRunner.class)));
    assertEquals(Duration.millis(100), ReadIngestLog.batchWaitFor(DirectRunner.class));
    assertEquals(Duration.ZERO, ReadIngestLog.batchWaitFor(FlinkRunner.class));
  }

  // Runners are named as the options name them; this module depends on none but the DirectRunner.
  private static final class FlinkRunner {}

  private static final class DataflowRunner {}

  /** What class of transform the step ReadIngestLog/ReadKafka is, as a runner is handed the graph. */
  private static Class<?> readStep(Class<?> runner) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline.apply("ReadIngestLog", read().inBatches(ReadIngestLog.batchWaitFor(runner)));
    List<Class<?>> steps = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if ("ReadIngestLog/ReadKafka".equals(node.getFullName())) {
              steps.add(node.getTransform().getClass());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    assertEquals(1, steps.size());
    return steps.get(0);
  }

  @Test
  public void aMissingFileIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReadIngestLog.loadConsumerProperties("/nope/kafka.properties"));
    assertEquals(true, e.getMessage().startsWith("cannot read the Kafka consumer properties file /nope/kafka.properties"));
  }
}
