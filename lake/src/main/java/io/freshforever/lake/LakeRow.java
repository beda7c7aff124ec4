package io.freshforever.lake;

import io.freshforever.contract.DeadLetter;
import io.freshforever.contract.Event;
import io.freshforever.contract.EventParser;
import io.freshforever.contract.InvalidEventException;
import io.freshforever.contract.RawRecord;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * What one record of the ingest log becomes in the lake: a valid event is an {@code events/} row in
 * the folder of its event time; anything else is a {@code dlq/} row in the folder of its ingest time,
 * with the reason the contract's parser gave. Every record becomes exactly one row.
 */
public record LakeRow(String folder, Schema schema, GenericRecord row) {
  public static LakeRow of(RawRecord raw, EventParser parser) {
    try {
      Event event = parser.parse(raw);
      return new LakeRow(LakeLayout.eventPartition(event.eventTime()), LakeSchemas.EVENT, LakeSchemas.toRecord(event));
    } catch (InvalidEventException e) {
      return new LakeRow(
          LakeLayout.deadLetterPartition(raw.ingestTime()),
          LakeSchemas.DEAD_LETTER,
          LakeSchemas.toRecord(DeadLetter.of(raw, e.reason(), e.getMessage())));
    }
  }
}
