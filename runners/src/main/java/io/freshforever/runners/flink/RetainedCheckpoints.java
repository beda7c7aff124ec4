package io.freshforever.runners.flink;

import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.StreamingPipeline;
import io.freshforever.pipelines.StreamingPipelineOptions;
import io.freshforever.runners.stack.BeamFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;

/**
 * Flink runs of the {@code fresh} commands keep their state across a crash: checkpoints are
 * retained (also on cancel) under {@code <stateBackendStoragePath>/graph-<fingerprint>/}, and the
 * next start resumes from the newest complete one of the same graph.
 *
 * <p>The fingerprint hashes what decides whether a checkpoint fits: the names of every transform
 * (Flink's operator ids come from them), the parallelism, and the options that shape the state
 * (topic, consumer group, window, grace, dedup buckets). A changed graph finds no checkpoint in its
 * own folder and starts afresh, rebuilding the live view from the log, instead of failing on a
 * checkpoint it cannot read. {@code --fromScratch} ignores retained checkpoints. The dedup secret
 * is kept in the same folder ({@link DedupSecretFile}).
 */
public final class RetainedCheckpoints {
  public static final String FROM_SCRATCH = "--fromScratch";

  private RetainedCheckpoints() {}

  /** What to run with, and the line that tells the user which state it starts from. */
  public record Start(List<String> args, String message) {}

  /**
   * @param args Beam options of a streaming command, with {@code --stateBackendStoragePath} set;
   *     returned unchanged for a runner other than Flink, without that path or with one that is not
   *     a {@code file:} URI
   * @throws IllegalArgumentException when the options are invalid: the graph is built to find its
   *     folder, and an incomplete one cannot be
   */
  public static Start resumeNewest(List<String> args) {
    List<String> all = new ArrayList<>(args);
    boolean fromScratch = all.removeIf(a -> a.equals(FROM_SCRATCH) || a.equals(FROM_SCRATCH + "=true"));
    all.removeIf(a -> a.equals(FROM_SCRATCH + "=false"));
    if (all.stream().noneMatch(a -> a.startsWith("--runner=Flink"))) {
      return new Start(all, "");
    }
    DedupSecretFile.requireWithSavepoint(all);
    StreamingPipelineOptions options = Launch.options(StreamingPipelineOptions.class, all);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (flink.getStateBackendStoragePath() == null) {
      return new Start(all, "Flink: no --stateBackendStoragePath; the cluster's own configuration decides where checkpoints go");
    }
    URI storage = URI.create(flink.getStateBackendStoragePath());
    if (!"file".equals(storage.getScheme())) {
      // Listed from here only on this machine's disk; on gs:// the cluster keeps them (DEPLOY.md, section 3).
      return new Start(all, "Flink: checkpoints go to " + storage + "; to resume from one, name it with --savepointPath");
    }
    Path root = Path.of(storage).resolve("graph-" + fingerprint(options));
    BeamFlags.replace(all, "--stateBackendStoragePath", root.toUri().toString());
    BeamFlags.replace(all, "--externalizedCheckpointsEnabled", "true");
    BeamFlags.replace(all, "--retainExternalizedCheckpointsOnCancellation", "true");
    Optional<Path> newest = fromScratch ? Optional.empty() : newestComplete(root);
    DedupSecretFile.apply(all, root, newest.isPresent());
    if (fromScratch) {
      return new Start(all, "Flink: starting from scratch (" + FROM_SCRATCH + "); checkpoints go to " + root);
    }
    if (newest.isEmpty()) {
      return new Start(all, "Flink: no retained checkpoint of this pipeline under " + root + "; starting afresh");
    }
    Path checkpoint = newest.get();
    deleteOtherJobs(root, checkpoint.getParent());
    BeamFlags.replace(all, "--rebuildLiveState", "false");
    if (isLocal(flink.getFlinkMaster())) {
      // The embedded cluster takes the restore path from its configuration only.
      all = new ArrayList<>(EmbeddedFlinkConf.with(all, "execution.savepoint.path: " + checkpoint.toUri() + "\n"));
    } else {
      BeamFlags.replace(all, "--savepointPath", checkpoint.toUri().toString());
    }
    return new Start(
        all,
        "Flink: resuming from checkpoint " + checkpoint + " (written " + modified(checkpoint.resolve("_metadata")) + ")");
  }

  /** {@code <root>/<job id>/chk-<n>/} with a {@code _metadata} file: only complete ones have it. */
  static Optional<Path> newestComplete(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> metadata = Files.find(root, 3, (p, a) -> p.getFileName().toString().equals("_metadata")
        && p.getParent().getFileName().toString().startsWith("chk-"))) {
      return metadata.max(Comparator.comparing(RetainedCheckpoints::modified)).map(Path::getParent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list Flink checkpoints under " + root, e);
    }
  }

  private static String fingerprint(StreamingPipelineOptions options) {
    Pipeline graph = Pipeline.create(options);
    StreamingPipeline.build(graph, options);
    StringBuilder shape = new StringBuilder();
    graph.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            shape.append(node.getFullName()).append('\n');
          }
        });
    shape.append(options.as(FlinkPipelineOptions.class).getParallelism()).append('|')
        .append(options.as(FlinkPipelineOptions.class).getMaxParallelism()).append('|')
        .append(options.getKafkaTopic()).append('|')
        .append(options.getKafkaConsumerGroup()).append('|')
        .append(options.getWindowSeconds()).append('|')
        .append(options.getAllowedLatenessSeconds()).append('|')
        .append(options.getDedupBuckets());
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(shape.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Each start is a new Flink job with a folder of its own; only the one resumed from is kept. */
  private static void deleteOtherJobs(Path root, Path keep) {
    try (Stream<Path> jobs = Files.list(root)) {
      for (Path job : jobs.filter(p -> Files.isDirectory(p) && !p.equals(keep)).toList()) {
        try (Stream<Path> files = Files.walk(job)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean old Flink checkpoints under " + root, e);
    }
  }

  private static boolean isLocal(String master) {
    return master == null || master.equals("[local]") || master.equals("[auto]");
  }

  private static FileTime modified(Path path) {
    try {
      return Files.getLastModifiedTime(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
