package io.freshforever.pipelines.lake;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import org.joda.time.Duration;

/**
 * Where and how a job writes lake files.
 *
 * @param root the lake's root: a folder locally, {@code gs://bucket/path} in production
 * @param flushEvery files are finalized at most this long after their first row arrived
 * @param shards files per partition per flush
 * @param runId unique per job run, so a restarted job never reuses an earlier run's file names
 */
public record LakeFiles(String root, Duration flushEvery, int shards, String runId) implements Serializable {
  public LakeFiles {
    requireNonNull(root, "root");
    requireNonNull(flushEvery, "flushEvery");
    requireNonNull(runId, "runId");
    if (shards < 1) {
      throw new IllegalArgumentException("lake shards must be at least 1, is " + shards);
    }
  }

  public static LakeFiles of(String root, Duration flushEvery, int shards, String runId) {
    return new LakeFiles(root, flushEvery, shards, runId);
  }

  /** The same settings for another writer of the same job, whose file names must not collide. */
  public LakeFiles forWriter(String writer) {
    return of(root, flushEvery, shards, runId + "-" + writer);
  }
}
