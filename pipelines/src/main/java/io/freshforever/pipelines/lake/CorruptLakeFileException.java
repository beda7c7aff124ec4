package io.freshforever.pipelines.lake;

/** A lake file that cannot be read to its end: truncated, corrupt, or not the lake's schema. */
public final class CorruptLakeFileException extends RuntimeException {
  CorruptLakeFileException(String file, Throwable cause) {
    super(
        "lake file "
            + file
            + " is corrupt or truncated ("
            + cause
            + "); no row of it was loaded. Restore the file from the bucket's object versions or"
            + " re-run with --skipCorruptFiles=true to load the rest and list it in the report.",
        cause);
  }
}
