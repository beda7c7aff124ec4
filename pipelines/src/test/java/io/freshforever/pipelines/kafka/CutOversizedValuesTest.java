package io.freshforever.pipelines.kafka;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import io.freshforever.contract.EventContract;
import io.freshforever.contract.EventParser;
import io.freshforever.contract.InvalidEventException;
import io.freshforever.contract.RawRecord;
import io.freshforever.contract.RejectReason;
import java.util.Arrays;
import org.joda.time.Instant;
import org.junit.Test;

public class CutOversizedValuesTest {
  private final CutOversizedValues deserializer = new CutOversizedValues();

  @Test
  public void aValueWithinTheLimitIsUntouched() {
    byte[] atLimit = new byte[EventContract.MAX_PAYLOAD_BYTES];
    assertSame(atLimit, deserializer.deserialize("events", atLimit));
    assertNull(deserializer.deserialize("events", null));
  }

  @Test
  public void aValueOverTheLimitIsCutToOneByteOverAndStillRejectedAsTooLarge() {
    byte[] huge = new byte[4 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    byte[] cut = deserializer.deserialize("events", huge);
    assertEquals(EventContract.MAX_PAYLOAD_BYTES + 1, cut.length);
    assertArrayEquals(Arrays.copyOf(huge, cut.length), cut);
    RawRecord record = RawRecord.of(cut, new Instant(0), 0, 0);
    InvalidEventException rejected =
        assertThrows(InvalidEventException.class, () -> EventParser.withContractLimits().parse(record));
    assertEquals(RejectReason.PAYLOAD_TOO_LARGE, rejected.reason());
  }
}
