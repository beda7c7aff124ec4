package io.freshforever.contract;

import static org.junit.Assert.assertEquals;

import org.joda.time.Instant;
import org.junit.Test;

public class RawRecordTest {
  /** Beam's BadRecord keeps this text for every rejected record: a 1 MB value must not become 4 MB of it. */
  @Test
  public void itsTextNamesThePayloadsSizeNotItsBytes() {
    RawRecord huge = RawRecord.of(new byte[EventContract.MAX_PAYLOAD_BYTES + 1], new Instant(0), 3, 17L);
    assertEquals(
        "RawRecord[payload=1048577 bytes, ingestTime=1970-01-01T00:00:00.000Z, kafkaPartition=3, kafkaOffset=17]",
        huge.toString());
    assertEquals(
        "RawRecord[payload=null, ingestTime=1970-01-01T00:00:00.000Z, kafkaPartition=3, kafkaOffset=17]",
        RawRecord.of(null, new Instant(0), 3, 17L).toString());
  }
}
