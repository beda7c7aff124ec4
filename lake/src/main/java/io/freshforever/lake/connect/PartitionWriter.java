package io.freshforever.lake.connect;

import io.freshforever.lake.LakeFlush;
import io.freshforever.lake.LakeRow;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The lake's writer for one Kafka partition: rows go into the open flush, which is published where
 * {@link LakeSinkConfig} says a flush ends. It knows the offset up to which everything it read is
 * published: the only offset the task may let Connect commit.
 */
final class PartitionWriter {
  /** No Kafka time seen yet in the open flush (it is empty, or its records have none). */
  private static final long NONE = Long.MIN_VALUE;

  private final ResourceId root;
  private final String topic;
  private final int partition;
  private final FlushRules rules;
  private final LongSupplier clockMillis;
  private LakeFlush flush;
  /** The newest flush interval (of Kafka timestamps) among the open flush's records. */
  private long flushInterval = NONE;
  private long openedMillis;
  private OptionalLong publishedUpTo = OptionalLong.empty();

  /** Where a flush ends, from the connector's settings. */
  record FlushRules(long intervalMillis, long maxBytes, int maxFolders) {
    static FlushRules of(LakeSinkConfig config) {
      return new FlushRules(config.flushEvery().toMillis(), config.flushMaxBytes(), config.flushMaxFolders());
    }
  }

  PartitionWriter(ResourceId root, String topic, int partition, FlushRules rules, LongSupplier clockMillis) {
    this.root = root;
    this.topic = topic;
    this.partition = partition;
    this.rules = rules;
    this.clockMillis = clockMillis;
    this.flush = new LakeFlush(root, topic, partition);
  }

  /**
   * Adds the record at {@code offset}, first publishing the open flush if this record must start a
   * new one: its Kafka timestamp lies in a later interval than the flush's records, or it would
   * take the flush beyond its bytes or folders. These depend on the flush's records alone, so the
   * same records read again from the same offset make the same flushes.
   *
   * @param kafkaTimestamp the record's Kafka time; negative when it has none (it then ends no flush)
   * @return whether a flush was published
   */
  boolean add(long offset, long kafkaTimestamp, LakeRow row, long recordBytes) throws IOException {
    long interval = kafkaTimestamp < 0 ? NONE : Math.floorDiv(kafkaTimestamp, rules.intervalMillis());
    boolean published = false;
    if (!flush.isEmpty()
        && ((flushInterval != NONE && interval > flushInterval)
            || flush.bytes() + recordBytes > rules.maxBytes()
            || (!flush.holds(row.folder()) && flush.folders() >= rules.maxFolders()))) {
      publish();
      published = true;
    }
    if (flush.isEmpty()) {
      openedMillis = clockMillis.getAsLong();
    }
    flush.add(offset, row.folder(), row.schema(), row.row(), recordBytes);
    flushInterval = Math.max(flushInterval, interval);
    return published;
  }

  /**
   * Publishes the open flush once the partition has been quiet long enough: a whole interval after
   * the end of its records' newest interval, when the log holds no more records of it unless this
   * task lags by more than an interval (then a re-read may end this flush elsewhere: copies of one
   * flush at most). At the latest two intervals after the flush opened, whatever its records' times.
   */
  boolean publishIfDue() throws IOException {
    if (flush.isEmpty()) {
      return false;
    }
    long interval = rules.intervalMillis();
    long intervalEnd = flushInterval == NONE ? openedMillis : (flushInterval + 1) * interval;
    long dueAt = openedMillis + interval + Math.max(0, Math.min(interval, intervalEnd - openedMillis));
    if (clockMillis.getAsLong() < dueAt) {
      return false;
    }
    publish();
    return true;
  }

  private void publish() throws IOException {
    flush.publish();
    publishedUpTo = OptionalLong.of(flush.nextOffset());
    flush = new LakeFlush(root, topic, partition);
    flushInterval = NONE;
  }

  /** The offset after the last published record, once anything is published. */
  OptionalLong publishedUpTo() {
    return publishedUpTo;
  }

  /**
   * Drops the open flush; returns the offset its first record had, where the log must be read again
   * (empty when the flush held nothing).
   */
  OptionalLong abandon() {
    long first = flush.firstOffset();
    flush.abandon();
    flush = new LakeFlush(root, topic, partition);
    flushInterval = NONE;
    return first < 0 ? OptionalLong.empty() : OptionalLong.of(first);
  }

  /** What the open flush holds, for the bounds a task keeps. */
  long bufferedBytes() {
    return flush.bytes();
  }

  int openFiles() {
    return flush.folders();
  }
}
