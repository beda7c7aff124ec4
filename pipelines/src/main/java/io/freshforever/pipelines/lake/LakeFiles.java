package io.freshforever.pipelines.lake;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.joda.time.Duration;

/** Where and how a job writes lake files. */
@AutoValue
public abstract class LakeFiles implements Serializable {
  /** The lake's root: a folder locally, {@code gs://bucket/path} in production. */
  public abstract String root();

  /** Files are finalized at most this long after their first row arrived. */
  public abstract Duration flushEvery();

  /** Files per partition per flush. */
  public abstract int shards();

  /** Unique per job run, so a restarted job never reuses an earlier run's file names. */
  public abstract String runId();

  /** The same settings for another writer of the same job, whose file names must not collide. */
  public LakeFiles forWriter(String writer) {
    return of(root(), flushEvery(), shards(), runId() + "-" + writer);
  }

  public static LakeFiles of(String root, Duration flushEvery, int shards, String runId) {
    if (shards < 1) {
      throw new IllegalArgumentException("lake shards must be at least 1, is " + shards);
    }
    return new AutoValue_LakeFiles(root, flushEvery, shards, runId);
  }
}
