package io.freshforever.transforms.directrunner;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

public class BatchedUnboundedSourceTest {
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();
  private static final Instant BASE = Instant.parse("2026-11-29T10:00:00Z");

  /** Record i is the long i; its timestamp goes back 5 s on every 7th record, out of order. */
  private static Instant timestampOf(long i) {
    return BASE.plus(Duration.millis(i % 7 == 0 ? i - 5_000 : i));
  }

  private static List<Long> values(List<TimestampedValue<Long>> batch) {
    return batch.stream().map(TimestampedValue::getValue).collect(Collectors.toList());
  }

  @Test
  public void batchesHoldUpToMaxRecordsEachWithItsOwnTimestamp() throws IOException {
    UnboundedReader<List<TimestampedValue<Long>>> reader =
        batched(new FiniteSource(2_500), 1_000, Duration.millis(10))
            .createReader(OPTIONS, null);

    assertTrue(reader.start());
    List<TimestampedValue<Long>> first = reader.getCurrent();
    assertEquals(1_000, first.size());
    assertEquals(0L, (long) first.get(0).getValue());
    assertEquals(999L, (long) first.get(999).getValue());
    assertEquals(timestampOf(999), first.get(999).getTimestamp());
    assertEquals(timestampOf(994), first.get(994).getTimestamp());
    assertEquals("the oldest record's", BASE.minus(Duration.millis(5_000)), reader.getCurrentTimestamp());

    assertTrue(reader.advance());
    assertEquals(1_000L, (long) reader.getCurrent().get(0).getValue());
    assertEquals(timestampOf(1_001), reader.getCurrentTimestamp());

    assertTrue(reader.advance());
    assertEquals(500, reader.getCurrent().size());
    assertEquals(2_499L, (long) reader.getCurrent().get(499).getValue());

    assertFalse(reader.advance());
    assertThrows(NoSuchElementException.class, reader::getCurrent);
    assertEquals(timestampOf(2_499), reader.getWatermark());
  }

  /** Batches capped in records only: each record counts 8 bytes, the cap is never reached. */
  private static BatchedUnboundedSource<Long, FiniteSource.Mark> batched(FiniteSource source, int maxBatch, Duration maxWait) {
    return new BatchedUnboundedSource<>(source, maxBatch, Long.MAX_VALUE, value -> 8L, maxWait);
  }

  @Test
  public void aBatchOfLargeRecordsEndsAtTheByteCapAndAHugeOneIsABatchOfItsOwn() throws IOException {
    // Record i weighs i MB: a cap of 5 MB takes records 0-3 (6 MB: the one that crosses it is in),
    // then 4 and 5 (9 MB), then 6 alone (6 MB).
    UnboundedReader<List<TimestampedValue<Long>>> reader =
        new BatchedUnboundedSource<>(new FiniteSource(7), 1_000, 5_000_000L, value -> value * 1_000_000, Duration.millis(10))
            .createReader(OPTIONS, null);
    assertTrue(reader.start());
    assertEquals(List.of(0L, 1L, 2L, 3L), values(reader.getCurrent()));
    assertTrue(reader.advance());
    assertEquals(List.of(4L, 5L), values(reader.getCurrent()));
    assertTrue(reader.advance());
    assertEquals(List.of(6L), values(reader.getCurrent()));
    assertFalse(reader.advance());
  }

  @Test
  public void aCheckpointResumesAfterTheLastBatchHandedOut() throws IOException {
    BatchedUnboundedSource<Long, FiniteSource.Mark> source =
        batched(new FiniteSource(2_500), 1_000, Duration.millis(10));
    UnboundedReader<List<TimestampedValue<Long>>> reader = source.createReader(OPTIONS, null);
    assertTrue(reader.start());
    FiniteSource.Mark mark = (FiniteSource.Mark) reader.getCheckpointMark();

    UnboundedReader<List<TimestampedValue<Long>>> resumed = source.createReader(OPTIONS, mark);
    assertTrue(resumed.start());
    assertEquals(1_000L, (long) values(resumed.getCurrent()).get(0));
  }

  @Test
  public void anIdleSourceAnswersAtOnceInsteadOfWaiting() throws IOException {
    UnboundedReader<List<TimestampedValue<Long>>> reader =
        batched(new FiniteSource(0), 1_000, Duration.standardSeconds(30))
            .createReader(OPTIONS, null);
    long started = System.nanoTime();
    assertFalse(reader.start());
    assertFalse(reader.advance());
    assertTrue(System.nanoTime() - started < 10_000_000_000L);
  }

  @Test
  public void splitsAsTheInnerSourceDoes() throws Exception {
    assertEquals(
        3,
        batched(new FiniteSource(10), 5, Duration.millis(1))
            .split(3, OPTIONS)
            .size());
  }

  @Test
  public void refusesASourceThatNeedsTheRunnersRecordIdDedup() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new BatchedUnboundedSource<>(
                new FiniteSource(1) {
                  @Override
                  public boolean requiresDeduping() {
                    return true;
                  }
                },
                10,
                Long.MAX_VALUE,
                value -> 8L,
                Duration.millis(1)));
  }

  /** Records 0 to {@code available - 1}, then nothing (yet): a topic that has been drained. */
  static class FiniteSource extends UnboundedSource<Long, FiniteSource.Mark> {
    private final int available;

    FiniteSource(int available) {
      this.available = available;
    }

    record Mark(int next) implements UnboundedSource.CheckpointMark {
      @Override
      public void finalizeCheckpoint() {}
    }

    @Override
    public List<FiniteSource> split(int desiredNumSplits, PipelineOptions options) {
      return java.util.Collections.nCopies(desiredNumSplits, this);
    }

    @Override
    public UnboundedReader<Long> createReader(PipelineOptions options, @Nullable Mark mark) {
      int start = mark == null ? 0 : mark.next();
      return new UnboundedReader<>() {
        private int next = start;
        private long current = -1;

        @Override
        public boolean start() {
          return advance();
        }

        @Override
        public boolean advance() {
          if (next >= available) {
            return false;
          }
          current = next++;
          return true;
        }

        @Override
        public Long getCurrent() {
          return current;
        }

        @Override
        public Instant getCurrentTimestamp() {
          return timestampOf(current);
        }

        @Override
        public Instant getWatermark() {
          return current < 0 ? BASE : timestampOf(current);
        }

        @Override
        public CheckpointMark getCheckpointMark() {
          return new Mark(next);
        }

        @Override
        public UnboundedSource<Long, ?> getCurrentSource() {
          return FiniteSource.this;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public Coder<Mark> getCheckpointMarkCoder() {
      return new AtomicCoder<>() {
        @Override
        public void encode(Mark mark, OutputStream out) throws IOException {
          VarIntCoder.of().encode(mark.next(), out);
        }

        @Override
        public Mark decode(InputStream in) throws IOException {
          return new Mark(VarIntCoder.of().decode(in));
        }
      };
    }

    @Override
    public Coder<Long> getOutputCoder() {
      return VarLongCoder.of();
    }
  }
}
