package io.freshforever.lake.connect;

import io.freshforever.lake.LakeFlush;
import io.freshforever.lake.LakeRow;
import java.io.IOException;
import java.util.OptionalLong;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The lake's writer for one Kafka partition: rows go into the open flush, which is published where
 * {@link LakeSinkConfig} says a flush ends. It knows the offset up to which everything it read is
 * published: the only offset the task may let Connect commit.
 */
final class PartitionWriter {
  private final ResourceId root;
  private final int partition;
  private final FlushRules rules;
  private LakeFlush flush;
  /** The newest flush interval (of Kafka timestamps) among the open flush's records. */
  private long flushInterval = Long.MIN_VALUE;
  private long openedNanos;
  private OptionalLong publishedUpTo = OptionalLong.empty();

  /** Where a flush ends, from the connector's settings. */
  record FlushRules(long intervalMillis, long maxBytes, int maxFolders) {
    static FlushRules of(LakeSinkConfig config) {
      return new FlushRules(config.flushEvery().toMillis(), config.flushMaxBytes(), config.flushMaxFolders());
    }
  }

  PartitionWriter(ResourceId root, int partition, FlushRules rules) {
    this.root = root;
    this.partition = partition;
    this.rules = rules;
    this.flush = new LakeFlush(root, partition);
  }

  /**
   * Adds the record at {@code offset}, first publishing the open flush if this record must start a
   * new one: its Kafka timestamp lies in a later interval, or it would take the flush beyond its
   * bytes or folders. These depend on the records alone, so the same records make the same flushes.
   *
   * @return whether a flush was published
   */
  boolean add(long offset, long kafkaTimestamp, LakeRow row, long recordBytes) throws IOException {
    long interval = kafkaTimestamp < 0 ? flushInterval : Math.floorDiv(kafkaTimestamp, rules.intervalMillis());
    boolean published = false;
    if (!flush.isEmpty()
        && (interval > flushInterval
            || flush.bytes() + recordBytes > rules.maxBytes()
            || (!flush.holds(row.folder()) && flush.folders() >= rules.maxFolders()))) {
      publish();
      published = true;
    }
    if (flush.isEmpty()) {
      openedNanos = System.nanoTime();
      flushInterval = interval;
    }
    flush.add(offset, row.folder(), row.schema(), row.row(), recordBytes);
    flushInterval = Math.max(flushInterval, interval);
    return published;
  }

  /** Publishes the open flush if it has been open for a whole interval on the clock (a quiet partition). */
  boolean publishIfDue() throws IOException {
    if (flush.isEmpty() || System.nanoTime() - openedNanos < rules.intervalMillis() * 1_000_000) {
      return false;
    }
    publish();
    return true;
  }

  private void publish() throws IOException {
    flush.publish();
    publishedUpTo = OptionalLong.of(flush.nextOffset());
    flush = new LakeFlush(root, partition);
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
    flush = new LakeFlush(root, partition);
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
