package io.freshforever.transforms;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

public class PackedFingerprintsTest {
  @Test
  public void aPartStaysSortedAndRefusesAFingerprintItHolds() {
    long[] part = null;
    for (long fingerprint : new long[] {42L, -7L, 1_000L, 0L}) {
      long[] before = part;
      long[] kept = before == null ? null : before.clone();
      part = PackedFingerprints.with(part, fingerprint);
      if (before != null) {
        assertArrayEquals("the part given is never changed", kept, before);
        assertEquals(before.length + 1, part.length);
      }
    }
    assertArrayEquals(new long[] {-7L, 0L, 42L, 1_000L}, part);
    assertNull(PackedFingerprints.with(part, 42L));
    assertNull(PackedFingerprints.with(part, -7L));
    assertArrayEquals(new long[] {-7L, 0L, 42L, 1_000L}, part);
  }

  @Test
  public void theFirstByteChoosesThePart() {
    assertEquals(0, PackedFingerprints.partOf(0x00FF_FFFF_FFFF_FFFFL));
    assertEquals(255, PackedFingerprints.partOf(-1L));
    assertEquals(0x80, PackedFingerprints.partOf(Long.MIN_VALUE));
  }

  @Test
  public void aPartIsItsLengthAndEightBytesAFingerprint() throws Exception {
    long[] part = {Long.MIN_VALUE, -1L, 0L, 7L, Long.MAX_VALUE};
    byte[] encoded = CoderUtils.encodeToByteArray(PackedFingerprints.Coder.INSTANCE, part);
    assertEquals(4 + 8 * part.length, encoded.length);
    assertArrayEquals(part, CoderUtils.decodeFromByteArray(PackedFingerprints.Coder.INSTANCE, encoded));
  }
}
