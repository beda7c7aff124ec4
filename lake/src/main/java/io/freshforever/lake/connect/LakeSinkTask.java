package io.freshforever.lake.connect;

import io.freshforever.contract.EventParser;
import io.freshforever.contract.RawRecord;
import io.freshforever.lake.LakeFlush;
import io.freshforever.lake.LakeRow;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task of the lake connector: the records of its Kafka partitions into lake files, published
 * flush by flush ({@link PartitionWriter}), and for each partition the offset up to which its files
 * are published handed to Connect from {@link #preCommit}: the committed offset is never ahead of
 * the lake. A task that dies, a worker that is killed, a partition that moves to another task: the
 * next owner reads again from the committed offset, ends its flushes where the first owner did (the
 * records' Kafka timestamps decide), and finds any file already published under its name, which it
 * keeps. Nothing is lost; a log with producer-set timestamps can at worst get one flush's rows
 * twice, which the batch path's dedup absorbs.
 *
 * <p>Partitions leave a task unpublished ({@link #close}): what it holds is read again by the next
 * owner, so a rebalance never publishes a flush that ends at an arbitrary offset. A failed write
 * drops the partition's open flush and rewinds the partition to its first record, after a pause.
 */
public final class LakeSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(LakeSinkTask.class);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  private ResourceId root;
  private EventParser parser;
  private PartitionWriter.FlushRules rules;
  private final Map<TopicPartition, PartitionWriter> writers = new HashMap<>();
  /** Where a partition must be read again from, after a write failed outside {@link #put}. */
  private final Map<TopicPartition, Long> pendingRewinds = new HashMap<>();
  /** Processing time: quiet flushes are published by it, and it stands in for a record's missing Kafka time. */
  private final Supplier<Instant> clock;

  public LakeSinkTask() {
    this(Instant::now);
  }

  LakeSinkTask(Supplier<Instant> clock) {
    this.clock = clock;
  }

  @Override
  public String version() {
    return LakeSinkConnector.version(LakeSinkTask.class);
  }

  @Override
  public void start(Map<String, String> props) {
    LakeSinkConfig config = new LakeSinkConfig(props);
    LakeSinkConfig.registerFileSystems();
    root = FileSystems.matchNewResource(config.lakeRoot(), true);
    parser = new EventParser(config.maxFutureSkew(), config.maxEventAge());
    rules = PartitionWriter.FlushRules.of(config);
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      try {
        LakeFlush.deleteLeftOverTempFiles(root, partition.topic(), partition.partition());
      } catch (IOException e) {
        LOG.warn("lake: could not delete left-over temporary files of {} ({}); they stay invisible", partition, e.toString());
      }
      writers.put(partition, newWriter(partition));
    }
  }

  private PartitionWriter newWriter(TopicPartition partition) {
    return new PartitionWriter(root, partition.topic(), partition.partition(), rules, () -> clock.get().getMillis());
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    Instant now = clock.get();
    Set<TopicPartition> rewound = new HashSet<>();
    // A rewind asked for while Connect was committing is applied now, while the partition is ours.
    pendingRewinds.forEach((partition, offset) -> {
      context.offset(partition, offset);
      rewound.add(partition);
    });
    pendingRewinds.clear();
    boolean published = false;
    for (SinkRecord record : records) {
      TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
      if (rewound.contains(partition)) {
        continue; // read again from the rewound offset
      }
      PartitionWriter writer = writers.computeIfAbsent(partition, this::newWriter);
      long kafkaTime = record.timestamp() == null ? -1 : record.timestamp();
      RawRecord raw = RawRecord.of(bytesOf(record), new Instant(kafkaTime < 0 ? now.getMillis() : kafkaTime), record.kafkaPartition(), record.kafkaOffset());
      try {
        published |= writer.add(record.kafkaOffset(), kafkaTime, LakeRow.of(raw, parser), sizeOf(raw));
      } catch (IOException | RuntimeException e) {
        rewindFrom(partition, writer, OptionalLong.of(record.kafkaOffset()), e).ifPresent(o -> context.offset(partition, o));
        rewound.add(partition);
      }
    }
    published |= publishQuietPartitions(rewound);
    pendingRewinds.forEach((partition, offset) -> context.offset(partition, offset));
    rewound.addAll(pendingRewinds.keySet());
    pendingRewinds.clear();
    if (published) {
      context.requestCommit(); // Connect commits what was published without waiting for its timer
    }
    if (!rewound.isEmpty()) {
      pause();
    }
  }

  /**
   * The offsets up to which each partition's rows are published: all Connect may commit. A flush
   * open for a whole interval is published first, so that a quiet partition's last rows are not
   * held back.
   */
  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    publishQuietPartitions(Set.of()); // committed right below
    Map<TopicPartition, OffsetAndMetadata> published = new HashMap<>();
    for (TopicPartition partition : currentOffsets.keySet()) {
      PartitionWriter writer = writers.get(partition);
      if (writer != null) {
        writer.publishedUpTo().ifPresent(next -> published.put(partition, new OffsetAndMetadata(next)));
      }
    }
    return published;
  }

  /** Partitions leaving this task: their unpublished rows are the next owner's to read again. */
  @Override
  public void close(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      pendingRewinds.remove(partition);
      PartitionWriter writer = writers.remove(partition);
      if (writer != null) {
        writer.abandon();
      }
    }
  }

  @Override
  public void stop() {
    writers.values().forEach(PartitionWriter::abandon);
    writers.clear();
    pendingRewinds.clear();
  }

  /** Bytes of records held in open flushes, over all partitions: bounded by the flush rules. */
  long bufferedBytes() {
    return writers.values().stream().mapToLong(PartitionWriter::bufferedBytes).sum();
  }

  /** Open Parquet files over all partitions: bounded by the flush rules. */
  int openFiles() {
    return writers.values().stream().mapToInt(PartitionWriter::openFiles).sum();
  }

  /** @return whether anything was published */
  private boolean publishQuietPartitions(Set<TopicPartition> skip) {
    boolean published = false;
    for (Map.Entry<TopicPartition, PartitionWriter> entry : writers.entrySet()) {
      if (skip.contains(entry.getKey())) {
        continue;
      }
      try {
        published |= entry.getValue().publishIfDue();
      } catch (IOException | RuntimeException e) {
        // Not rewound here: from preCommit the partition may be about to leave this task.
        rewindFrom(entry.getKey(), entry.getValue(), OptionalLong.empty(), e).ifPresent(o -> pendingRewinds.put(entry.getKey(), o));
      }
    }
    return published;
  }

  /**
   * After a failed write: the partition's open flush is dropped; returns where the consumer must go
   * back to, its first record ({@code failedRecord} when the flush was empty), so that nothing
   * unpublished is skipped.
   */
  private OptionalLong rewindFrom(TopicPartition partition, PartitionWriter writer, OptionalLong failedRecord, Exception e) {
    OptionalLong first = writer.abandon();
    OptionalLong from = first.isPresent() ? first : failedRecord;
    LOG.warn("lake: could not write {} of {} ({}); reading again from offset {}",
        root, partition, e.toString(), from.isPresent() ? from.getAsLong() : "(nothing held)");
    return from;
  }

  private static byte[] bytesOf(SinkRecord record) {
    Object value = record.value();
    if (value == null || value instanceof byte[]) {
      return (byte[]) value;
    }
    throw new ConnectException("the lake connector needs value.converter=" + LakeSinkConfig.BYTES
        + ", got a " + value.getClass().getName());
  }

  /** What a record costs an open flush: its payload and the row's other columns. */
  private static long sizeOf(RawRecord raw) {
    return (raw.payload() == null ? 0 : raw.payload().length) + 128;
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_AFTER.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
