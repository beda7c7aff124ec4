package io.freshforever.lake;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * One flush of one Kafka partition: a contiguous run of its offsets, one Parquet file per lake
 * folder the rows fall in, written to a temporary folder as rows arrive and moved to their final
 * names by {@link #publish()}.
 *
 * <p>Final names carry the Kafka partition and the flush's first and last offset, e.g. {@code
 * events/dt=2026-12-01/hr=10/part-p003-00000000000000120000-00000000000000124999.parquet}: every lake
 * file says which slice of the log it holds. A file is complete before it gets its final name, so a
 * reader never sees half a file; and a name that is already published holds the same slice of the
 * log, so it is kept as it is: publishing never overwrites or deletes a lake file.
 */
public final class LakeFlush {
  /** Where files are written before they are complete; readers never look there. */
  public static final String TEMP_FOLDER = ".lake-writer-tmp";

  /** Row groups are flushed to the file as they fill: the memory one open file holds. */
  private static final int ROW_GROUP_BYTES = 8 * 1024 * 1024;

  /**
   * The columns whose values repeat. Every other column is all but unique per row (ids, offsets,
   * times, payloads): a dictionary there is built, found useless and thrown away for every page, and
   * it was most of the cost of writing a row.
   */
  private static final Set<String> DICTIONARY_COLUMNS =
      Set.of("event_type", "user_id", "kafka_partition", "reason");

  private final ResourceId root;
  private final String topic;
  private final int partition;
  private final Map<String, OpenFile> files = new LinkedHashMap<>();
  private long firstOffset = -1;
  private long lastOffset = -1;
  private long rows;
  private long bytes;

  private static final class OpenFile {
    final String folder;
    final ResourceId temp;
    final WritableByteChannel channel;
    final ParquetWriter<GenericRecord> writer;

    OpenFile(String folder, ResourceId temp, Schema schema) throws IOException {
      this.folder = folder;
      this.temp = temp;
      this.channel = FileSystems.create(temp, MimeTypes.BINARY);
      AvroParquetWriter.Builder<GenericRecord> builder =
          AvroParquetWriter.<GenericRecord>builder(new ChannelOutputFile(channel))
              .withSchema(schema)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .withRowGroupSize(ROW_GROUP_BYTES)
              .withDictionaryEncoding(false);
      for (String column : DICTIONARY_COLUMNS) {
        builder.withDictionaryEncoding(column, true);
      }
      this.writer = builder.build();
    }
  }

  /** A flush of partition {@code partition} of {@code topic} into the lake at {@code root}. */
  public LakeFlush(ResourceId root, String topic, int partition) {
    this.root = root;
    this.topic = topic;
    this.partition = partition;
  }

  public boolean isEmpty() {
    return rows == 0;
  }

  public long rows() {
    return rows;
  }

  /** The bytes of the records added, as their writers counted them: what the open files hold. */
  public long bytes() {
    return bytes;
  }

  /** Lake folders with an open file: one Parquet writer each. */
  public int folders() {
    return files.size();
  }

  public boolean holds(String folder) {
    return files.containsKey(folder);
  }

  /** The offset of the first row; -1 while empty. */
  public long firstOffset() {
    return firstOffset;
  }

  /** The offset after the last row: where the log is to be read from once this flush is published. */
  public long nextOffset() {
    return lastOffset + 1;
  }

  /**
   * Adds the row of the record at {@code offset} to the file of its lake folder.
   *
   * @param recordBytes the record's size, counted towards {@link #bytes()}
   */
  public void add(long offset, String folder, Schema schema, GenericRecord row, long recordBytes)
      throws IOException {
    OpenFile file = files.get(folder);
    if (file == null) {
      ResourceId temp =
          root.resolve(TEMP_FOLDER, StandardResolveOptions.RESOLVE_DIRECTORY)
              .resolve(tempPrefix(topic, partition) + UUID.randomUUID() + ".parquet", StandardResolveOptions.RESOLVE_FILE);
      file = new OpenFile(folder, temp, schema);
      files.put(folder, file);
    }
    file.writer.write(row);
    if (firstOffset < 0) {
      firstOffset = offset;
    }
    lastOffset = offset;
    rows++;
    bytes += recordBytes;
  }

  /**
   * Completes every file and moves it to its final name; a name already published is left as it is
   * (the same slice of the log, written before a crash or by the partition's previous owner), and
   * this flush's file for it is dropped. Only after this returns may {@link #nextOffset()} be
   * committed: a crash before leaves the log position where it was, so the rows are read again,
   * never lost.
   *
   * @return the final names
   */
  public List<String> publish() throws IOException {
    List<ResourceId> temps = new ArrayList<>();
    List<ResourceId> finals = new ArrayList<>();
    for (OpenFile file : files.values()) {
      file.writer.close();
      file.channel.close();
      syncIfLocal(file.temp);
      temps.add(file.temp);
      finals.add(
          root.resolve(file.folder, StandardResolveOptions.RESOLVE_DIRECTORY)
              .resolve(finalName(partition, firstOffset, lastOffset), StandardResolveOptions.RESOLVE_FILE));
    }
    // Beam's rename replaces what is there (and its skip option needs checksums a local file lacks),
    // so the names already published are found first and left alone.
    List<ResourceId> toRename = new ArrayList<>();
    List<ResourceId> renamed = new ArrayList<>();
    List<ResourceId> dropped = new ArrayList<>();
    List<MatchResult> existing = FileSystems.match(finals.stream().map(ResourceId::toString).toList());
    for (int i = 0; i < finals.size(); i++) {
      if (existing.get(i).status() == MatchResult.Status.OK) {
        dropped.add(temps.get(i));
      } else {
        toRename.add(temps.get(i));
        renamed.add(finals.get(i));
      }
    }
    try {
      FileSystems.rename(toRename, renamed);
    } catch (IOException e) {
      // Another owner of the partition published the same names in between (a rebalance): done.
      if (!allExist(renamed)) {
        throw e;
      }
      dropped.addAll(toRename);
    }
    FileSystems.delete(dropped, StandardMoveOptions.IGNORE_MISSING_FILES);
    List<String> names = new ArrayList<>();
    for (ResourceId file : finals) {
      syncIfLocal(file.getCurrentDirectory());
      names.add(file.toString());
    }
    files.clear();
    return names;
  }

  private static boolean allExist(List<ResourceId> files) throws IOException {
    return FileSystems.match(files.stream().map(ResourceId::toString).toList()).stream()
        .allMatch(match -> match.status() == MatchResult.Status.OK);
  }

  /** Drops the flush: its temporary files are deleted, its rows will be read again. */
  public void abandon() {
    List<ResourceId> temps = new ArrayList<>();
    for (OpenFile file : files.values()) {
      try {
        file.channel.close();
      } catch (IOException | RuntimeException ignored) {
        // the file is deleted next; its rows are read again
      }
      temps.add(file.temp);
    }
    files.clear();
    try {
      FileSystems.delete(temps, StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      // Left-over temporary files are invisible to readers and removed at the next assignment.
    }
  }

  /**
   * Temporary files of partition {@code partition} of {@code topic}, left by a writer that stopped
   * before it published them: never visible, deleted by the partition's next owner before it writes.
   */
  public static void deleteLeftOverTempFiles(ResourceId root, String topic, int partition) throws IOException {
    String pattern =
        root.resolve(TEMP_FOLDER, StandardResolveOptions.RESOLVE_DIRECTORY)
            .resolve(tempPrefix(topic, partition) + "*", StandardResolveOptions.RESOLVE_FILE)
            .toString();
    List<ResourceId> leftOver = new ArrayList<>();
    FileSystems.match(List.of(pattern)).forEach(match -> {
      try {
        match.metadata().forEach(m -> leftOver.add(m.resourceId()));
      } catch (IOException noneThere) {
        // NOT_FOUND: nothing to delete
      }
    });
    FileSystems.delete(leftOver, StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /** Per topic too: a lake is one topic's, but a misconfigured second writer must not delete these. */
  static String tempPrefix(String topic, int partition) {
    return String.format("%s-p%03d-", topic, partition);
  }

  public static String finalName(int partition, long firstOffset, long lastOffset) {
    return String.format("part-p%03d-%020d-%020d.parquet", partition, firstOffset, lastOffset);
  }

  /**
   * A local file's bytes (or a folder's entries) reach the disk before the offsets are committed,
   * so not even a power cut loses a published file; object stores are durable once written.
   */
  private static void syncIfLocal(ResourceId resource) throws IOException {
    if (!"file".equals(resource.getScheme())) {
      return;
    }
    Path path = Path.of(resource.toString());
    try (FileChannel channel =
        FileChannel.open(path, resource.isDirectory() ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }
}
