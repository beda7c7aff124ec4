package io.freshforever.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;
import org.junit.Test;

/** Buckets from a keyed hash: stable under one secret, unpredictable without it. */
public class IdBucketsTest {
  private static final String SECRET = "00112233445566778899aabbccddeeff";
  // SipHash-2-4 of "evt-42" under the first 16 bytes (little-endian halves) of HMAC-SHA256(SECRET,
  // "bucket") and of HMAC-SHA256(SECRET, "fingerprint"), computed apart (Python): mod 256, and whole.
  private static final int BUCKET_OF_EVT_42 = 249;
  private static final long FINGERPRINT_OF_EVT_42 = -5024969146345828053L;

  /** 4,096 ids that all share one {@code String.hashCode} ("Aa" and "BB" hash alike). */
  private static List<String> idsAimedAtOneStringHash() {
    List<String> ids = new ArrayList<>(List.of(""));
    for (int pair = 0; pair < 12; pair++) {
      List<String> longer = new ArrayList<>();
      for (String id : ids) {
        longer.add(id + "Aa");
        longer.add(id + "BB");
      }
      ids = longer;
    }
    return ids;
  }

  private static List<Integer> bucketsOf(List<String> ids, String secret, int buckets) {
    IdBuckets.Hasher hasher = IdBuckets.keyed(buckets, secret).hasher();
    return ids.stream().map(id -> hasher.place(id).bucket()).toList();
  }

  /** Pinned: a change here moves every remembered id (its bucket or its fingerprint) on restore. */
  @Test
  public void anIdsBucketAndFingerprintArePinned() {
    IdBuckets.Placed placed = IdBuckets.keyed(256, SECRET).hasher().place("evt-42");
    assertEquals(BUCKET_OF_EVT_42, placed.bucket());
    assertEquals(FINGERPRINT_OF_EVT_42, placed.fingerprint());
  }

  @Test
  public void sipHashMatchesTheReferenceVectorAndGuavaAtEveryLength() {
    // The reference implementation's first vector: key 00..0f, the empty message.
    IdBuckets.SipKey reference = new IdBuckets.SipKey(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
    assertEquals(0x726fdb47dd0e0e31L, reference.hash(new byte[0], 0));
    byte[] message = new byte[64];
    for (int length = 0; length < message.length; length++) {
      message[length] = (byte) (length * 37 + 11);
      assertEquals(
          "length " + length,
          Hashing.sipHash24(reference.k0(), reference.k1()).hashBytes(message, 0, length).asLong(),
          reference.hash(message, length));
    }
  }

  @Test
  public void anIdIsHashedAsItsUtf8Bytes() {
    IdBuckets buckets = IdBuckets.keyed(1 << 30, SECRET);
    IdBuckets.Hasher hasher = buckets.hasher();
    String ascii = "9f1c0b52-5a4e-4b8e-9d8c-0c1f8f0d3e2a";
    String accented = "événement-42-" + "x".repeat(100);
    IdBuckets.Placed first = hasher.place(ascii);
    IdBuckets.Placed second = hasher.place(accented);
    // The same again after the buffer grew and held other bytes.
    assertEquals(first, hasher.place(ascii));
    assertEquals(second, IdBuckets.keyed(1 << 30, SECRET).hasher().place(accented));
    assertNotEquals(first, second);
  }

  @Test
  public void oneSecretPlacesAnIdInOneBucketOnEveryWorkerAndRestart() {
    List<String> ids = List.of("event-42", "a", "9f1c0b52-5a4e-4b8e-9d8c-0c1f8f0d3e2a");
    assertEquals(bucketsOf(ids, SECRET, 256), bucketsOf(ids, SECRET, 256));
  }

  @Test
  public void idsAimedAtOneBucketOfAPublicHashSpreadOverAll() {
    List<String> aimed = idsAimedAtOneStringHash();
    assertEquals(1, aimed.stream().map(String::hashCode).distinct().count());

    Set<Integer> used = new HashSet<>(bucketsOf(aimed, SECRET, 256));
    assertEquals(256, used.size());
    int largest = 0;
    for (int bucket : used) {
      int inBucket = (int) bucketsOf(aimed, SECRET, 256).stream().filter(b -> b == bucket).count();
      largest = Math.max(largest, inBucket);
    }
    // 16 per bucket on average; a bucket with 3 times that would be news.
    assertTrue("fullest bucket has " + largest + " of 4,096 ids", largest < 48);
  }

  @Test
  public void anotherSecretPlacesIdsElsewhere() {
    List<String> aimed = idsAimedAtOneStringHash();
    assertNotEquals(bucketsOf(aimed, SECRET, 256), bucketsOf(aimed, IdBuckets.newSecret(), 256));
    assertEquals(32, IdBuckets.newSecret().length());
  }
}
