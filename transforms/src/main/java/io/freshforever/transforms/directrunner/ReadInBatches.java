package io.freshforever.transforms.directrunner;

import java.util.List;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;

/**
 * Reads an unbounded source through {@link BatchedUnboundedSource} and hands its records on one by
 * one, each with its own timestamp: the same records, timestamps and watermark as {@code
 * Read.from(source)}, with runner overhead paid per batch instead of per few records.
 */
public final class ReadInBatches<T> extends PTransform<PBegin, PCollection<T>> {
  private final UnboundedSource<T, ?> source;
  private final int maxBatch;
  private final long maxBytes;
  private final SerializableFunction<T, Long> sizeOf;
  private final Duration maxWait;

  private ReadInBatches(
      UnboundedSource<T, ?> source, int maxBatch, long maxBytes, SerializableFunction<T, Long> sizeOf, Duration maxWait) {
    this.source = source;
    this.maxBatch = maxBatch;
    this.maxBytes = maxBytes;
    this.sizeOf = sizeOf;
    this.maxWait = maxWait;
  }

  /**
   * Batches of up to {@code maxBatch} records and {@code maxBytes} bytes (as {@code sizeOf} counts
   * a record), waiting at most {@code maxWait} for more.
   */
  public static <T> ReadInBatches<T> from(
      UnboundedSource<T, ?> source, int maxBatch, long maxBytes, SerializableFunction<T, Long> sizeOf, Duration maxWait) {
    return new ReadInBatches<>(source, maxBatch, maxBytes, sizeOf, maxWait);
  }

  @Override
  public PCollection<T> expand(PBegin begin) {
    return begin
        .apply("ReadBatches", Read.from(batched(source)))
        .apply("Unbatch", ParDo.of(new UnbatchFn<T>()))
        .setCoder(source.getOutputCoder());
  }

  private <C extends UnboundedSource.CheckpointMark> BatchedUnboundedSource<T, C> batched(UnboundedSource<T, C> source) {
    return new BatchedUnboundedSource<>(source, maxBatch, maxBytes, sizeOf, maxWait);
  }

  private static final class UnbatchFn<T> extends DoFn<List<TimestampedValue<T>>, T> {
    @ProcessElement
    public void process(@Element List<TimestampedValue<T>> batch, OutputReceiver<T> out) {
      for (TimestampedValue<T> record : batch) {
        out.outputWithTimestamp(record.getValue(), record.getTimestamp());
      }
    }
  }
}
