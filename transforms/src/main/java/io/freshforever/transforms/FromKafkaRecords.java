package io.freshforever.transforms;

import io.freshforever.contract.RawRecord;
import io.freshforever.contract.RawRecordCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * KafkaIO's records to {@link RawRecord}s: the value's bytes and its log coordinates, counted as
 * {@value FreshMetrics#RECORDS_READ}. The key is not needed: the contract sets it to the {@code
 * event_id}, which the value repeats.
 */
public final class FromKafkaRecords
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollection<RawRecord>> {

  public static FromKafkaRecords create() {
    return new FromKafkaRecords();
  }

  @Override
  public PCollection<RawRecord> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    return records.apply("ToRawRecord", ParDo.of(new ToRawRecordFn())).setCoder(RawRecordCoder.of());
  }

  private static final class ToRawRecordFn extends DoFn<KafkaRecord<byte[], byte[]>, RawRecord> {
    private final Counter read = Metrics.counter(FreshMetrics.NAMESPACE, FreshMetrics.RECORDS_READ);

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, OutputReceiver<RawRecord> out) {
      read.inc();
      out.output(
          RawRecord.of(
              record.getKV().getValue(),
              new Instant(record.getTimestamp()),
              record.getPartition(),
              record.getOffset()));
    }
  }
}
