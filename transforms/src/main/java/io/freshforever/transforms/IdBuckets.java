package io.freshforever.transforms;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Which of the live dedup's state buckets an {@code event_id} lives in: HMAC-SHA256 of the id
 * under a secret, so that a producer cannot aim ids at one bucket (and one worker), as it could
 * with a hash anyone can compute.
 *
 * <p>The secret decides where every remembered id is, so a job restored from a checkpoint or a
 * savepoint must be given the one its state was written with; a new secret would look for the
 * copies of an event in another bucket than its first copy, and count both. {@code fresh stream}
 * keeps it beside the retained checkpoints, terraform in its state.
 */
final class IdBuckets implements Serializable {
  private static final String ALGORITHM = "HmacSHA256";
  private static final int SECRET_BYTES = 16;

  private final int count;
  private final byte[] secret;

  private IdBuckets(int count, byte[] secret) {
    if (count < 1) {
      throw new IllegalArgumentException("buckets must be at least 1, is " + count);
    }
    this.count = count;
    this.secret = secret;
  }

  /** @param secretHex {@value #SECRET_BYTES} bytes as hex, e.g. from {@link #newSecret()} */
  static IdBuckets keyed(int count, String secretHex) {
    byte[] secret;
    try {
      secret = HexFormat.of().parseHex(secretHex);
    } catch (IllegalArgumentException notHex) {
      secret = new byte[0];
    }
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the dedup secret must be " + 2 * SECRET_BYTES + " hex digits (e.g. openssl rand -hex 16)");
    }
    return new IdBuckets(count, secret);
  }

  /** A new secret, as hex: for a job that will never be restored from state. */
  static String newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    return HexFormat.of().formatHex(secret);
  }

  int count() {
    return count;
  }

  /** Where an id lives (its bucket) and what is remembered of it (64 bits, keyed by the secret). */
  record Placed(int bucket, long fingerprint) {}

  /** A hasher for one thread: a {@link Mac} is not thread-safe. */
  Hasher hasher() {
    return new Hasher();
  }

  final class Hasher {
    private final Mac mac;

    private Hasher() {
      try {
        mac = Mac.getInstance(ALGORITHM);
        mac.init(new SecretKeySpec(secret, ALGORITHM));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("every Java platform has " + ALGORITHM, e);
      }
    }

    /** The id's bucket and its fingerprint, from one keyed hash: its first 8 bytes and its next 8. */
    Placed place(String eventId) {
      ByteBuffer hash = ByteBuffer.wrap(mac.doFinal(eventId.getBytes(StandardCharsets.UTF_8)));
      int bucket = (int) Math.floorMod(hash.getLong(), (long) count);
      return new Placed(bucket, hash.getLong());
    }

  }
}
