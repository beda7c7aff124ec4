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
import org.joda.time.Duration;

/**
 * Raw ingest-log records to typed {@link Event}s, each timestamped with its {@code event_time}.
 *
 * <p>A record that breaks the contract never throws and is never dropped: it goes to the given
 * {@link ErrorHandler} as a {@link BadRecord} whose description starts with the {@link
 * io.freshforever.contract.RejectReason} code ({@code "NOT_JSON: ..."}); {@link ToDeadLetters}
 * turns those back into typed dead letters.
 */
public final class ParseEvents extends PTransform<PCollection<RawRecord>, PCollection<Event>> {
  private static final TupleTag<Event> EVENTS = new TupleTag<Event>() {};

  private final ErrorHandler<BadRecord, ?> deadLetters;
  private final Duration maxFutureSkew;
  private final Duration maxEventAge;

  private ParseEvents(ErrorHandler<BadRecord, ?> deadLetters, Duration maxFutureSkew, Duration maxEventAge) {
    this.deadLetters = deadLetters;
    this.maxFutureSkew = maxFutureSkew;
    this.maxEventAge = maxEventAge;
  }

  public static ParseEvents withDeadLetters(ErrorHandler<BadRecord, ?> deadLetters) {
    return new ParseEvents(deadLetters, EventContract.DEFAULT_MAX_FUTURE_SKEW, EventContract.DEFAULT_MAX_EVENT_AGE);
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
    PCollectionTuple parsed =
        records.apply(
            "ParseJson",
            ParDo.of(new ParseFn(new EventParser(maxFutureSkew, maxEventAge)))
                .withOutputTags(EVENTS, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    deadLetters.addErrorCollection(
        parsed
            .get(BadRecordRouter.BAD_RECORD_TAG)
            .setCoder(BadRecord.getCoder(records.getPipeline())));
    return parsed.get(EVENTS).setCoder(EventCoder.of());
  }

  private static final class ParseFn extends DoFn<RawRecord, Event> {
    private final Counter parsed = Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.EVENTS_PARSED);
    private final Counter rejected = Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.DEAD_LETTERS);
    private final EventParser parser;

    ParseFn(EventParser parser) {
      this.parser = parser;
    }

    @ProcessElement
    public void process(@Element RawRecord record, MultiOutputReceiver out) throws Exception {
      Event event;
      try {
        event = parser.parse(record);
      } catch (InvalidEventException e) {
        rejected.inc();
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
