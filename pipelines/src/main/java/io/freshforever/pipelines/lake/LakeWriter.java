package io.freshforever.pipelines.lake;

import io.freshforever.contract.DeadLetter;
import io.freshforever.contract.Event;
import io.freshforever.contract.EventParser;
import io.freshforever.contract.InvalidEventException;
import io.freshforever.contract.RawRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake's writer: every record of the ingest log into the Parquet lake, valid events under
 * {@code events/}, everything else under {@code dlq/} with its reason, however late, whatever kills
 * the process.
 *
 * <p>It is a Kafka consumer of its own (group {@code fresh-lake} by default), beside the live
 * path, in the way Kafka Connect's storage sinks work: rows go into files as they are read; every
 * {@code flushEvery} the files are completed and published ({@link LakeFlush}) and only then are the
 * offsets they cover committed. The committed offset of a partition is therefore never ahead of
 * the published files: after a crash the writer starts from it and writes again whatever had not
 * been published. Nothing is lost; a crash between publishing and committing leaves copies of at
 * most one flush, which the batch path's dedup absorbs. The live path's own state, checkpoints or
 * runner play no part in it.
 */
public final class LakeWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  /** What the lake writer reads, where it writes, and how often it publishes. */
  public record Settings(
      String bootstrapServers,
      String topic,
      String consumerGroup,
      String startOffset,
      Map<String, String> consumerProperties,
      String lakeRoot,
      Duration flushEvery,
      org.joda.time.Duration maxFutureSkew) {}

  private final Settings settings;
  private final ResourceId root;
  private final EventParser parser;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicLong recordsPublished = new AtomicLong();
  private final AtomicLong filesPublished = new AtomicLong();
  private volatile boolean stopping;
  private LakeFlush flush;
  private long flushStartedNanos;

  private LakeWriter(Settings settings) {
    this.settings = settings;
    this.root = FileSystems.matchNewResource(settings.lakeRoot(), true);
    this.parser = new EventParser(settings.maxFutureSkew());
    this.consumer = new KafkaConsumer<>(consumerConfig(settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.flush = new LakeFlush(root);
    this.thread = new Thread(this::run, "lake-writer");
  }

  /** Starts reading and writing in a thread of its own. */
  public static LakeWriter start(Settings settings) {
    LakeWriter writer = new LakeWriter(settings);
    writer.thread.start();
    return writer;
  }

  /** Rows published to the lake since this writer started (events and dead letters). */
  public long recordsPublished() {
    return recordsPublished.get();
  }

  public long filesPublished() {
    return filesPublished.get();
  }

  /** Why the writer stopped by itself, if it did. */
  public Throwable failure() {
    return failure.get();
  }

  public boolean isRunning() {
    return thread.isAlive();
  }

  /** Publishes what it holds, commits, and stops. */
  @Override
  public void close() {
    stopping = true;
    consumer.wakeup();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      consumer.subscribe(List.of(settings.topic()), new PublishOnRevoke());
      while (!stopping) {
        try {
          ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
          for (ConsumerRecord<byte[], byte[]> record : records) {
            add(record);
          }
          if (!flush.isEmpty() && System.nanoTime() - flushStartedNanos >= settings.flushEvery().toNanos()) {
            publishAndCommit();
          }
        } catch (WakeupException stop) {
          // close() wants us to stop: publish below
        } catch (IOException e) {
          LOG.warn("lake writer: could not write {} ({}); retrying from the last committed offsets", settings.lakeRoot(), e.toString());
          restartFromCommitted();
        }
      }
      publishAndCommit();
    } catch (IOException | RuntimeException e) {
      failure.set(e);
      LOG.error("lake writer stopped: {}", e.toString());
      flush.abandon();
    } finally {
      consumer.close();
    }
  }

  private void add(ConsumerRecord<byte[], byte[]> record) throws IOException {
    if (flush.isEmpty()) {
      flushStartedNanos = System.nanoTime();
    }
    RawRecord raw = RawRecord.of(record.value(), new Instant(record.timestamp()), record.partition(), record.offset());
    try {
      Event event = parser.parse(raw, Instant.now());
      flush.add(
          record.partition(),
          record.offset(),
          LakeLayout.eventPartition(event.eventTime()),
          LakeSchemas.EVENT,
          LakeSchemas.toRecord(event));
    } catch (InvalidEventException e) {
      flush.add(
          record.partition(),
          record.offset(),
          LakeLayout.deadLetterPartition(raw.ingestTime()),
          LakeSchemas.DEAD_LETTER,
          LakeSchemas.toRecord(DeadLetter.of(raw, e.reason(), e.getMessage())));
    }
  }

  private void publishAndCommit() throws IOException {
    if (flush.isEmpty()) {
      return;
    }
    LakeFlush published = flush;
    flush = new LakeFlush(root);
    List<String> files = published.publish();
    recordsPublished.addAndGet(published.rows());
    filesPublished.addAndGet(files.size());
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    published.nextOffsets().forEach((partition, next) ->
        offsets.put(new TopicPartition(settings.topic(), partition), new OffsetAndMetadata(next)));
    commit(offsets);
    LOG.debug("lake writer: published {} rows in {} files", published.rows(), files.size());
  }

  /**
   * Commits, retrying while the broker is away. Giving up is safe: the files are published, so the
   * rows would only be read and written once more.
   */
  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    while (true) {
      try {
        consumer.commitSync(offsets);
        return;
      } catch (WakeupException stop) {
        stopping = true;
      } catch (RetriableException e) {
        LOG.warn("lake writer: committing offsets failed ({}); retrying", e.toString());
        sleep(RETRY_AFTER);
      } catch (KafkaException e) {
        LOG.warn("lake writer: offsets not committed ({}); the last flush will be written again", e.toString());
        return;
      }
    }
  }

  /** After a failed write: drop what is not published and read it again. */
  private void restartFromCommitted() {
    flush.abandon();
    flush = new LakeFlush(root);
    sleep(RETRY_AFTER);
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
    for (TopicPartition partition : assigned) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset != null) {
        consumer.seek(partition, offset);
      } else if (settings.startOffset().equals("latest")) {
        consumer.seekToEnd(List.of(partition));
      } else {
        consumer.seekToBeginning(List.of(partition));
      }
    }
  }

  /** Partitions leave this writer only with their rows published and committed. */
  private final class PublishOnRevoke implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        publishAndCommit();
      } catch (IOException e) {
        LOG.warn("lake writer: could not publish before a rebalance ({}); the rows are read again", e.toString());
        flush.abandon();
        flush = new LakeFlush(root);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      deleteLeftOverTempFiles(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Another writer owns them already: what we hold is not ours to publish.
      flush.abandon();
      flush = new LakeFlush(root);
    }
  }

  /** Temporary files of a writer that died while it owned these partitions: never published. */
  private void deleteLeftOverTempFiles(Collection<TopicPartition> partitions) {
    List<ResourceId> leftOver = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      String pattern =
          root.resolve(LakeFlush.TEMP_FOLDER, StandardResolveOptions.RESOLVE_DIRECTORY)
              .resolve(LakeFlush.tempPrefix(partition.partition()) + "*", StandardResolveOptions.RESOLVE_FILE)
              .toString();
      try {
        MatchResult match = FileSystems.match(pattern);
        if (match.status() == MatchResult.Status.OK) {
          match.metadata().forEach(m -> leftOver.add(m.resourceId()));
        }
      } catch (IOException e) {
        LOG.debug("no temporary files to clean under {}", pattern);
      }
    }
    try {
      FileSystems.delete(leftOver, StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      LOG.warn("lake writer: could not delete left-over temporary files ({})", e.toString());
    }
  }

  private static Map<String, Object> consumerConfig(Settings settings) {
    Map<String, Object> config = new HashMap<>(settings.consumerProperties());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroup());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.startOffset());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A writer killed without leaving the group holds its partitions until its session expires:
    // short, so that its restart resumes within seconds.
    config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    return config;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
