package io.freshforever.transforms;

import io.freshforever.contract.DeadLetter;
import io.freshforever.contract.DeadLetterCoder;
import io.freshforever.contract.RawRecord;
import io.freshforever.contract.RawRecordCoder;
import io.freshforever.contract.RejectReason;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Beam {@link BadRecord}s to contract {@link DeadLetter}s: the raw payload, its ingest-log
 * coordinates, a {@link RejectReason} code and a message.
 *
 * <p>Records rejected by {@link ParseEvents} carry their {@link RawRecord} and reason exactly. A bad
 * record from anywhere else in the pipeline (say, a sink that failed) is kept too, as {@code
 * PROCESSING_FAILURE} with the record's JSON as payload, coordinates -1, the time of the failure
 * as ingest time, and the exception in the message: nothing that reaches the error handler is dropped.
 */
public final class ToDeadLetters extends PTransform<PCollection<BadRecord>, PCollection<DeadLetter>> {
  private static final String RAW_RECORD_CODER = RawRecordCoder.of().toString();

  public static ToDeadLetters create() {
    return new ToDeadLetters();
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<BadRecord> badRecords) {
    return badRecords
        .apply("ToDeadLetter", ParDo.of(new ToDeadLetterFn()))
        .setCoder(DeadLetterCoder.of());
  }

  private static final class ToDeadLetterFn extends DoFn<BadRecord, DeadLetter> {
    @ProcessElement
    public void process(@Element BadRecord bad, OutputReceiver<DeadLetter> out)
        throws Exception {
      String description = bad.getFailure().getDescription();
      @Nullable RejectReason reason = reasonOf(description);
      String message =
          reason != null
              ? description.substring(reason.name().length() + 2)
              : describeFailure(bad.getFailure());
      String reasonCode = reason != null ? reason.name() : RejectReason.PROCESSING_FAILURE.name();

      BadRecord.Record record = bad.getRecord();
      byte[] encoded = record.getEncodedRecord();
      if (encoded != null && RAW_RECORD_CODER.equals(record.getCoder())) {
        RawRecord raw = CoderUtils.decodeFromByteArray(RawRecordCoder.of(), encoded);
        out.output(
            new DeadLetter(
                raw.payload(),
                reasonCode,
                message,
                raw.ingestTime(),
                raw.kafkaPartition(),
                raw.kafkaOffset()));
        return;
      }
      String json = record.getHumanReadableJsonRecord();
      out.output(
          new DeadLetter(
              json == null ? null : json.getBytes(StandardCharsets.UTF_8),
              reasonCode,
              message,
              Instant.now(), // not from the log: record when it failed
              -1,
              -1L));
    }

    private static @Nullable RejectReason reasonOf(String description) {
      int colon = description.indexOf(": ");
      if (colon <= 0) {
        return null;
      }
      try {
        return RejectReason.valueOf(description.substring(0, colon));
      } catch (IllegalArgumentException notOurs) {
        return null;
      }
    }

    private static String describeFailure(BadRecord.Failure failure) {
      String exception = failure.getException();
      return exception == null
          ? failure.getDescription()
          : failure.getDescription() + ": " + exception;
    }
  }
}
