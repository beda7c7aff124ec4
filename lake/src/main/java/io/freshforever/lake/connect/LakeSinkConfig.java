package io.freshforever.lake.connect;

import io.freshforever.contract.EventContract;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * The lake connector's settings, as a Connect worker validates them: where the lake lives, where a
 * flush ends, and the contract's future-skew limit.
 *
 * <p>A flush of one Kafka partition ends, and its files are published, at the first of: a record
 * whose Kafka timestamp lies in a later {@code flush.seconds} interval than every record before it
 * (the log's own time, so a partition re-read from its committed offset ends its flushes at the same
 * offsets and rewrites the same file names); {@code flush.max.bytes} of records; a record for a
 * lake folder beyond {@code flush.max.folders}; or {@code flush.seconds} on the clock since the
 * flush's first row (a partition that went quiet). The last two bound a task's memory whatever the
 * records' sizes and event times: per assigned partition at most {@code flush.max.folders} open
 * Parquet writers holding at most {@code flush.max.bytes}.
 */
public final class LakeSinkConfig extends AbstractConfig {
  public static final String LAKE_ROOT = "lake.root";
  public static final String FLUSH_SECONDS = "flush.seconds";
  public static final String FLUSH_MAX_BYTES = "flush.max.bytes";
  public static final String FLUSH_MAX_FOLDERS = "flush.max.folders";
  public static final String MAX_FUTURE_SKEW_SECONDS = "max.future.skew.seconds";
  public static final String MAX_EVENT_AGE_DAYS = "max.event.age.days";

  static final String VALUE_CONVERTER = "value.converter";
  static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";

  /**
   * What one open lake file on gs:// holds besides its Parquet buffers: gcsio's default (64 MiB a
   * file) would make the folders of a flush the largest part of a task's memory.
   */
  static final int GCS_UPLOAD_BUFFER_BYTES = 1024 * 1024;

  public static final long DEFAULT_FLUSH_SECONDS = 60;
  public static final long DEFAULT_FLUSH_MAX_BYTES = 32L * 1024 * 1024;
  public static final int DEFAULT_FLUSH_MAX_FOLDERS = 32;

  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(LAKE_ROOT, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new LakeRootValidator(), Importance.HIGH,
              "Root of the Parquet lake: a folder (file:/... or an absolute path) or gs://bucket/path.")
          .define(FLUSH_SECONDS, Type.LONG, DEFAULT_FLUSH_SECONDS, Range.between(1, 3600), Importance.MEDIUM,
              "Flush interval: files of a Kafka partition are published when its records' Kafka timestamps"
                  + " enter the next interval, or this long after the flush's first row.")
          .define(FLUSH_MAX_BYTES, Type.LONG, DEFAULT_FLUSH_MAX_BYTES, Range.atLeast(1024), Importance.MEDIUM,
              "A flush of one Kafka partition is published before it holds more than this many bytes of records.")
          .define(FLUSH_MAX_FOLDERS, Type.INT, DEFAULT_FLUSH_MAX_FOLDERS, Range.between(1, 10_000), Importance.MEDIUM,
              "A flush of one Kafka partition is published before it opens a file in more lake folders than this.")
          .define(MAX_FUTURE_SKEW_SECONDS, Type.LONG, EventContract.DEFAULT_MAX_FUTURE_SKEW_SECONDS, Range.atLeast(0),
              Importance.LOW,
              "How far event_time may lie ahead of the time the log accepted the record before the record is a"
                  + " dead letter; the live job's --maxFutureSkewSeconds.")
          .define(MAX_EVENT_AGE_DAYS, Type.LONG, EventContract.DEFAULT_MAX_EVENT_AGE_DAYS, Range.atLeast(1), Importance.LOW,
              "How far event_time may lie behind the time the log accepted the record before the record is a"
                  + " dead letter; the live job's --maxEventAgeDays.");

  public LakeSinkConfig(Map<String, String> settings) {
    super(DEFINITION, settings);
    Map<String, String> problems = connectorProblems(settings);
    if (!problems.isEmpty()) {
      Map.Entry<String, String> first = problems.entrySet().iterator().next();
      throw new ConfigException(first.getKey(), settings.get(first.getKey()), first.getValue());
    }
  }

  /**
   * What is wrong with the connector's settings beyond the lake's own (which {@link #DEFINITION}
   * checks), by setting: a worker refuses such a connector when it is created.
   */
  static Map<String, String> connectorProblems(Map<String, String> settings) {
    Map<String, String> problems = new LinkedHashMap<>();
    if (!BYTES.equals(settings.get(VALUE_CONVERTER))) {
      // The lake keeps the bytes the producer sent; any other converter would have changed them. The
      // worker's default is not visible to a connector: the connector must name it.
      problems.put(VALUE_CONVERTER, "the lake connector needs " + VALUE_CONVERTER + "=" + BYTES);
    }
    if (topics(settings).size() != 1) {
      // Lake file names carry partition and offsets, not the topic: one lake, one topic.
      problems.put(SinkConnector.TOPICS_CONFIG,
          "the lake connector writes exactly one topic (the ingest log); topics.regex is not supported");
    }
    return problems;
  }

  public String lakeRoot() {
    return getString(LAKE_ROOT);
  }

  public Duration flushEvery() {
    return Duration.ofSeconds(getLong(FLUSH_SECONDS));
  }

  public long flushMaxBytes() {
    return getLong(FLUSH_MAX_BYTES);
  }

  public int flushMaxFolders() {
    return getInt(FLUSH_MAX_FOLDERS);
  }

  public org.joda.time.Duration maxFutureSkew() {
    return org.joda.time.Duration.standardSeconds(getLong(MAX_FUTURE_SKEW_SECONDS));
  }

  public org.joda.time.Duration maxEventAge() {
    return org.joda.time.Duration.standardDays(getLong(MAX_EVENT_AGE_DAYS));
  }

  private static List<String> topics(Map<String, String> settings) {
    if (settings.get(SinkTask.TOPICS_REGEX_CONFIG) != null && !settings.get(SinkTask.TOPICS_REGEX_CONFIG).isBlank()) {
      return List.of();
    }
    String topics = settings.getOrDefault(SinkConnector.TOPICS_CONFIG, "");
    return topics.isBlank() ? List.of() : List.of(topics.trim().split("\\s*,\\s*"));
  }

  /** Lake roots on a file system the plugin can write (local, gs://): an unknown scheme fails here, not in a task. */
  private static final class LakeRootValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String root = (String) value;
      if (root == null || root.isBlank()) {
        throw new ConfigException(name, value, "name the lake's root");
      }
      try {
        registerFileSystems();
        FileSystems.matchNewResource(root, true);
      } catch (RuntimeException e) {
        throw new ConfigException(name, value, "not a lake root this connector can write: " + e.getMessage());
      }
    }
  }

  /**
   * Beam's file systems (local, gs://) as the plugin carries them; gs:// uses application-default
   * credentials and uploads through a buffer of {@link #GCS_UPLOAD_BUFFER_BYTES} per open file.
   */
  static void registerFileSystems() {
    OwnServices.call(() -> {
      PipelineOptions options = PipelineOptionsFactory.create();
      options.as(GcsOptions.class).setGcsUploadBufferSizeBytes(GCS_UPLOAD_BUFFER_BYTES);
      FileSystems.setDefaultPipelineOptions(options);
      return null;
    });
  }
}
