package io.freshforever.pipelines.kafka;

import io.freshforever.contract.EventParser;
import io.freshforever.contract.RawRecord;
import io.freshforever.contract.RawRecordCoder;
import io.freshforever.transforms.FreshMetrics;
import io.freshforever.transforms.directrunner.ReadInBatches;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSources;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The ingest log as raw records (the value's bytes and its log coordinates, counted as {@value
 * FreshMetrics#RECORDS_READ}), timestamped by event time ({@link EventTimePolicy}). The key is not
 * needed: the contract sets it to the {@code event_id}, which the value repeats.
 *
 * <p>Offsets are committed to the consumer group when Beam finalizes a checkpoint, so a restarted
 * job resumes where the last one stopped; a group with no committed offsets starts at {@code
 * startOffset} ({@code earliest} by default, so nothing produced before the first start is
 * missed).
 *
 * <p>On the DirectRunner and the FlinkRunner ({@link #batchWaitFor}) KafkaIO's unbounded source is
 * read through {@link ReadInBatches}: the same records, timestamps, watermark and offset commits,
 * handed to the runner in batches, which spares each runner a cost it pays per element read ({@link
 * io.freshforever.transforms.directrunner}). Other runners (Dataflow) read through KafkaIO's own
 * expansion, whatever the runner or a Beam upgrade makes of it.
 */
public final class ReadIngestLog extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String bootstrapServers;
  private final String topic;
  private final String consumerGroup;
  private final String startOffset;
  private final Duration watermarkDelay;
  private final Map<String, String> consumerProperties;
  /** How long a batch waits for more records; null: no batches, KafkaIO's own expansion. */
  private final @Nullable Duration batchWait;

  /**
   * Records per batch handed from the Kafka reader to the runner ({@link ReadInBatches}):
   * large enough that the DirectRunner's 10 elements per bundle carry thousands of records, small
   * enough (~300 KB) that a batch is nothing to hold in memory.
   */
  static final int MAX_BATCH = 1_000;

  /**
   * Bytes per batch at most (a record beyond it is a batch of its own): 1,000 records of the
   * largest size the job carries ({@link CutOversizedValues}) would otherwise be 1 GiB to hold, and
   * the DirectRunner holds ten batches to a bundle, and a copy of each.
   */
  static final long MAX_BATCH_BYTES = 2L * 1024 * 1024;

  /**
   * How long a DirectRunner batch waits for more records (bounds the latency batching adds): that
   * runner pays a checkpoint per element read, so a trickle must still make batches of some size.
   */
  static final Duration DIRECT_RUNNER_BATCH_WAIT = Duration.millis(100);

  /**
   * Batches for the FlinkRunner hold what the consumer has already fetched, and wait for no more:
   * Beam's Flink source updates every Beam metric of its step per element it reads (15% of the live
   * job's time when each record was an element), so a batch pays that once. A batch ends at the
   * first read that finds nothing, which KafkaIO's reader answers within its queue poll (1-20 ms).
   */
  static final Duration FLINK_RUNNER_BATCH_WAIT = Duration.ZERO;

  /**
   * Consumer defaults for throughput (a properties file may change them): a fetch waits for 256 KB
   * or 25 ms, instead of answering with every single new record, which costs the broker about
   * twice the CPU (docs/BENCHMARKS.md, "Runner accommodations"). Below 256 KB a fetch waits the
   * whole 25 ms: part of every count's delay at ordinary rates (was 100 ms; issue 26).
   */
  private static final Map<String, Object> CONSUMER_DEFAULTS =
      Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 25);

  private static final Coder<byte[]> NULLABLE_BYTES = NullableCoder.of(ByteArrayCoder.of());

  /** Settings this transform owns: a properties file must not override them. */
  private static final Set<String> OWN_SETTINGS =
      Set.of(
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

  public ReadIngestLog(
      String bootstrapServers,
      String topic,
      String consumerGroup,
      String startOffset,
      Duration watermarkDelay) {
    this(bootstrapServers, topic, consumerGroup, startOffset, watermarkDelay, Map.of(), null);
  }

  private ReadIngestLog(
      String bootstrapServers,
      String topic,
      String consumerGroup,
      String startOffset,
      Duration watermarkDelay,
      Map<String, String> consumerProperties,
      @Nullable Duration batchWait) {
    if (!startOffset.equals("earliest") && !startOffset.equals("latest")) {
      throw new IllegalArgumentException(
          "start offset must be earliest or latest, is " + startOffset);
    }
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.consumerGroup = consumerGroup;
    this.startOffset = startOffset;
    this.watermarkDelay = watermarkDelay;
    Set<String> overridden = new TreeSet<>(consumerProperties.keySet());
    overridden.retainAll(OWN_SETTINGS);
    if (!overridden.isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka consumer properties " + overridden + " are set by the pipeline's own options"
              + " (--kafkaBootstrapServers, --kafkaConsumerGroup, --kafkaStartOffset); remove them");
    }
    this.consumerProperties = Map.copyOf(consumerProperties);
    this.batchWait = batchWait;
  }

  /**
   * Extra consumer settings, e.g. {@code security.protocol}, {@code sasl.mechanism} and {@code
   * sasl.jaas.config} for a cluster that requires authentication.
   */
  public ReadIngestLog withConsumerProperties(Map<String, String> properties) {
    return new ReadIngestLog(bootstrapServers, topic, consumerGroup, startOffset, watermarkDelay, properties, batchWait);
  }

  /**
   * Reads through {@link ReadInBatches}, a batch waiting at most {@code maxWait} for more records;
   * null: KafkaIO's own expansion. {@link #batchWaitFor} gives the wait that suits a runner.
   */
  public ReadIngestLog inBatches(@Nullable Duration maxWait) {
    return new ReadIngestLog(bootstrapServers, topic, consumerGroup, startOffset, watermarkDelay, consumerProperties, maxWait);
  }

  /** The batch wait for a runner ({@link #inBatches}), null for runners that read record by record. */
  public static @Nullable Duration batchWaitFor(Class<?> runner) {
    return switch (runner.getSimpleName()) {
      case "DirectRunner" -> DIRECT_RUNNER_BATCH_WAIT;
      case "FlinkRunner" -> FLINK_RUNNER_BATCH_WAIT;
      default -> null;
    };
  }

  /** A Java properties file as a map; empty path, empty map. */
  public static Map<String, String> loadConsumerProperties(String path) {
    if (path == null || path.isEmpty()) {
      return Map.of();
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the Kafka consumer properties file " + path + ": " + e, e);
    }
    Map<String, String> map = new TreeMap<>();
    properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
    return map;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            // A producer need not set a key, and a tombstone has no value: both are null, which
            // ByteArrayCoder cannot encode (the job would fail on them).
            .withKeyDeserializerAndCoder(ByteArrayDeserializer.class, NULLABLE_BYTES)
            .withValueDeserializerAndCoder(CutOversizedValues.class, NULLABLE_BYTES)
            .withConsumerConfigUpdates(consumerConfig())
            .commitOffsetsInFinalize()
            .withTimestampPolicyFactory(EventTimePolicy.factory(watermarkDelay));
    PCollection<KafkaRecord<byte[], byte[]>> records =
        batchWait != null
            ? begin.apply("ReadKafka",
                ReadInBatches.from(KafkaSources.of(read), MAX_BATCH, MAX_BATCH_BYTES, ReadIngestLog::sizeOf, batchWait))
            : begin.apply("ReadKafka", read);
    return records.apply("ToRawRecords", ParDo.of(new ToRawRecordFn())).setCoder(RawRecordCoder.of());
  }

  /** What a record weighs in memory, near enough: its key and value. */
  private static long sizeOf(KafkaRecord<byte[], byte[]> record) {
    byte[] key = record.getKV().getKey();
    byte[] value = record.getKV().getValue();
    return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
  }

  private static final class ToRawRecordFn extends DoFn<KafkaRecord<byte[], byte[]>, RawRecord> {
    private final Counter read = Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.RECORDS_READ);

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, OutputReceiver<RawRecord> out) {
      read.inc();
      out.output(
          RawRecord.of(
              record.getKV().getValue(),
              new Instant(record.getTimestamp()),
              record.getPartition(),
              record.getOffset()));
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>(CONSUMER_DEFAULTS);
    config.putAll(consumerProperties);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startOffset);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  /**
   * Event-time timestamps and watermark for one Kafka partition.
   *
   * <ul>
   *   <li>A record's timestamp is its {@code event_time} (at most processing time). A record without a usable one (it will be a
   *       dead letter) takes the partition's newest event time, so it neither counts as late nor
   *       moves the watermark.
   *   <li>The watermark trails the newest event time by {@code delay}: the out-of-orderness the live
   *       view tolerates before calling an event late. Event times ahead of the time Kafka took the
   *       record (or of processing time, if that is earlier) are capped there, so a producer with a
   *       broken clock cannot race the watermark. The record's own Kafka time, not the reader's
   *       clock: a job catching up on minutes of backlog reads an event stamped a day ahead (a dead
   *       letter) long after it was written, and capped at the reader's clock it would move the
   *       watermark past every window the backlog still holds, closing them minutes early.
   *   <li>An idle partition must not hold the watermark back: whenever the reader has caught up
   *       with a partition (backlog 0), its watermark may advance to processing time minus {@code
   *       delay}, including a partition that has never had a record. (KafkaIO's own {@code
   *       CustomTimestampPolicyWithLimitedDelay} waits for a first record, so a never-used partition
   *       stalls the watermark forever.)
   * </ul>
   *
   * The watermark never moves backwards.
   */
  public static final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
    private final Duration delay;
    private Instant newestEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
    private Instant watermark;

    EventTimePolicy(Duration delay, Optional<Instant> previousWatermark) {
      this.delay = delay;
      this.watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
    }

    public static TimestampPolicyFactory<byte[], byte[]> factory(Duration delay) {
      return (TopicPartition partition, Optional<Instant> previousWatermark) ->
          new EventTimePolicy(delay, previousWatermark);
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
      Instant eventTime = EventParser.eventTimeOf(record.getKV().getValue());
      if (eventTime == null) {
        return newestEventTime.isAfter(watermark) ? newestEventTime : watermark;
      }
      Instant cap = new Instant(Math.min(record.getTimestamp(), System.currentTimeMillis()));
      Instant capped = eventTime.isAfter(cap) ? cap : eventTime;
      if (capped.isAfter(newestEventTime)) {
        newestEventTime = capped;
      }
      // Parsing re-stamps valid events with their exact event time; a capped one is a dead letter.
      return capped;
    }

    @Override
    public Instant getWatermark(PartitionContext ctx) {
      Instant candidate =
          newestEventTime.equals(BoundedWindow.TIMESTAMP_MIN_VALUE)
              ? BoundedWindow.TIMESTAMP_MIN_VALUE
              : newestEventTime.minus(delay);
      if (ctx.getMessageBacklog() == 0) {
        Instant idle = ctx.getBacklogCheckTime().minus(delay);
        if (idle.isAfter(candidate)) {
          candidate = idle;
        }
      }
      if (candidate.isAfter(watermark)) {
        watermark = candidate;
      }
      return watermark;
    }
  }
}
