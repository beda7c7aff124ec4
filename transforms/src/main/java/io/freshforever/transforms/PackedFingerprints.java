package io.freshforever.transforms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the live dedup remembers of its ids: 64-bit keyed fingerprints ({@link IdBuckets}), packed
 * as sorted {@code long[]} parts of a state key's set, each part the ids whose fingerprint starts
 * with one byte ({@link #partOf}). A part of a busy key holds tens of ids: one state entry per part
 * instead of one per id, so an id costs its 8 bytes plus a share of the part's overhead, in RocksDB
 * and on a heap alike, and a read or write of a part moves a few hundred bytes.
 *
 * <p>Two distinct ids of one window and bucket would have to share all 64 bits to be mistaken for
 * copies: with n ids per (bucket, window) the chance is about n² / 2^65, for the design load (58K
 * ids/s, 1-minute windows, 256 buckets: n ≈ 14K) some 10^-9 per window, one miscounted event in
 * centuries. The fingerprint is keyed by the job's secret, so no producer can make ids collide on
 * purpose. Parts are never changed in place (a new array per insert): a state backend or runner
 * may hand out the stored array itself.
 */
final class PackedFingerprints {
  /** Parts per state key: the fingerprint's first byte. */
  static final int PARTS = 256;

  private PackedFingerprints() {}

  static int partOf(long fingerprint) {
    return (int) (fingerprint >>> 56);
  }

  /** {@code part} with {@code fingerprint} added, or null when it holds it already. */
  static long @Nullable [] with(long @Nullable [] part, long fingerprint) {
    if (part == null) {
      return new long[] {fingerprint};
    }
    int at = Arrays.binarySearch(part, fingerprint);
    if (at >= 0) {
      return null;
    }
    int insert = -at - 1;
    long[] added = new long[part.length + 1];
    System.arraycopy(part, 0, added, 0, insert);
    added[insert] = fingerprint;
    System.arraycopy(part, insert, added, insert + 1, part.length - insert);
    return added;
  }

  /** A part as its length and its fingerprints, 8 bytes each. */
  static final class Coder extends AtomicCoder<long[]> {
    // Flink keeps the coder, Java-serialized, in every checkpoint: a computed id would change with
    // any edit of this class and fail the restore.
    private static final long serialVersionUID = 1L;
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(long[] part, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(part.length);
      for (long fingerprint : part) {
        data.writeLong(fingerprint);
      }
      data.flush();
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      int length = data.readInt();
      if (length < 0) {
        throw new CoderException("a fingerprint part of negative length " + length);
      }
      long[] part = new long[length];
      for (int i = 0; i < length; i++) {
        part[i] = data.readLong();
      }
      return part;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
