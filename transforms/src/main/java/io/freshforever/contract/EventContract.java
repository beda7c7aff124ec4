package io.freshforever.contract;

import java.util.regex.Pattern;
import org.joda.time.Duration;

/** The numbers and names of the event contract (docs/CONTRACT.md), in one place. */
public final class EventContract {
  private EventContract() {}

  public static final String TOPIC = "events";

  /**
   * Where the schema files of the lake and the warehouse are on the classpath: they are part of the
   * contract (terraform/ reads the same files), whichever module reads or writes the data.
   */
  public static final String SCHEMA_FILES = "/io/freshforever/contract/";

  public static final String FIELD_EVENT_ID = "event_id";
  public static final String FIELD_EVENT_TYPE = "event_type";
  public static final String FIELD_EVENT_TIME = "event_time";
  public static final String FIELD_USER_ID = "user_id";
  public static final String FIELD_PROPERTIES = "properties";

  public static final int MAX_EVENT_ID_CHARS = 128;
  public static final Pattern EVENT_TYPE_PATTERN = Pattern.compile("[a-z0-9_.-]{1,64}");
  /** The live view counts at most this many event types per window (the option --maxTypesPerWindow). */
  public static final int DEFAULT_MAX_TYPES_PER_WINDOW = 1_000;

  /**
   * The live view's row for the events of the types past that bound: a name no event can have
   * (outside {@link #EVENT_TYPE_PATTERN}), which sorts after every event type.
   */
  public static final String OTHER_TYPES = "~other";

  /** A name the live view can have a row for: an event type, or {@link #OTHER_TYPES}. */
  public static boolean isLiveViewType(String name) {
    return name.equals(OTHER_TYPES) || EVENT_TYPE_PATTERN.matcher(name).matches();
  }

  public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;
  // Seconds (and millis) as compile-time constants, so pipeline options can use them as defaults.
  public static final long DEFAULT_MAX_FUTURE_SKEW_SECONDS = 300;
  public static final long DEFAULT_WATERMARK_DELAY_SECONDS = 10;
  public static final long DEFAULT_WINDOW_SECONDS = 60;
  /**
   * A dashboard sees a count within half a second (p50; docs/BENCHMARKS.md, issue 26); Bigtable
   * takes the writes easily (~230 rows/s at 20,000 events/s).
   */
  public static final long DEFAULT_EARLY_FIRING_MILLIS = 100;
  public static final long DEFAULT_ALLOWED_LATENESS_SECONDS = 600;

  public static final Duration DEFAULT_MAX_FUTURE_SKEW =
      Duration.standardSeconds(DEFAULT_MAX_FUTURE_SKEW_SECONDS);

  /** Three years: events older than this, by the log's clock, are dead letters. */
  public static final long DEFAULT_MAX_EVENT_AGE_DAYS = 1_095;

  public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.standardDays(DEFAULT_MAX_EVENT_AGE_DAYS);

  /** The watermark trails the newest event time by this much: the out-of-orderness tolerated. */
  public static final Duration DEFAULT_WATERMARK_DELAY =
      Duration.standardSeconds(DEFAULT_WATERMARK_DELAY_SECONDS);

  public static final Duration DEFAULT_WINDOW = Duration.standardSeconds(DEFAULT_WINDOW_SECONDS);
  public static final Duration DEFAULT_EARLY_FIRING_PERIOD =
      Duration.millis(DEFAULT_EARLY_FIRING_MILLIS);
  public static final Duration DEFAULT_ALLOWED_LATENESS =
      Duration.standardSeconds(DEFAULT_ALLOWED_LATENESS_SECONDS);

  /** How long the serving store keeps a window (its GC policy's max age); history is the warehouse's. */
  public static final long LIVE_RETENTION_HOURS = 48;

  public static final Duration LIVE_RETENTION = Duration.standardHours(LIVE_RETENTION_HOURS);

  public static final String LOCAL_DIR = ".fresh";
  public static final String LOCAL_LAKE = LOCAL_DIR + "/lake";
  public static final String LOCAL_WAREHOUSE = LOCAL_DIR + "/warehouse.duckdb";
  /** The local warehouse as {@code --warehouse} names a warehouse everywhere. */
  public static final String LOCAL_WAREHOUSE_TARGET = "duckdb:" + LOCAL_WAREHOUSE;
  public static final int LOCAL_KAFKA_PORT = 9092;
  public static final int LOCAL_KAFKA_CONTROLLER_PORT = 9093;
  public static final int LOCAL_BIGTABLE_EMULATOR_PORT = 8086;
  /** The first Connect worker's REST port; {@code fresh stack --cluster}'s second one is the next. */
  public static final int LOCAL_CONNECT_PORT = 8083;
  /** The REST port of {@code fresh stack --cluster}'s Flink JobManager. */
  public static final int LOCAL_FLINK_REST_PORT = 8081;
  public static final String LOCAL_KAFKA = "localhost:" + LOCAL_KAFKA_PORT;
  public static final String LOCAL_BIGTABLE_EMULATOR = "localhost:" + LOCAL_BIGTABLE_EMULATOR_PORT;
  public static final String LOCAL_BIGTABLE_PROJECT = "fresh-local";
  public static final String LOCAL_BIGTABLE_INSTANCE = "fresh-local";
}
