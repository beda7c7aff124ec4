package io.freshforever.lake.connect;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * What a Connect worker hands a sink task, reduced to what the task asks of it: the offsets it
 * rewinds to and its commit requests are recorded for the test to assert on.
 */
final class RecordingContext implements SinkTaskContext {
  final Map<TopicPartition, Long> rewoundTo = new HashMap<>();
  int commitRequests;

  @Override
  public Map<String, String> configs() {
    return Map.of();
  }

  @Override
  public void offset(Map<TopicPartition, Long> offsets) {
    rewoundTo.putAll(offsets);
  }

  @Override
  public void offset(TopicPartition tp, long offset) {
    rewoundTo.put(tp, offset);
  }

  @Override
  public void timeout(long timeoutMs) {}

  @Override
  public Set<TopicPartition> assignment() {
    return Set.of();
  }

  @Override
  public void pause(TopicPartition... partitions) {}

  @Override
  public void resume(TopicPartition... partitions) {}

  @Override
  public void requestCommit() {
    commitRequests++;
  }
}
