package io.freshforever.runners.flink;

import io.freshforever.runners.stack.BeamFlags;
import io.freshforever.transforms.DedupByEventId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;

/**
 * The dedup secret of a job whose checkpoints are retained, kept in a file beside them (readable by
 * its owner only): each start that resumes from them runs with the secret their state was written
 * with, or dedup would look for an event's copies in another bucket than its first copy.
 */
final class DedupSecretFile {
  static final String NAME = "dedup-secret";
  private static final String FLAG = "--dedupSecret";

  private DedupSecretFile() {}

  /**
   * Sets {@value #FLAG} in {@code args}: the kept secret when resuming, else the given one or a new
   * one, kept from now on.
   *
   * @throws IllegalArgumentException when resuming with a secret that differs from the kept one, or
   *     with none given and none kept: the checkpoint's state would not be found
   */
  static void apply(List<String> args, Path checkpoints, boolean resuming) {
    Path file = checkpoints.resolve(NAME);
    String given = BeamFlags.value(args, FLAG);
    String secret;
    if (resuming) {
      if (!Files.exists(file) && given == null) {
        throw new IllegalArgumentException(
            "the retained checkpoints under " + checkpoints + " have no " + NAME + " beside them: resumed"
                + " with a new one, copies of one event would be counted twice. Give the job's " + FLAG
                + ", or start afresh with --fromScratch");
      }
      secret = Files.exists(file) ? read(file) : given.toLowerCase(Locale.ROOT);
      if (given != null && !given.equalsIgnoreCase(secret)) {
        throw new IllegalArgumentException(
            FLAG + " differs from the secret the retained checkpoints under " + checkpoints
                + " were written with (" + file + "); resumed with it, copies of one event would be"
                + " counted twice. Leave it out, or start afresh with --fromScratch");
      }
    } else {
      secret = given != null ? given.toLowerCase(Locale.ROOT) : DedupByEventId.newBucketSecret();
    }
    write(file, secret);
    BeamFlags.replace(args, FLAG, secret);
  }

  /**
   * A restore from a savepoint or checkpoint named by hand must name the secret too.
   *
   * @throws IllegalArgumentException when {@code --savepointPath} is given without {@value #FLAG}
   */
  static void requireWithSavepoint(List<String> args) {
    if (BeamFlags.value(args, "--savepointPath") != null && BeamFlags.value(args, FLAG) == null) {
      throw new IllegalArgumentException(
          "--savepointPath restores dedup state, which needs the " + FLAG + " the job ran with"
              + " (without it, copies of one event on both sides of the restore are counted twice)");
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dedup secret " + file, e);
    }
  }

  private static void write(Path file, String secret) {
    try {
      Files.createDirectories(file.getParent());
      boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
      Path temporary =
          posix
              ? Files.createTempFile(file.getParent(), NAME, ".tmp",
                  PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
              : Files.createTempFile(file.getParent(), NAME, ".tmp");
      try {
        Files.writeString(temporary, secret + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the dedup secret in " + file, e);
    }
  }
}
