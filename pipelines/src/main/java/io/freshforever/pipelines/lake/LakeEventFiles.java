package io.freshforever.pipelines.lake;

import io.freshforever.lake.LakeLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.time.LocalDate;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

/**
 * The lake's event files by UTC event day, named relative to the lake root ({@code
 * events/dt=DAY/hr=HH/part-...parquet}): published files are immutable and named by their offset
 * range, so a name stands for its rows. {@link FileSystems} must know the lake's scheme.
 */
public final class LakeEventFiles {
  private static final String DAY_FOLDER = LakeLayout.EVENTS + "/dt=";
  /** Made once: making it reads Hadoop's default configuration files. */
  private static final ParquetReadOptions FOOTER_ONLY = ParquetReadOptions.builder().build();

  private LakeEventFiles() {}

  /** A file's size, and when it was published (its last modification: files are never changed). */
  public record LakeFile(long bytes, long publishedMillis) implements java.io.Serializable {}

  /** Every event file of the lake: day, then file name. */
  public static SortedMap<LocalDate, SortedMap<String, LakeFile>> list(String lakeRoot) {
    SortedMap<LocalDate, SortedMap<String, LakeFile>> days = new TreeMap<>();
    try {
      for (MatchResult.Metadata file :
          FileSystems.match(root(lakeRoot) + DAY_FOLDER + "*/hr=*/*.parquet", EmptyMatchTreatment.ALLOW).metadata()) {
        String relative = relative(file.resourceId().toString());
        LocalDate day = LocalDate.parse(relative.substring(DAY_FOLDER.length(), DAY_FOLDER.length() + 10));
        days.computeIfAbsent(day, d -> new TreeMap<>()).put(relative, new LakeFile(file.sizeBytes(), file.lastModifiedMillis()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the lake " + lakeRoot, e);
    }
    return days;
  }

  /** The name {@link #list} gives the event file at {@code path}, wherever the lake's root is. */
  public static String relative(String path) {
    return path.substring(path.lastIndexOf("/" + DAY_FOLDER) + 1);
  }

  /** The full path of a file {@link #list} named. */
  public static String path(String lakeRoot, String relative) {
    return root(lakeRoot) + relative;
  }

  /**
   * The rows of a lake file, from its footer alone; empty when it cannot be read (the load itself
   * fails on it, or skips and reports it).
   */
  public static OptionalLong rows(String lakeRoot, String relative) {
    String path = path(lakeRoot, relative);
    try (SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(FileSystems.matchNewResource(path, false));
        ParquetFileReader footer = new ParquetFileReader(new ChannelInputFile(channel), FOOTER_ONLY)) {
      return OptionalLong.of(footer.getFooter().getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum());
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  private static String root(String lakeRoot) {
    return lakeRoot.replaceAll("/+$", "") + "/";
  }
}
