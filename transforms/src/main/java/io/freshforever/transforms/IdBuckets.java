package io.freshforever.transforms;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Which of the live dedup's state buckets an {@code event_id} lives in, and the 64 bits of it that
 * dedup remembers: each a SipHash-2-4 of the id under a key of its own derived from a secret, so
 * that a producer can neither aim ids at one bucket (and one worker), as it could with a hash
 * anyone can compute, nor make two ids share a fingerprint. SipHash is the keyed hash made for
 * hash tables that face chosen keys; it costs a tenth of the HMAC-SHA256 this used before (5% of
 * the live job's samples, docs/BENCHMARKS.md, issue 26).
 *
 * <p>The secret decides where every remembered id is, so a job restored from a checkpoint or a
 * savepoint must be given the one its state was written with; a new secret would look for the
 * copies of an event in another bucket than its first copy, and count both. {@code fresh stream}
 * keeps it beside the retained checkpoints, terraform in its state.
 */
final class IdBuckets implements Serializable {
  private static final int SECRET_BYTES = 16;

  private final int count;
  private final SipKey bucketKey;
  private final SipKey fingerprintKey;

  private IdBuckets(int count, byte[] secret) {
    if (count < 1) {
      throw new IllegalArgumentException("buckets must be at least 1, is " + count);
    }
    this.count = count;
    this.bucketKey = SipKey.derived(secret, "bucket");
    this.fingerprintKey = SipKey.derived(secret, "fingerprint");
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

  /** A hasher for one thread (it keeps a buffer). */
  Hasher hasher() {
    return new Hasher();
  }

  final class Hasher {
    private byte[] utf8 = new byte[64];

    private Hasher() {}

    /** The id's bucket and its fingerprint: two keyed hashes of its UTF-8 bytes. */
    Placed place(String eventId) {
      int length = encode(eventId);
      int bucket = (int) Math.floorMod(bucketKey.hash(utf8, length), (long) count);
      return new Placed(bucket, fingerprintKey.hash(utf8, length));
    }

    /** The id's UTF-8 bytes into the buffer (ids are short and nearly always ASCII). */
    private int encode(String id) {
      int length = id.length();
      if (length > utf8.length) {
        utf8 = new byte[Math.max(length, 2 * utf8.length)];
      }
      for (int i = 0; i < length; i++) {
        char c = id.charAt(i);
        if (c >= 0x80) {
          byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
          if (bytes.length > utf8.length) {
            utf8 = new byte[bytes.length];
          }
          System.arraycopy(bytes, 0, utf8, 0, bytes.length);
          return bytes.length;
        }
        utf8[i] = (byte) c;
      }
      return length;
    }
  }

  /** A SipHash-2-4 key: two 64-bit halves, derived from the secret for one use. */
  record SipKey(long k0, long k1) implements Serializable {
    /** The first 16 bytes of HMAC-SHA256(secret, use): keys for two uses share nothing. */
    static SipKey derived(byte[] secret, String use) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        ByteBuffer key = ByteBuffer.wrap(mac.doFinal(use.getBytes(StandardCharsets.UTF_8)));
        key.order(ByteOrder.LITTLE_ENDIAN);
        return new SipKey(key.getLong(), key.getLong());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("every Java platform has HmacSHA256", e);
      }
    }

    /** SipHash-2-4 of {@code data[0, length)} (Aumasson and Bernstein, 2012). */
    long hash(byte[] data, int length) {
      SipState state = new SipState(k0, k1);
      int whole = length & ~7;
      for (int i = 0; i < whole; i += 8) {
        state.absorb(littleEndian(data, i, 8));
      }
      state.absorb(((long) length << 56) | littleEndian(data, whole, length - whole));
      state.v2 ^= 0xff;
      state.rounds(4);
      return state.v0 ^ state.v1 ^ state.v2 ^ state.v3;
    }

    private static long littleEndian(byte[] data, int from, int bytes) {
      long value = 0;
      for (int i = bytes - 1; i >= 0; i--) {
        value = (value << 8) | (data[from + i] & 0xffL);
      }
      return value;
    }
  }

  /** SipHash's four words of state (the JIT keeps them in registers: nothing is allocated). */
  private static final class SipState {
    long v0;
    long v1;
    long v2;
    long v3;

    SipState(long k0, long k1) {
      v0 = 0x736f6d6570736575L ^ k0;
      v1 = 0x646f72616e646f6dL ^ k1;
      v2 = 0x6c7967656e657261L ^ k0;
      v3 = 0x7465646279746573L ^ k1;
    }

    /** One 8-byte word of the message, with SipHash-2-4's two rounds. */
    void absorb(long word) {
      v3 ^= word;
      rounds(2);
      v0 ^= word;
    }

    void rounds(int count) {
      for (int round = 0; round < count; round++) {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
      }
    }
  }
}
