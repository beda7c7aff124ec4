package io.freshforever.pipelines.kafka;

import io.freshforever.contract.RawRecord;
import io.freshforever.transforms.FromKafkaRecords;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;

/**
 * The ingest log as raw records, timestamped by event time ({@link EventTimePolicy}).
 *
 * <p>Offsets are committed to the consumer group when Beam finalizes a checkpoint, so a restarted
 * job resumes where the last one stopped; a group with no committed offsets starts at {@code
 * startOffset} ({@code earliest} by default, so nothing produced before the first start is
 * missed).
 */
public final class ReadIngestLog extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String bootstrapServers;
  private final String topic;
  private final String consumerGroup;
  private final String startOffset;
  private final Duration watermarkDelay;

  public ReadIngestLog(
      String bootstrapServers,
      String topic,
      String consumerGroup,
      String startOffset,
      Duration watermarkDelay) {
    if (!startOffset.equals("earliest") && !startOffset.equals("latest")) {
      throw new IllegalArgumentException(
          "start offset must be earliest or latest, is " + startOffset);
    }
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.consumerGroup = consumerGroup;
    this.startOffset = startOffset;
    this.watermarkDelay = watermarkDelay;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply(
            "ReadKafka",
            KafkaIO.<byte[], byte[]>read()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeyDeserializer(ByteArrayDeserializer.class)
                .withValueDeserializer(ByteArrayDeserializer.class)
                .withConsumerConfigUpdates(
                    Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, consumerGroup,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startOffset,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))
                .commitOffsetsInFinalize()
                .withTimestampPolicyFactory(EventTimePolicy.factory(watermarkDelay)))
        .apply("ToRawRecords", FromKafkaRecords.create());
  }
}
