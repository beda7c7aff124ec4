package org.apache.beam.sdk.io.kafka;

import org.apache.beam.sdk.io.UnboundedSource;

/**
 * The UnboundedSource behind a {@link KafkaIO.Read}, which KafkaIO builds only inside its own
 * expansion ({@code makeSource} is package-private). {@code io.freshforever.transforms.directrunner.
 * BatchedUnboundedSource} wraps it so the DirectRunner and the FlinkRunner read records in
 * batches; this class lives in KafkaIO's package for that one call and holds no logic of its own.
 */
public final class KafkaSources {
  private KafkaSources() {}

  public static <K, V> UnboundedSource<KafkaRecord<K, V>, KafkaCheckpointMark> of(
      KafkaIO.Read<K, V> read) {
    return read.makeSource();
  }
}
