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
   * @throws IllegalArgumentException when a secret is given that differs from the kept one while
   *     resuming: the checkpoint's state would not be found
   */
  static void apply(List<String> args, Path checkpoints, boolean resuming) {
    Path file = checkpoints.resolve(NAME);
    String given = BeamFlags.value(args, FLAG);
    String secret;
    if (resuming && Files.exists(file)) {
      secret = read(file);
      if (given != null && !given.equals(secret)) {
        throw new IllegalArgumentException(
            FLAG + " differs from the secret the retained checkpoints under " + checkpoints
                + " were written with (" + file + "); resumed with it, copies of one event would be"
                + " counted twice. Leave it out, or start afresh with --fromScratch");
      }
    } else {
      secret = given != null ? given : DedupByEventId.newBucketSecret();
      write(file, secret);
    }
    BeamFlags.replace(args, FLAG, secret);
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
      Path temporary = Files.createTempFile(file.getParent(), NAME, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temporary, secret + "\n", StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the dedup secret in " + file, e);
    }
  }
}
