package io.freshforever.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.Test;

public class IdFingerprintTest {
  private static final long EXPECTED_HIGH = 6320336788989129301L;
  private static final long EXPECTED_LOW = 6986396225975397731L;
  private final IdFingerprint.Hasher hasher = new IdFingerprint.Hasher();

  @Test
  public void isTheMd5OfTheIdsUtf8BytesOnEveryWorker() {
    // The same bits on every JVM and after every restart: state written by one worker is read by
    // another. Expected value from Python's hashlib.md5, read as two big-endian longs.
    assertEquals(
        new IdFingerprint(EXPECTED_HIGH, EXPECTED_LOW),
        hasher.of("0b7f6c1e-3c4d-4f7a-9a51-5d1f0c2e8b11"));
  }

  @Test
  public void distinctIdsGetDistinctFingerprints() {
    Set<IdFingerprint> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(hasher.of("id-" + i));
    }
    assertEquals(100_000, seen.size());
    assertNotEquals(hasher.of("a"), hasher.of("A"));
    assertNotEquals(hasher.of("é"), hasher.of("e\u0301"));
  }

  @Test
  public void coderRoundTripsIn16Bytes() throws Exception {
    IdFingerprint fingerprint = hasher.of("event-42");
    CoderProperties.coderDecodeEncodeEqual(IdFingerprint.Coder.INSTANCE, fingerprint);
    CoderProperties.coderDeterministic(IdFingerprint.Coder.INSTANCE, fingerprint, hasher.of("event-42"));
    assertEquals(
        16, org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(IdFingerprint.Coder.INSTANCE, fingerprint).length);
  }
}
