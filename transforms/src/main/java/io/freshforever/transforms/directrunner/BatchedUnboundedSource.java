package io.freshforever.transforms.directrunner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Another unbounded source's records, handed out as lists of up to {@code maxBatch} records and
 * {@code maxBytes} bytes read together, each record with its own timestamp. The byte cap keeps a
 * batch of huge records as small in memory as one of ordinary ones (a record larger than the cap
 * is a batch of its own).
 *
 * <p>Why: the DirectRunner's unbounded-read evaluator takes at most 10 elements from a reader per
 * bundle and pays a checkpoint (for Kafka, an offset commit) and a bundle of every later step for
 * each (what that costs: docs/BENCHMARKS.md, "Runner accommodations"). Ten batches per bundle carry up to {@code 10 * maxBatch}
 * records for the same cost. Beam's Flink source updates every Beam metric of its step per element
 * it reads: a batch pays that once. The batch is the unit of checkpointing, so nothing about
 * exactly-once changes: the inner reader's checkpoint mark covers every record handed out so far.
 *
 * <p>A batch's timestamp is its oldest record's, so flattening it may move each record forward to
 * its own timestamp but never backward; the watermark is the inner reader's.
 */
public final class BatchedUnboundedSource<T, C extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<List<TimestampedValue<T>>, C> {
  private final UnboundedSource<T, C> inner;
  private final int maxBatch;
  private final long maxBytes;
  private final SerializableFunction<T, Long> sizeOf;
  private final Duration maxWait;

  /** @param sizeOf a record's size in bytes, as the cap counts it */
  public BatchedUnboundedSource(
      UnboundedSource<T, C> inner, int maxBatch, long maxBytes, SerializableFunction<T, Long> sizeOf, Duration maxWait) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("a batch holds at least 1 record, asked for " + maxBatch);
    }
    if (inner.requiresDeduping()) {
      // A batch has no single record id for the runner to deduplicate on.
      throw new IllegalArgumentException(inner + " relies on the runner's record-id dedup");
    }
    this.inner = inner;
    this.maxBatch = maxBatch;
    this.maxBytes = maxBytes;
    this.sizeOf = sizeOf;
    this.maxWait = maxWait;
  }

  @Override
  public List<BatchedUnboundedSource<T, C>> split(int desiredNumSplits, PipelineOptions options)
      throws Exception {
    List<BatchedUnboundedSource<T, C>> splits = new ArrayList<>();
    for (UnboundedSource<T, C> split : inner.split(desiredNumSplits, options)) {
      splits.add(new BatchedUnboundedSource<>(split, maxBatch, maxBytes, sizeOf, maxWait));
    }
    return splits;
  }

  @Override
  public UnboundedReader<List<TimestampedValue<T>>> createReader(
      PipelineOptions options, @Nullable C checkpointMark) throws IOException {
    return new BatchReader(inner.createReader(options, checkpointMark));
  }

  @Override
  public Coder<C> getCheckpointMarkCoder() {
    return inner.getCheckpointMarkCoder();
  }

  @Override
  public Coder<List<TimestampedValue<T>>> getOutputCoder() {
    return ListCoder.of(TimestampedValue.TimestampedValueCoder.of(inner.getOutputCoder()));
  }

  private final class BatchReader extends UnboundedReader<List<TimestampedValue<T>>> {
    private final UnboundedReader<T> reader;
    private @Nullable List<TimestampedValue<T>> batch;
    private Instant oldest = Instant.EPOCH;

    BatchReader(UnboundedReader<T> reader) {
      this.reader = reader;
    }

    @Override
    public boolean start() throws IOException {
      return reader.start() ? takeAvailable() : noBatch();
    }

    /** The inner reader's current record is always already in a batch, so move past it first. */
    @Override
    public boolean advance() throws IOException {
      return reader.advance() ? takeAvailable() : noBatch();
    }

    /**
     * The current record and what follows it, until the batch is full (in records or bytes) or the
     * inner reader has had nothing more for {@code maxWait}: with a wait, a trickle still makes
     * batches of useful size; without, a batch ends at the first read that finds nothing (which may
     * itself wait a moment: KafkaIO's reader polls its queue for up to 20 ms). An idle source
     * (nothing at all) returns at once.
     */
    private boolean takeAvailable() throws IOException {
      List<TimestampedValue<T>> records = new ArrayList<>();
      long bytes = 0;
      oldest = reader.getCurrentTimestamp();
      long deadline = System.nanoTime() + maxWait.getMillis() * 1_000_000L;
      boolean available = true;
      while (records.size() < maxBatch && bytes < maxBytes && (available || System.nanoTime() < deadline)) {
        if (available) {
          Instant timestamp = reader.getCurrentTimestamp();
          T record = reader.getCurrent();
          records.add(TimestampedValue.of(record, timestamp));
          bytes += sizeOf.apply(record);
          if (timestamp.isBefore(oldest)) {
            oldest = timestamp;
          }
        }
        if (records.size() < maxBatch && bytes < maxBytes) {
          available = reader.advance();
        }
      }
      batch = records;
      return true;
    }

    private boolean noBatch() {
      batch = null;
      return false;
    }

    @Override
    public List<TimestampedValue<T>> getCurrent() {
      if (batch == null) {
        throw new NoSuchElementException();
      }
      return batch;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (batch == null) {
        throw new NoSuchElementException();
      }
      return oldest;
    }

    @Override
    public Instant getWatermark() {
      return reader.getWatermark();
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return reader.getCheckpointMark();
    }

    @Override
    public long getSplitBacklogBytes() {
      return reader.getSplitBacklogBytes();
    }

    @Override
    public long getTotalBacklogBytes() {
      return reader.getTotalBacklogBytes();
    }

    @Override
    public UnboundedSource<List<TimestampedValue<T>>, ?> getCurrentSource() {
      return BatchedUnboundedSource.this;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
