package io.freshforever.runners.generate;

import io.freshforever.contract.EventContract;
import io.freshforever.contract.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Produces realistic events into the ingest topic: fresh events stamped "now", retried copies (on
 * the same or another partition), events late within the grace period, events too late for the
 * live view, and every kind of bad record. Seeded, so a run can be repeated; every record's fate is
 * recorded in {@link Expectations}.
 */
public final class EventGenerator implements AutoCloseable {
  /**
   * What to produce. Rates are fractions of all records. Start from {@link #defaultMix} and name
   * what differs, so that every caller shares one mix.
   */
  public record Settings(
      String bootstrapServers,
      String topic,
      List<String> eventTypes,
      double duplicateRate,
      double lateRate,
      double tooLateRate,
      double badRate,
      Duration allowedLateness,
      Duration warmUp,
      long seed) {

    /**
     * Retries, late and bad records in the proportions the platform sees: 5% retried copies, 2% late
     * within the grace period, 0.5% too late, 0.5% bad, no warm-up, seed 0.
     */
    public static Settings defaultMix(String bootstrapServers, String topic) {
      return new Settings(
          bootstrapServers, topic, DEFAULT_TYPES, 0.05, 0.02, 0.005, 0.005,
          EventContract.DEFAULT_ALLOWED_LATENESS, Duration.ZERO, 0L);
    }

    public Settings withEventTypes(List<String> types) {
      return new Settings(bootstrapServers, topic, List.copyOf(types), duplicateRate, lateRate, tooLateRate, badRate, allowedLateness, warmUp, seed);
    }

    public Settings withDuplicateRate(double rate) {
      return new Settings(bootstrapServers, topic, eventTypes, rate, lateRate, tooLateRate, badRate, allowedLateness, warmUp, seed);
    }

    public Settings withLateRate(double rate) {
      return new Settings(bootstrapServers, topic, eventTypes, duplicateRate, rate, tooLateRate, badRate, allowedLateness, warmUp, seed);
    }

    public Settings withTooLateRate(double rate) {
      return new Settings(bootstrapServers, topic, eventTypes, duplicateRate, lateRate, rate, badRate, allowedLateness, warmUp, seed);
    }

    public Settings withBadRate(double rate) {
      return new Settings(bootstrapServers, topic, eventTypes, duplicateRate, lateRate, tooLateRate, rate, allowedLateness, warmUp, seed);
    }

    /** The pipeline's grace period, which decides how far back "late" and "too late" events go. */
    public Settings withAllowedLateness(Duration lateness) {
      return new Settings(bootstrapServers, topic, eventTypes, duplicateRate, lateRate, tooLateRate, badRate, lateness, warmUp, seed);
    }

    /** How long only fresh events are sent, so a dashboard starts from a live window. */
    public Settings withWarmUp(Duration wait) {
      return new Settings(bootstrapServers, topic, eventTypes, duplicateRate, lateRate, tooLateRate, badRate, allowedLateness, wait, seed);
    }

    public Settings withSeed(long value) {
      return new Settings(bootstrapServers, topic, eventTypes, duplicateRate, lateRate, tooLateRate, badRate, allowedLateness, warmUp, value);
    }
  }

  /** The event types a generated stream carries unless told otherwise. */
  public static final List<String> DEFAULT_TYPES =
      List.of("page_view", "click", "search", "add_to_cart", "purchase", "signup", "login", "share");

  private static final RejectReason[] BAD_KINDS = {
    RejectReason.NOT_JSON,
    RejectReason.NOT_AN_OBJECT,
    RejectReason.MISSING_FIELD,
    RejectReason.INVALID_FIELD,
    RejectReason.EVENT_TIME_IN_FUTURE,
    RejectReason.EMPTY_PAYLOAD,
    RejectReason.NOT_UTF8,
    RejectReason.PAYLOAD_TOO_LARGE
  };
  private static final int RECENT = 4096;

  private final Settings settings;
  private final KafkaProducer<byte[], byte[]> producer;
  private final int partitions;
  private final Random random;
  private final Expectations expectations = new Expectations();
  private final List<ProducerRecord<byte[], byte[]>> recent = new ArrayList<>();
  private final Instant started = Instant.now();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public EventGenerator(Settings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed());
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.partitions = producer.partitionsFor(settings.topic()).size();
  }

  public Expectations expectations() {
    return expectations;
  }

  /**
   * Produces records at {@code rate} per second (0: as fast as possible) until {@code count} are
   * sent or {@code deadlineMillis} passes, calling {@code everySecond} about once a second; then
   * waits until Kafka has acknowledged them all.
   */
  public void produce(long count, double rate, long deadlineMillis, Runnable everySecond)
      throws Exception {
    long start = System.currentTimeMillis();
    long lastReport = start;
    for (long sent = 0; sent < count && System.currentTimeMillis() < deadlineMillis; sent++) {
      if (rate > 0) {
        long wait = start + (long) (sent * 1000 / rate) - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
      }
      produceOne();
      if (System.currentTimeMillis() - lastReport >= 1000) {
        lastReport = System.currentTimeMillis();
        everySecond.run();
      }
    }
    flush();
  }

  /** Produces one record, choosing its kind by the configured rates. */
  public void produceOne() {
    Instant now = Instant.now();
    boolean warm = now.isAfter(started.plus(settings.warmUp()));
    double dice = random.nextDouble();
    double bad = settings.badRate();
    double dup = bad + settings.duplicateRate();
    double late = dup + settings.lateRate();
    double tooLate = late + settings.tooLateRate();
    if (dice < bad) {
      produceBad(now);
    } else if (dice < dup && !recent.isEmpty()) {
      produceDuplicate();
    } else if (dice < late && warm) {
      // Minutes behind: past the watermark, inside the grace period.
      produceEvent(now.minus(Duration.standardSeconds(90 + random.nextInt(210))), true);
    } else if (dice < tooLate && warm) {
      Duration behind =
          settings.allowedLateness().plus(Duration.standardMinutes(20 + random.nextInt(30)));
      produceEvent(now.minus(behind), false);
    } else {
      produceEvent(now, true);
    }
  }

  private void produceEvent(Instant eventTime, boolean withinGrace) {
    String id = new UUID(random.nextLong(), random.nextLong()).toString();
    String type = settings.eventTypes().get(random.nextInt(settings.eventTypes().size()));
    String json =
        "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"event_time\":\"" + eventTime
            + "\",\"user_id\":\"u-" + random.nextInt(100_000) + "\",\"properties\":{\"page\":\"/p/"
            + random.nextInt(500) + "\",\"ms\":" + random.nextInt(3000) + "}}";
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(settings.topic(), bytes(id), bytes(json));
    send(record);
    expectations.distinctEvent(type, eventTime, withinGrace);
    if (recent.size() < RECENT) {
      recent.add(record);
    } else {
      recent.set(random.nextInt(RECENT), record);
    }
  }

  /** A producer retry: the same key and value, half of the time landing on another partition. */
  private void produceDuplicate() {
    ProducerRecord<byte[], byte[]> original = recent.get(random.nextInt(recent.size()));
    Integer partition =
        random.nextBoolean() ? random.nextInt(partitions) : null; // null: the key's own partition
    send(new ProducerRecord<>(settings.topic(), partition, original.key(), original.value()));
    expectations.duplicate();
  }

  private void produceBad(Instant now) {
    RejectReason kind = BAD_KINDS[random.nextInt(BAD_KINDS.length)];
    String id = "bad-" + new UUID(random.nextLong(), random.nextLong());
    byte[] value;
    switch (kind) {
      case NOT_JSON:
        value = bytes("{\"event_id\":\"" + id + "\",");
        break;
      case NOT_AN_OBJECT:
        value = bytes("[\"" + id + "\"]");
        break;
      case MISSING_FIELD:
        value = bytes("{\"event_id\":\"" + id + "\",\"event_time\":\"" + now + "\"}");
        break;
      case INVALID_FIELD:
        value = bytes("{\"event_id\":\"" + id + "\",\"event_type\":\"Not A Type\",\"event_time\":\"" + now + "\"}");
        break;
      case EVENT_TIME_IN_FUTURE:
        value = bytes("{\"event_id\":\"" + id + "\",\"event_type\":\"click\",\"event_time\":\""
            + now.plus(Duration.standardDays(1)) + "\"}");
        break;
      case EMPTY_PAYLOAD:
        value = new byte[0];
        break;
      case NOT_UTF8:
        value = new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'};
        break;
      case PAYLOAD_TOO_LARGE:
        value = bytes("{\"event_id\":\"" + id + "\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}");
        break;
      default:
        throw new AssertionError(kind);
    }
    send(new ProducerRecord<>(settings.topic(), bytes(id), value));
    expectations.deadLetter(kind.name());
  }

  private void send(ProducerRecord<byte[], byte[]> record) {
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          }
        });
  }

  /**
   * Blocks until everything sent so far is acknowledged; throws if any send failed, since the
   * expectations would then be wrong.
   */
  public void flush() throws Exception {
    producer.flush();
    Exception error = failure.get();
    if (error != null) {
      throw new IllegalStateException("a record could not be produced", error);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
