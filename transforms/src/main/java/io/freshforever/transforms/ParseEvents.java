package io.freshforever.transforms;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventCoder;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.EventParser;
import io.freshforever.contract.InvalidEventException;
import io.freshforever.contract.RawRecord;
import io.freshforever.contract.RawRecordCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Raw ingest-log records to typed {@link Event}s, each timestamped with its {@code event_time}.
 *
 * <p>A record that breaks the contract never throws and is never dropped: it goes to the given
 * {@link ErrorHandler} as a {@link BadRecord} whose description starts with the {@link
 * io.freshforever.contract.RejectReason} code ({@code "NOT_JSON: ..."}); {@link ToDeadLetters}
 * turns those back into typed dead letters. Where another component records them ({@link
 * #countingDeadLetters()}: the live job, whose input the lake connector records whole), they are
 * only counted: Beam's {@link BadRecord} also renders the record as JSON, which cost the live job
 * an eighth of its time for one bad record in 200 (a 1 MB value is 1.4 MB of base64).
 */
public final class ParseEvents extends PTransform<PCollection<RawRecord>, PCollection<Event>> {
  private static final TupleTag<Event> EVENTS = new TupleTag<Event>() {};

  /** Where bad records go; null: they are only counted ({@value FreshMetrics#DEAD_LETTERS}). */
  private final @Nullable ErrorHandler<BadRecord, ?> deadLetters;
  private final Duration maxFutureSkew;
  private final Duration maxEventAge;

  private ParseEvents(
      @Nullable ErrorHandler<BadRecord, ?> deadLetters, Duration maxFutureSkew, Duration maxEventAge) {
    this.deadLetters = deadLetters;
    this.maxFutureSkew = maxFutureSkew;
    this.maxEventAge = maxEventAge;
  }

  public static ParseEvents withDeadLetters(ErrorHandler<BadRecord, ?> deadLetters) {
    return new ParseEvents(deadLetters, EventContract.DEFAULT_MAX_FUTURE_SKEW, EventContract.DEFAULT_MAX_EVENT_AGE);
  }

  /** Bad records are counted ({@value FreshMetrics#DEAD_LETTERS}) and recorded elsewhere. */
  public static ParseEvents countingDeadLetters() {
    return new ParseEvents(null, EventContract.DEFAULT_MAX_FUTURE_SKEW, EventContract.DEFAULT_MAX_EVENT_AGE);
  }

  /** How far {@code event_time} may lie ahead of the time the log accepted the record. */
  public ParseEvents withMaxFutureSkew(Duration skew) {
    return new ParseEvents(deadLetters, skew, maxEventAge);
  }

  /** How far {@code event_time} may lie behind the time the log accepted the record. */
  public ParseEvents withMaxEventAge(Duration age) {
    return new ParseEvents(deadLetters, maxFutureSkew, age);
  }

  @Override
  public PCollection<Event> expand(PCollection<RawRecord> records) {
    EventParser parser = new EventParser(maxFutureSkew, maxEventAge);
    // Only a handler's bad records are an output: counted ones would be an output no one reads.
    TupleTagList badRecordTags =
        deadLetters == null ? TupleTagList.empty() : TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG);
    PCollectionTuple parsed =
        records.apply(
            "ParseJson", ParDo.of(new ParseFn(parser, deadLetters != null)).withOutputTags(EVENTS, badRecordTags));
    if (deadLetters != null) {
      deadLetters.addErrorCollection(
          parsed.get(BadRecordRouter.BAD_RECORD_TAG).setCoder(BadRecord.getCoder(records.getPipeline())));
    }
    return parsed.get(EVENTS).setCoder(EventCoder.of());
  }

  private static final class ParseFn extends DoFn<RawRecord, Event> {
    private final Counter parsed = Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.EVENTS_PARSED);
    private final Counter rejected = Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.DEAD_LETTERS);
    private final EventParser parser;
    private final boolean routeBadRecords;

    ParseFn(EventParser parser, boolean routeBadRecords) {
      this.parser = parser;
      this.routeBadRecords = routeBadRecords;
    }

    @ProcessElement
    public void process(@Element RawRecord record, MultiOutputReceiver out) throws Exception {
      Event event;
      try {
        event = parser.parse(record);
      } catch (InvalidEventException e) {
        rejected.inc();
        if (!routeBadRecords) {
          return;
        }
        BadRecordRouter.RECORDING_ROUTER.route(
            out, record, RawRecordCoder.of(), e, e.reason().name() + ": " + e.getMessage());
        return;
      }
      parsed.inc();
      out.get(EVENTS).outputWithTimestamp(event, event.eventTime());
    }

    /**
     * The source's timestamp is only a transport time (e.g. when Kafka accepted the record); the
     * contract's event time is the one that counts, and it may be earlier. Data that is late by
     * event time is exactly what the windows' allowed lateness is for.
     */
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
