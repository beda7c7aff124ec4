package io.freshforever.runners.bench.nativeflink;

import io.freshforever.contract.DeadLetter;
import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.EventParser;
import io.freshforever.contract.InvalidEventException;
import io.freshforever.contract.RawRecord;
import io.freshforever.contract.WindowCount;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.joda.time.Instant;

/**
 * The peer of the live path that a Flink user would write instead of the Beam pipeline, for {@code
 * fresh bench}: the same work in Flink's own DataStream API, on the same embedded runtime.
 *
 * <pre>
 * KafkaSource (parse in the deserializer) ─► keyBy(event_id) dedup ─► keyBy(event_type) 1-min windows,
 *                                           early/late panes every firing period, 10 min lateness ─► Bigtable
 * </pre>
 *
 * It parses with the contract's {@link EventParser} (Jackson), so it accepts and rejects exactly the
 * records the pipeline does and its counts can be checked against the same expectations; what
 * differs is only the framework. Keyed state on the heap, checkpoints every {@code
 * checkpointInterval} to a local folder, object reuse on: the settings a Flink user tunes first.
 */
public final class NativeFlinkJob {
  /** What the peer reads, where it writes, and the live view's settings (the pipeline's own). */
  public record Settings(
      String bootstrapServers,
      String topic,
      String consumerGroup,
      Path checkpoints,
      String bigtableProject,
      String bigtableInstance,
      String bigtableTable,
      String bigtableEmulatorHost,
      int parallelism,
      Duration window,
      Duration earlyFiringPeriod,
      Duration allowedLateness,
      Duration watermarkDelay,
      Duration maxFutureSkew,
      Duration checkpointInterval) {}

  private NativeFlinkJob() {}

  /** Starts the job on an embedded Flink and returns once it runs. */
  public static JobClient start(Settings s) throws Exception {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, s.checkpoints().toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(s.parallelism(), conf);
    env.enableCheckpointing(s.checkpointInterval().toMillis());
    env.getConfig().enableObjectReuse();

    KafkaSource<Parsed> source =
        KafkaSource.<Parsed>builder()
            .setBootstrapServers(s.bootstrapServers())
            .setTopics(s.topic())
            .setGroupId(s.consumerGroup())
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
            // The same fetch tuning as the pipeline's reader.
            .setProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, String.valueOf(256 * 1024))
            .setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100")
            .setDeserializer(new ParseRecords(new EventParser(joda(s.maxFutureSkew()), EventContract.DEFAULT_MAX_EVENT_AGE)))
            .build();
    DataStream<Parsed> records =
        env.fromSource(
            source,
            WatermarkStrategy.<Parsed>forBoundedOutOfOrderness(s.watermarkDelay())
                .withTimestampAssigner((parsed, kafkaTime) -> parsed.timestamp)
                .withIdleness(Duration.ofSeconds(10)),
            "ReadIngestLog");

    records
        .filter(parsed -> parsed.event != null)
        .map(parsed -> Counted.of(parsed.event))
        .returns(Counted.class)
        .keyBy(counted -> counted.eventId)
        .process(new DropRepeatedIds(s.window().toMillis(), s.allowedLateness().toMillis()))
        .name("DedupByEventId")
        .keyBy(counted -> counted.eventType)
        .window(TumblingEventTimeWindows.of(org.apache.flink.streaming.api.windowing.time.Time.milliseconds(s.window().toMillis())))
        .allowedLateness(org.apache.flink.streaming.api.windowing.time.Time.milliseconds(s.allowedLateness().toMillis()))
        .trigger(new EarlyAndLateFirings(s.earlyFiringPeriod().toMillis()))
        .aggregate(new CountAndNewest(), new ToPane())
        .name("WindowedEventCounts")
        .addSink(new BigtableCountsSink(s.bigtableProject(), s.bigtableInstance(), s.bigtableTable(), s.bigtableEmulatorHost()))
        .name("WriteLiveCounts");

    return env.executeAsync("native-flink-peer");
  }

  private static org.joda.time.Duration joda(Duration duration) {
    return org.joda.time.Duration.millis(duration.toMillis());
  }

  /** One Kafka record, parsed: an event or a dead letter, stamped for the watermark. */
  public static final class Parsed {
    public Event event;
    public DeadLetter deadLetter;
    public long timestamp;
  }

  /** What dedup and counting need of an event. */
  public static final class Counted {
    public String eventId;
    public String eventType;
    public long eventTime;
    public long ingestTime;

    static Counted of(Event event) {
      Counted counted = new Counted();
      counted.eventId = event.eventId();
      counted.eventType = event.eventType();
      counted.eventTime = event.eventTime().getMillis();
      counted.ingestTime = event.ingestTime().getMillis();
      return counted;
    }
  }

  private static final class ParseRecords implements KafkaRecordDeserializationSchema<Parsed> {
    private final EventParser parser;

    ParseRecords(EventParser parser) {
      this.parser = parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Parsed> out) {
      RawRecord raw = RawRecord.of(record.value(), new Instant(record.timestamp()), record.partition(), record.offset());
      Parsed parsed = new Parsed();
      try {
        parsed.event = parser.parse(raw);
        parsed.timestamp = parsed.event.eventTime().getMillis();
      } catch (InvalidEventException e) {
        parsed.deadLetter = DeadLetter.of(raw, e.reason(), e.getMessage());
        parsed.timestamp = Long.MIN_VALUE; // never moves the watermark
      }
      out.collect(parsed);
    }

    @Override
    public TypeInformation<Parsed> getProducedType() {
      return TypeInformation.of(Parsed.class);
    }
  }

  /** Keyed by id: the first copy within its window's lifetime passes; state ends with the window. */
  private static final class DropRepeatedIds extends KeyedProcessFunction<String, Counted, Counted> {
    private final long windowMillis;
    private final long latenessMillis;
    private transient ValueState<Boolean> seen;

    DropRepeatedIds(long windowMillis, long latenessMillis) {
      this.windowMillis = windowMillis;
      this.latenessMillis = latenessMillis;
    }

    @Override
    public void open(Configuration parameters) {
      seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
    }

    @Override
    public void processElement(Counted counted, Context ctx, Collector<Counted> out) throws Exception {
      long windowEnd = counted.eventTime - Math.floorMod(counted.eventTime, windowMillis) + windowMillis;
      long closes = windowEnd + latenessMillis;
      if (counted.ingestTime > closes || ctx.timerService().currentWatermark() >= closes || seen.value() != null) {
        return;
      }
      seen.update(true);
      ctx.timerService().registerEventTimeTimer(closes);
      out.collect(counted);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Counted> out) {
      seen.clear();
    }
  }

  private static final class CountAndNewest implements AggregateFunction<Counted, long[], long[]> {
    @Override
    public long[] createAccumulator() {
      return new long[] {0, Long.MIN_VALUE};
    }

    @Override
    public long[] add(Counted counted, long[] acc) {
      acc[0]++;
      acc[1] = Math.max(acc[1], counted.eventTime);
      return acc;
    }

    @Override
    public long[] getResult(long[] acc) {
      return acc;
    }

    @Override
    public long[] merge(long[] a, long[] b) {
      return new long[] {a[0] + b[0], Math.max(a[1], b[1])};
    }
  }

  /** A fired pane as the contract's {@link WindowCount}, with its timing and index. */
  private static final class ToPane extends ProcessWindowFunction<long[], WindowCount, String, TimeWindow> {
    private static final ValueStateDescriptor<Long> PANES = new ValueStateDescriptor<>("panes", Types.LONG);
    private static final ValueStateDescriptor<Boolean> ON_TIME_FIRED =
        new ValueStateDescriptor<>("on-time-fired", Types.BOOLEAN);

    @Override
    public void process(String eventType, Context ctx, Iterable<long[]> tallies, Collector<WindowCount> out)
        throws Exception {
      long[] tally = tallies.iterator().next();
      ValueState<Long> panes = ctx.windowState().getState(PANES);
      ValueState<Boolean> onTimeFired = ctx.windowState().getState(ON_TIME_FIRED);
      long index = panes.value() == null ? 0 : panes.value();
      panes.update(index + 1);
      PaneInfo.Timing timing;
      if (ctx.currentWatermark() < ctx.window().maxTimestamp()) {
        timing = PaneInfo.Timing.EARLY;
      } else if (onTimeFired.value() == null) {
        timing = PaneInfo.Timing.ON_TIME;
        onTimeFired.update(true);
      } else {
        timing = PaneInfo.Timing.LATE;
      }
      out.collect(
          new WindowCount(
              eventType,
              new Instant(ctx.window().getStart()),
              new Instant(ctx.window().getEnd()),
              tally[0],
              new Instant(tally[1]),
              timing,
              index,
              false));
    }

    @Override
    public void clear(Context ctx) throws Exception {
      ctx.windowState().getState(PANES).clear();
      ctx.windowState().getState(ON_TIME_FIRED).clear();
    }
  }
}
