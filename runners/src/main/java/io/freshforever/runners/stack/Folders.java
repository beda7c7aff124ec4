package io.freshforever.runners.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders the local tools make and remove again. */
public final class Folders {
  private Folders() {}

  /** What the local stack leaves in a data folder it uses: the mark {@link #requireStackData} looks for. */
  public static final String STACK_DATA_MARK = ".fresh-stack-data";

  /** Marks {@code dir} as a folder the local stack keeps its data in. */
  public static void markStackData(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path mark = dir.resolve(STACK_DATA_MARK);
    if (!Files.exists(mark)) {
      Files.writeString(mark, "Data of fresh's local stack: fresh demo --clean may delete this folder.\n");
    }
  }

  /**
   * @throws IllegalArgumentException unless {@code dir} is absent, empty, or a folder the local
   *     stack keeps its data in: a folder that may be deleted whole
   */
  public static void requireStackData(Path dir) throws IOException {
    if (!Files.exists(dir) || Files.exists(dir.resolve(STACK_DATA_MARK))) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isEmpty()) {
        return;
      }
    }
    throw new IllegalArgumentException(
        "--clean deletes only a folder the local stack made, and " + dir.toAbsolutePath() + " is not one (it has no "
            + STACK_DATA_MARK + "): name another --dir, or delete it yourself");
  }

  /** Deletes {@code root} and everything under it; nothing happens if it is not there. */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
