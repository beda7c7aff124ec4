package io.freshforever.transforms;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Streaming dedup on {@code event_id} for the live view: within each event-time window of the live
 * view, the first copy of an id passes and every later copy is dropped (and counted as {@value
 * FreshMetrics#DUPLICATES_DROPPED}), whether the copies arrive in one bundle, in different panes,
 * late within grace, or from different Kafka partitions.
 *
 * <p><b>What passes is what the live view counts</b>: the event type of each first copy, stamped
 * with the event's timestamp (its {@code event_time}, as {@link ParseEvents} stamps it). The
 * shuffle that brings an id's copies together carries the id's 64-bit fingerprint and the type,
 * ~30 bytes, not the whole event with its payload (~10 times that): encoding, sending and decoding
 * whole events was most of the live job's cost per record.
 *
 * <p><b>Too late by the log's clock.</b> A record that Kafka accepted after its window's end plus
 * {@code allowedLateness} is dropped here as too late, deterministically: the same in a replay, a
 * restart or a catch-up, where the watermark says nothing yet.
 *
 * <p><b>Remembered exactly as long as the live view can still change.</b> Copies of one event carry
 * one {@code event_time}, so they fall into one window. A window's ids are kept until the watermark
 * passes the window's end plus {@code allowedLateness}, the moment the live view's grouping closes
 * the window too. From then on a copy is dropped here as too late ({@value
 * FreshMetrics#TOO_LATE_AT_DEDUP}, part of {@link FreshMetrics#tooLateForLiveView}): the grouping
 * downstream may not have seen the watermark move yet, and would still count it. When the watermark
 * is {@code forgetClosedAfter} further on, the closed mark goes too: the grouping's watermark
 * follows this step's within moments, so by then it drops anything of the window itself. So no
 * duplicate reaches a live count however far the watermark races ahead when a backlog is replayed,
 * and a window's ids cost memory only while it is open. Pass the live view's window and grace.
 *
 * <p><b>Why not Beam's windowed state.</b> In event-time windows the runner would garbage-collect
 * the state itself, but its cleanup timer holds the step's output watermark at the end of the
 * window until the grace period is over, which would delay every on-time pane by the grace. So
 * this step runs in the global window, keys state by (bucket, window) and sets its own timers,
 * none of which holds the watermark back.
 *
 * <p><b>State layout.</b> Ids are hashed into a fixed number of buckets under a secret ({@link
 * IdBuckets}: no producer can aim its ids at one bucket); the state key is (bucket, window start),
 * holding the ids' 64-bit fingerprints from a second keyed hash, packed in parts ({@link
 * PackedFingerprints}), and an open/closed mark. Buckets spread the work
 * over workers (more buckets) or keep each bundle large (fewer: the DirectRunner makes one bundle
 * per key and copies every state cell a bundle touches). A job restored from its state needs the
 * secret it ran with ({@link #withBucketSecret}).
 *
 * <p><b>What one id costs.</b> Its 8 bytes in a part, plus the part's share of a state entry's
 * overhead: ~9 bytes in a checkpoint at the design load (`fresh bench` measures it on the job's
 * checkpoints). Live ids = id rate x (window + allowed lateness + watermark delay): at 58K ids/s,
 * 1-minute windows and 10 minutes of grace, ~40M ids, well under 1 GB, spread over the workers.
 */
public final class DedupByEventId extends PTransform<PCollection<Event>, PCollection<String>> {
  public static final int DEFAULT_BUCKETS = 256;
  public static final Duration DEFAULT_FORGET_CLOSED_AFTER = Duration.standardMinutes(10);

  private final FixedWindows windows;
  private final Duration allowedLateness;
  private final int buckets;
  private final String bucketSecret;
  private final Duration forgetClosedAfter;

  private DedupByEventId(
      FixedWindows windows,
      Duration allowedLateness,
      int buckets,
      String bucketSecret,
      Duration forgetClosedAfter) {
    IdBuckets.keyed(buckets, bucketSecret); // refuses a bad count or secret when the graph is built
    this.windows = windows;
    this.allowedLateness = allowedLateness;
    this.buckets = buckets;
    this.bucketSecret = bucketSecret;
    this.forgetClosedAfter = forgetClosedAfter;
  }

  /** Dedup for the contract's live view: 1-minute windows, 10 minutes of grace. */
  public static DedupByEventId create() {
    return perWindow(EventContract.DEFAULT_WINDOW, EventContract.DEFAULT_ALLOWED_LATENESS);
  }

  /**
   * Dedup within event-time fixed windows of {@code window}, kept for {@code allowedLateness}, with
   * a new bucket secret: give the job's own with {@link #withBucketSecret} where it can be restored.
   */
  public static DedupByEventId perWindow(Duration window, Duration allowedLateness) {
    return new DedupByEventId(
        FixedWindows.of(window),
        allowedLateness,
        DEFAULT_BUCKETS,
        IdBuckets.newSecret(),
        DEFAULT_FORGET_CLOSED_AFTER);
  }

  public DedupByEventId withBuckets(int buckets) {
    return new DedupByEventId(windows, allowedLateness, buckets, bucketSecret, forgetClosedAfter);
  }

  /**
   * The secret that places ids in buckets (32 hex digits): the same for every run of a job that
   * restores its state, or copies on both sides of the restore are counted twice ({@link IdBuckets}).
   */
  public DedupByEventId withBucketSecret(String secretHex) {
    return new DedupByEventId(windows, allowedLateness, buckets, secretHex, forgetClosedAfter);
  }

  /** A new secret for {@link #withBucketSecret}, to be kept as long as the job's state. */
  public static String newBucketSecret() {
    return IdBuckets.newSecret();
  }

  /** How far (event time) past its close a window still drops its late records itself. */
  public DedupByEventId withForgetClosedAfter(Duration forgetClosedAfter) {
    return new DedupByEventId(windows, allowedLateness, buckets, bucketSecret, forgetClosedAfter);
  }

  @Override
  public PCollection<String> expand(PCollection<Event> events) {
    return events
        .apply(
            "KeyByIdBucketAndWindow",
            ParDo.of(
                new KeyByIdBucketAndWindowFn(
                    IdBuckets.keyed(buckets, bucketSecret), windows, allowedLateness)))
        .setCoder(
            KvCoder.of(
                KvCoder.of(VarIntCoder.of(), VarLongCoder.of()),
                KvCoder.of(BigEndianLongCoder.of(), StringUtf8Coder.of())))
        .apply(
            // Named for its state's layout: a checkpoint of an older layout (a set of 128-bit
            // fingerprints; packed HMAC fingerprints) belongs to another graph, so a restart does
            // not try to restore it into this one.
            "DropRepeatedSipHashes",
            ParDo.of(new DropRepeatedIdsFn(windows.getSize(), allowedLateness, forgetClosedAfter)))
        .setCoder(StringUtf8Coder.of());
  }

  /**
   * Keys each event by (bucket, window start), with its id's fingerprint and its type beside it;
   * drops here what the log's own clock already says is too late.
   */
  private static final class KeyByIdBucketAndWindowFn
      extends DoFn<Event, KV<KV<Integer, Long>, KV<Long, String>>> {
    private final Counter tooLate =
        Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.TOO_LATE_AT_DEDUP);
    private final IdBuckets buckets;
    private final FixedWindows windows;
    private final Duration allowedLateness;
    private transient IdBuckets.Hasher hasher;

    KeyByIdBucketAndWindowFn(IdBuckets buckets, FixedWindows windows, Duration allowedLateness) {
      this.buckets = buckets;
      this.windows = windows;
      this.allowedLateness = allowedLateness;
    }

    @Setup
    public void setup() {
      hasher = buckets.hasher();
    }

    @ProcessElement
    public void process(
        @Element Event event, OutputReceiver<KV<KV<Integer, Long>, KV<Long, String>>> out) {
      IntervalWindow window = windows.assignWindow(event.eventTime());
      if (event.ingestTime().isAfter(window.end().plus(allowedLateness))) {
        // Kafka accepted it after its window's grace: too late by the log's own clock, whatever the
        // watermark says. A job that has just (re)started has no watermark yet, and would count
        // every copy of an old event that it reads before the watermark arrives.
        tooLate.inc();
        return;
      }
      IdBuckets.Placed id = hasher.place(event.eventId());
      out.output(
          KV.of(
              KV.of(id.bucket(), window.start().getMillis()),
              KV.of(id.fingerprint(), event.eventType())));
    }
  }

  private static final class DropRepeatedIdsFn
      extends DoFn<KV<KV<Integer, Long>, KV<Long, String>>, String> {
    private final Counter duplicates =
        Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.DUPLICATES_DROPPED);
    private final Counter tooLate =
        Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.TOO_LATE_AT_DEDUP);
    private final Duration windowSize;
    private final Duration allowedLateness;
    private final Duration forgetClosedAfter;

    // The ids name state in checkpoints and savepoints: a new name would restore as empty.
    private static final String SEEN = "seenParts";
    private static final String CLOSED = "closed";
    private static final String CLOSE = "close";
    private static final String FORGET = "forget";

    @StateId(SEEN)
    private final StateSpec<MapState<Integer, long[]>> seenSpec =
        StateSpecs.map(VarIntCoder.of(), PackedFingerprints.Coder.INSTANCE);

    /** Absent: no id seen yet; false: open (close armed); true: closed (forget armed). */
    @StateId(CLOSED)
    private final StateSpec<ValueState<Boolean>> closedSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId(CLOSE)
    private final TimerSpec closeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId(FORGET)
    private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    DropRepeatedIdsFn(Duration windowSize, Duration allowedLateness, Duration forgetClosedAfter) {
      this.windowSize = windowSize;
      this.allowedLateness = allowedLateness;
      this.forgetClosedAfter = forgetClosedAfter;
    }

    @ProcessElement
    public void process(
        @Element KV<KV<Integer, Long>, KV<Long, String>> element,
        @StateId(SEEN) MapState<Integer, long[]> seen,
        @StateId(CLOSED) ValueState<Boolean> closed,
        @TimerId(CLOSE) Timer close,
        OutputReceiver<String> out) {
      Boolean isClosed = closed.read();
      if (Boolean.TRUE.equals(isClosed)) {
        tooLate.inc();
        return;
      }
      if (isClosed == null) {
        // The instant after which the live view's grouping drops the window: its end plus grace.
        Instant windowEnd = new Instant(element.getKey().getValue()).plus(windowSize);
        close.set(windowEnd.plus(allowedLateness));
        closed.write(false);
      }
      long fingerprint = element.getValue().getKey();
      int part = PackedFingerprints.partOf(fingerprint);
      long[] added = PackedFingerprints.with(seen.get(part).read(), fingerprint);
      if (added == null) {
        duplicates.inc();
        return;
      }
      seen.put(part, added);
      out.output(element.getValue().getValue());
    }

    @OnTimer(CLOSE)
    public void onClose(
        OnTimerContext context,
        @StateId(SEEN) MapState<Integer, long[]> seen,
        @StateId(CLOSED) ValueState<Boolean> closed,
        @TimerId(FORGET) Timer forget) {
      seen.clear();
      closed.write(true);
      forget.set(context.fireTimestamp().plus(forgetClosedAfter));
    }

    @OnTimer(FORGET)
    public void onForget(@StateId(CLOSED) ValueState<Boolean> closed) {
      closed.clear();
    }
  }
}
