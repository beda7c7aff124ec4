package io.freshforever.transforms;

import static org.junit.Assert.assertEquals;

import io.freshforever.contract.DeadLetter;
import io.freshforever.contract.EventCoder;
import io.freshforever.contract.EventContract;
import io.freshforever.contract.EventParser;
import io.freshforever.contract.InvalidEventException;
import io.freshforever.contract.RawRecord;
import io.freshforever.contract.RawRecordCoder;
import io.freshforever.contract.WindowCount;
import io.freshforever.testing.GoldenLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** The shared transforms against testdata/golden, replayed as testdata/golden/README.md says. */
public class GoldenEventsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final Instant NOW = GoldenLog.NOW;

  /** The log as the streaming pipeline would see it: watermark trailing the newest event time. */
  private static TestStream<RawRecord> replay(List<RawRecord> records) {
    EventParser parser = EventParser.withContractLimits();
    TestStream.Builder<RawRecord> stream = TestStream.create(RawRecordCoder.of());
    Instant watermark = new Instant(0);
    for (RawRecord record : records) {
      stream = stream.addElements(TimestampedValue.of(record, watermark));
      try {
        Instant trailing =
            parser.parse(record).eventTime().minus(EventContract.DEFAULT_WATERMARK_DELAY);
        if (trailing.isAfter(watermark)) {
          watermark = trailing;
          stream = stream.advanceWatermarkTo(watermark);
        }
      } catch (InvalidEventException badLinesDoNotMoveTheWatermark) {
        // they have no trustworthy event time
      }
      stream = stream.advanceProcessingTime(Duration.standardSeconds(2));
    }
    return stream.advanceWatermarkToInfinity();
  }

  @Test
  public void liveViewDeadLettersAndMetricsMatchTheGoldenFiles() {
    Map<String, Long> expectedLive = GoldenLog.expectedCounts("expected_live_counts.csv");
    List<String> expectedDeadLetters = GoldenLog.rows("expected_dead_letters.csv");

    BadRecordErrorHandler<PCollection<DeadLetter>> deadLetters =
        pipeline.registerBadRecordErrorHandler(ToDeadLetters.create());
    PCollection<WindowCount> counts =
        pipeline
            .apply(replay(GoldenLog.records()))
            .apply(ParseEvents.withDeadLetters(deadLetters))
            .apply(DedupByEventId.create())
            .apply(WindowedEventCounts.create());
    deadLetters.close();

    PAssert.that(counts)
        .satisfies(
            panes -> {
              // The newest pane of each window is what Bigtable ends up holding.
              Map<String, WindowCount> newest = new HashMap<>();
              for (WindowCount pane : panes) {
                newest.merge(
                    pane.eventType() + "," + pane.windowStart(),
                    pane,
                    (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
              }
              Map<String, Long> live = new TreeMap<>();
              newest.forEach((key, pane) -> live.put(key, pane.count()));
              assertEquals(expectedLive, live);
              return null;
            });
    PAssert.that(
            deadLetters
                .getOutput()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via((DeadLetter d) -> d.kafkaOffset() + "," + d.reason())))
        .containsInAnyOrder(expectedDeadLetters);

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(21, FreshMetrics.counter(result.metrics(), FreshMetrics.EVENTS_PARSED));
    assertEquals(7, FreshMetrics.counter(result.metrics(), FreshMetrics.DEAD_LETTERS));
    assertEquals(2, FreshMetrics.counter(result.metrics(), FreshMetrics.DUPLICATES_DROPPED));
    assertEquals(5, FreshMetrics.tooLateForLiveView(result.metrics()));
  }

  @Test
  public void exactDedupGivesTheWarehouseCountsIncludingEventsTooLateForTheLiveView() {
    PCollection<KV<String, Long>> perMinute =
        pipeline
            .apply(Create.of(GoldenLog.lakeEvents()).withCoder(EventCoder.of()))
            .apply(ExactDedup.create())
            .apply(WindowedEventCounts.exact())
            .apply(
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via((WindowCount c) -> KV.of(c.eventType() + "," + c.windowStart(), c.count())));

    List<KV<String, Long>> expected = new ArrayList<>();
    GoldenLog.expectedCounts("expected_warehouse_counts.csv").forEach((k, v) -> expected.add(KV.of(k, v)));
    PAssert.that(perMinute).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }
}
