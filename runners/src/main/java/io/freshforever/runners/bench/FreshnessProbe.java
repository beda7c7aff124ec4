package io.freshforever.runners.bench;

import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.live.LiveCounts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Freshness as an operator sees it, per event: one probe event a second, sent to each partition in
 * turn under a type of that partition and run's own ({@code bench_probe_3f2a_p0}, ...: a run's
 * probes never land in rows an earlier run counted), is visible once its
 * minute's count in Bigtable includes it; Bigtable is polled every 100 ms. A probe's lag is from
 * just before it is sent until the first poll that sees it. Per partition, because one fresh
 * partition would hide others that lag; a type per partition, because a partition keeps its
 * records' order, so the k-th probe of a type and minute is in once the count reaches k. (Not
 * quite: a type's probes go to different dedup keys, which a job far behind may count out of
 * order; the k-th is then seen with the (k+1)-th. With fewer than 100 probes, p99 is the maximum.)
 */
final class FreshnessProbe implements AutoCloseable {
  static final String TYPE_PREFIX = "bench_probe_";
  private static final long SEND_EVERY_MS = 1_000;
  private static final long POLL_EVERY_MS = 100;
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(FreshnessProbe.class);

  /** One probe: its row (type, minute), its place in that row, when it was sent, when seen. */
  private static final class Probe {
    final String type;
    final Instant minute;
    final long ordinal;
    final long sentMillis;
    long seenMillis = -1;

    Probe(String type, Instant minute, long ordinal, long sentMillis) {
      this.type = type;
      this.minute = minute;
      this.ordinal = ordinal;
      this.sentMillis = sentMillis;
    }
  }

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private static final AtomicLong RUNS = new AtomicLong(System.currentTimeMillis() / 1000 % 1_000_000);
  private final String run = Long.toString(RUNS.incrementAndGet());
  private final int partitions;
  private final LiveCounts live;
  private final List<Probe> probes = new ArrayList<>();
  private final Map<String, Long> sentPerRow = new HashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread sender;
  private final Thread poller;

  private FreshnessProbe(String bootstrapServers, String topic, int partitions, LiveCounts live) {
    this.producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.topic = topic;
    this.partitions = partitions;
    this.live = live;
    this.sender = new Thread(this::sendEverySecond, "freshness-probe-sender");
    this.poller = new Thread(this::pollUntilStopped, "freshness-probe-poller");
  }

  static FreshnessProbe start(String bootstrapServers, String topic, int partitions, LiveCounts live) {
    FreshnessProbe probe = new FreshnessProbe(bootstrapServers, topic, partitions, live);
    // Connected before the first probe's clock starts: its first send would wait for metadata.
    probe.producer.partitionsFor(topic);
    probe.sender.start();
    probe.poller.start();
    return probe;
  }

  private void sendEverySecond() {
    try {
      for (int sent = 0; !stopped.get(); sent++) {
        int partition = sent % partitions;
        String type = TYPE_PREFIX + run + "_p" + partition;
        long now = System.currentTimeMillis();
        Instant eventTime = new Instant(now);
        Instant minute = new Instant(now - now % MINUTE.getMillis());
        String id = "probe-" + UUID.randomUUID();
        String json = "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"event_time\":\"" + eventTime + "\"}";
        producer.send(
            new ProducerRecord<>(topic, partition, id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)));
        synchronized (probes) {
          long ordinal = sentPerRow.merge(type + "@" + minute, 1L, Long::sum);
          probes.add(new Probe(type, minute, ordinal, now));
        }
        Thread.sleep(SEND_EVERY_MS);
      }
    } catch (InterruptedException | InterruptException stop) {
      // Stopped.
    }
  }

  private void pollUntilStopped() {
    try {
      while (!stopped.get()) {
        try {
          pollOnce();
        } catch (RuntimeException e) {
          // One failed read (an emulator timeout) must not make every later probe unseen.
          LOG.warn("freshness probe: a poll failed: {}", e.toString());
        }
        Thread.sleep(POLL_EVERY_MS);
      }
    } catch (InterruptedException stop) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads the rows of the probes not yet seen and marks those the counts now include. */
  private void pollOnce() {
    List<Probe> unseen;
    synchronized (probes) {
      unseen = probes.stream().filter(p -> p.seenMillis < 0).toList();
    }
    Map<String, Long> counts = new HashMap<>();
    Map<String, Long> readAt = new HashMap<>();
    for (Probe probe : unseen) {
      String row = probe.type + "@" + probe.minute;
      if (!counts.containsKey(row)) {
        List<LiveRow> rows = live.read(probe.type, probe.minute, probe.minute.plus(MINUTE));
        counts.put(row, rows.isEmpty() ? 0L : rows.get(0).count());
        readAt.put(row, System.currentTimeMillis());
      }
    }
    synchronized (probes) {
      for (Probe probe : unseen) {
        String row = probe.type + "@" + probe.minute;
        if (counts.get(row) >= probe.ordinal) {
          probe.seenMillis = readAt.get(row);
        }
      }
    }
  }

  /**
   * Stops sending, waits up to {@code grace} for the last probes, and returns every probe's lag in
   * seconds, sorted; a probe never seen counts as {@link Double#POSITIVE_INFINITY}.
   */
  List<Double> lags(Duration grace) throws InterruptedException {
    stopSending();
    long deadline = System.currentTimeMillis() + grace.getMillis();
    while (System.currentTimeMillis() < deadline && unseen() > 0) {
      Thread.sleep(POLL_EVERY_MS);
    }
    stopped.set(true);
    poller.join();
    List<Double> lags = new ArrayList<>();
    synchronized (probes) {
      for (Probe probe : probes) {
        lags.add(probe.seenMillis < 0 ? Double.POSITIVE_INFINITY : (probe.seenMillis - probe.sentMillis) / 1000.0);
      }
    }
    lags.sort(null);
    return lags;
  }

  private long unseen() {
    synchronized (probes) {
      return probes.stream().filter(p -> p.seenMillis < 0).count();
    }
  }

  private void stopSending() throws InterruptedException {
    sender.interrupt();
    sender.join();
  }

  @Override
  public void close() throws InterruptedException {
    stopped.set(true);
    try {
      stopSending();
      poller.join();
    } finally {
      producer.close(java.time.Duration.ofSeconds(5));
    }
  }
}
