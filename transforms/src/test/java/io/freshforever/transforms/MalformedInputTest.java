package io.freshforever.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.DeadLetter;
import io.freshforever.contract.Event;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.EventParser;
import io.freshforever.contract.InvalidEventException;
import io.freshforever.contract.RawRecord;
import io.freshforever.contract.RejectReason;
import io.freshforever.testing.MalformedPayloads;
import io.freshforever.testing.MalformedPayloads.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** Every payload of a corpus of over 1,000 malformed ones is a dead letter with a reason: no crash, no stack overflow. */
public class MalformedInputTest {
  private static final Instant NOW = Instant.parse("2026-11-29T10:30:00Z");
  private static final List<Payload> CORPUS = MalformedPayloads.corpus(20261202L);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void theParserRejectsEveryPayloadOfTheCorpusWithAReason() {
    assertTrue("at least 1,000 payloads, has " + CORPUS.size(), CORPUS.size() >= 1_000);
    EventParser parser = new EventParser(Duration.standardMinutes(5), EventContract.DEFAULT_MAX_EVENT_AGE);
    Map<RejectReason, Integer> reasons = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < CORPUS.size(); i++) {
      Payload payload = CORPUS.get(i);
      try {
        Event event = parser.parse(RawRecord.of(payload.bytes(), NOW, 0, i));
        wrong.add(payload.label() + " was accepted as " + event.eventId());
        continue;
      } catch (InvalidEventException e) {
        assertNotNull(payload.label(), e.reason());
        assertTrue(payload.label() + ": a message that says why", e.getMessage() != null && !e.getMessage().isBlank());
        reasons.merge(e.reason(), 1, Integer::sum);
      } catch (RuntimeException | StackOverflowError e) {
        wrong.add(payload.label() + " crashed the parser: " + e);
        continue;
      }
      // The watermark policy reads event_time from every record before parsing: it must not throw either.
      EventParser.eventTimeOf(payload.bytes());
    }
    assertEquals(List.of(), wrong);
    for (RejectReason reason : List.of(RejectReason.NOT_JSON, RejectReason.NOT_UTF8, RejectReason.NOT_AN_OBJECT,
        RejectReason.MISSING_FIELD, RejectReason.INVALID_FIELD, RejectReason.EMPTY_PAYLOAD,
        RejectReason.PAYLOAD_TOO_LARGE, RejectReason.EVENT_TIME_IN_FUTURE)) {
      assertTrue("the corpus exercises " + reason + ": " + reasons, reasons.containsKey(reason));
    }
  }

  @Test
  public void parseEventsTurnsTheWholeCorpusIntoDeadLettersAndNoEvents() {
    List<RawRecord> records = new ArrayList<>();
    for (int i = 0; i < CORPUS.size(); i++) {
      records.add(RawRecord.of(CORPUS.get(i).bytes(), NOW, i % 4, i));
    }
    TestEvents.Parsed parsed = TestEvents.parse(pipeline, records);
    PCollection<Event> events = parsed.events();

    PAssert.that(events).empty();
    PAssert.thatSingleton(parsed.deadLetters().apply("CountDeadLetters", Count.globally()))
        .isEqualTo((long) CORPUS.size());
    PAssert.that(
            parsed.deadLetters()
                .apply("WithoutAReason", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::reason))
                .apply("KnownReasonsOnly", org.apache.beam.sdk.transforms.Filter.by(
                    reason -> !List.of(RejectReason.values()).stream().map(Enum::name).toList().contains(reason))))
        .empty();
    pipeline.run();
  }
}
