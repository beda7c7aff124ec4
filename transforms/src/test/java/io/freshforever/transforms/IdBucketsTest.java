package io.freshforever.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/** Buckets from a keyed hash: stable under one secret, unpredictable without it. */
public class IdBucketsTest {
  private static final String SECRET = "00112233445566778899aabbccddeeff";

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
  public void anIdsBucketAndFingerprintAreTheFirstSixteenBytesOfItsHmac() {
    // HMAC-SHA256("evt-42") under this secret, computed apart (Python's hmac): bytes 0-7 mod 256, bytes 8-15.
    IdBuckets.Placed placed = IdBuckets.keyed(256, "00112233445566778899aabbccddeeff").hasher().place("evt-42");
    assertEquals(237, placed.bucket());
    assertEquals(-6173474701093659045L, placed.fingerprint());
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
