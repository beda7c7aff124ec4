package io.freshforever.transforms;

import static io.freshforever.transforms.TestEvents.at;
import static io.freshforever.transforms.TestEvents.raw;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.freshforever.contract.DeadLetter;
import io.freshforever.contract.Event;
import io.freshforever.contract.RawRecord;
import io.freshforever.contract.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class ParseEventsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final Instant NOW = at("10:30:00");

  @Test
  public void validRecordsBecomeEventsStampedWithEventTimeAndEveryBadKindBecomesADeadLetter() {
    byte[] notUtf8 = {'{', (byte) 0xc3, (byte) 0x28, '}'};
    List<RawRecord> records = new ArrayList<>();
    records.add(raw("{\"event_id\":\"ok-1\",\"event_type\":\"click\",\"event_time\":\"2026-11-29T10:00:05Z\"}", 0));
    records.add(raw((String) null, 1));
    records.add(raw("x".repeat(1024 * 1024 + 1), 2));
    records.add(raw(notUtf8, 3));
    records.add(raw("{oops", 4));
    records.add(raw("[]", 5));
    records.add(raw("{\"event_type\":\"click\",\"event_time\":\"2026-11-29T10:00:05Z\"}", 6));
    records.add(raw("{\"event_id\":\"e\",\"event_type\":\"Click!\",\"event_time\":\"2026-11-29T10:00:05Z\"}", 7));
    records.add(raw("{\"event_id\":\"e\",\"event_type\":\"click\",\"event_time\":\"2030-01-01T00:00:00Z\"}", 8));
    records.add(raw("{\"event_id\":\"ok-2\",\"event_type\":\"view\",\"event_time\":\"2026-11-29T09:59:59.999Z\",\"extra\":1}", 9));

    TestEvents.Parsed parsed = TestEvents.parse(pipeline, records);
    PCollection<Event> events = parsed.events();

    PAssert.that(
            events
                .apply(Reify.timestamps())
                .apply(
                    "IdAtTimestampAndOffset",
                    MapElements.into(TypeDescriptors.strings())
                        .via((TimestampedValue<Event> e) ->
                            e.getValue().eventId() + "@" + e.getTimestamp() + "#" + e.getValue().kafkaOffset())))
        .containsInAnyOrder(
            "ok-1@2026-11-29T10:00:05.000Z#0", "ok-2@2026-11-29T09:59:59.999Z#9");

    PAssert.that(
            parsed
                .deadLetters()
                .apply(
                    "OffsetAndReason",
                    MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.strings()))
                        .via((DeadLetter d) -> KV.of(d.kafkaOffset(), d.reason()))))
        .containsInAnyOrder(
            KV.of(1L, "EMPTY_PAYLOAD"),
            KV.of(2L, "PAYLOAD_TOO_LARGE"),
            KV.of(3L, "NOT_UTF8"),
            KV.of(4L, "NOT_JSON"),
            KV.of(5L, "NOT_AN_OBJECT"),
            KV.of(6L, "MISSING_FIELD"),
            KV.of(7L, "INVALID_FIELD"),
            KV.of(8L, "EVENT_TIME_IN_FUTURE"));

    ArrayList<byte[]> payloads = new ArrayList<>();
    records.forEach(r -> payloads.add(r.payload()));
    Instant ingestTime = records.get(0).ingestTime();
    PAssert.that(parsed.deadLetters())
        .satisfies(
            all -> {
              for (DeadLetter d : all) {
                assertArrayEquals(
                    "payload kept byte for byte", payloads.get((int) d.kafkaOffset()), d.payload());
                assertEquals(ingestTime, d.ingestTime());
                assertEquals(0, d.kafkaPartition());
                if (d.kafkaOffset() == 6) {
                  assertEquals("required field event_id is missing", d.message());
                }
                if (d.kafkaOffset() == 1) {
                  assertNull(d.payload());
                }
              }
              return null;
            });

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(2, FreshMetrics.counter(result.metrics(), FreshMetrics.EVENTS_PARSED));
    assertEquals(8, FreshMetrics.counter(result.metrics(), FreshMetrics.DEAD_LETTERS));
  }

  @Test
  public void countingDeadLettersPassesTheValidEventsAndCountsEveryBadRecord() {
    List<RawRecord> records =
        List.of(
            raw("{\"event_id\":\"ok-1\",\"event_type\":\"click\",\"event_time\":\"2026-11-29T10:00:05Z\"}", 0),
            raw((String) null, 1),
            raw("x".repeat(1024 * 1024 + 1), 2),
            raw("{oops", 3));
    PCollection<Event> events =
        pipeline
            .apply(Create.of(records).withCoder(io.freshforever.contract.RawRecordCoder.of()))
            .apply(ParseEvents.countingDeadLetters());

    PAssert.that(events.apply(MapElements.into(TypeDescriptors.strings()).via(Event::eventId)))
        .containsInAnyOrder("ok-1");
    assertEquals("the parse step's outputs: the events only, no bad records no one reads", 1, outputsOf("ParseJson"));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, FreshMetrics.counter(result.metrics(), FreshMetrics.EVENTS_PARSED));
    assertEquals(3, FreshMetrics.counter(result.metrics(), FreshMetrics.DEAD_LETTERS));
  }

  @Test
  public void badRecordsFromOtherTransformsAreKeptAsProcessingFailures() {
    BadRecordErrorHandler<PCollection<DeadLetter>> deadLetters =
        pipeline.registerBadRecordErrorHandler(ToDeadLetters.create());
    PCollection<org.apache.beam.sdk.transforms.errorhandling.BadRecord> foreign =
        pipeline.apply(
            Create.of(
                    org.apache.beam.sdk.transforms.errorhandling.BadRecord.builder()
                        .setRecord(
                            org.apache.beam.sdk.transforms.errorhandling.BadRecord.Record.builder()
                                .setHumanReadableJsonRecord("{\"row\":1}")
                                .build())
                        .setFailure(
                            org.apache.beam.sdk.transforms.errorhandling.BadRecord.Failure.builder()
                                .setDescription("Bigtable write failed")
                                .setException("java.io.IOException: UNAVAILABLE")
                                .build())
                        .build())
                .withCoder(
                    org.apache.beam.sdk.transforms.errorhandling.BadRecord.getCoder(pipeline)));
    deadLetters.addErrorCollection(foreign);
    deadLetters.close();

    PAssert.that(deadLetters.getOutput())
        .satisfies(
            all -> {
              DeadLetter d = all.iterator().next();
              assertEquals(RejectReason.PROCESSING_FAILURE.name(), d.reason());
              assertEquals(
                  "Bigtable write failed: java.io.IOException: UNAVAILABLE", d.message());
              assertEquals("{\"row\":1}", new String(d.payload(), StandardCharsets.UTF_8));
              assertEquals(-1L, d.kafkaOffset());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  /** How many outputs the step named {@code name} (the last part of its full name) has. */
  private int outputsOf(String name) {
    AtomicInteger outputs = new AtomicInteger(-1);
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getFullName().endsWith("/" + name)) {
              outputs.set(node.getOutputs().size());
            }
          }
        });
    return outputs.get();
  }
}
