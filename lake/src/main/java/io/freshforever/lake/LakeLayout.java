package io.freshforever.lake;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.joda.time.Instant;

/**
 * Where rows live in the lake (docs/CONTRACT.md): events by event time, dead letters by ingest
 * time, as Hive-style partition folders relative to the lake root.
 */
public final class LakeLayout {
  private LakeLayout() {}

  public static final String EVENTS = "events";
  public static final String DEAD_LETTERS = "dlq";

  private static final DateTimeFormatter HOUR_PARTITION =
      DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hr='HH").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_PARTITION =
      DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd").withZone(ZoneOffset.UTC);

  /** {@code events/dt=YYYY-MM-DD/hr=HH} of the event time, in UTC. */
  public static String eventPartition(Instant eventTime) {
    return EVENTS + "/" + HOUR_PARTITION.format(toJava(eventTime));
  }

  /** {@code dlq/dt=YYYY-MM-DD} of the ingest time, in UTC. */
  public static String deadLetterPartition(Instant ingestTime) {
    return DEAD_LETTERS + "/" + DAY_PARTITION.format(toJava(ingestTime));
  }

  private static java.time.Instant toJava(Instant instant) {
    return java.time.Instant.ofEpochMilli(instant.getMillis());
  }
}
