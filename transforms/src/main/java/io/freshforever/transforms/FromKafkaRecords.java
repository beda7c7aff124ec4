package io.freshforever.transforms;

import io.freshforever.contract.RawRecord;
import io.freshforever.contract.RawRecordCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * KafkaIO's records to {@link RawRecord}s: the value's bytes and its log coordinates. The key is
 * not needed: the contract sets it to the {@code event_id}, which the value repeats.
 */
public final class FromKafkaRecords
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollection<RawRecord>> {

  public static FromKafkaRecords create() {
    return new FromKafkaRecords();
  }

  @Override
  public PCollection<RawRecord> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    return records
        .apply(
            "ToRawRecord",
            MapElements.into(TypeDescriptor.of(RawRecord.class))
                .via(
                    (KafkaRecord<byte[], byte[]> r) ->
                        RawRecord.of(
                            r.getKV().getValue(),
                            new Instant(r.getTimestamp()),
                            r.getPartition(),
                            r.getOffset())))
        .setCoder(RawRecordCoder.of());
  }
}
