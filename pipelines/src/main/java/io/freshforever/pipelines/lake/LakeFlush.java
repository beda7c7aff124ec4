package io.freshforever.pipelines.lake;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The lake files of one flush: the rows read from each Kafka partition since the last flush, one
 * Parquet file per (Kafka partition, lake folder), written to a temporary folder as rows arrive and
 * moved into their partition folders by {@link #publish()}.
 *
 * <p>Final names carry the Kafka partition and the first and last offset of the flush, e.g. {@code
 * events/dt=2026-12-01/hr=10/part-p003-00000000000000120000-00000000000000124999.parquet}: every lake
 * file says which slice of the log it holds. A file is complete before it gets its final name, so a
 * reader never sees half a file.
 */
final class LakeFlush {
  /** Where files are written before they are complete; readers never look there. */
  static final String TEMP_FOLDER = ".lake-writer-tmp";

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
  private final Map<String, OpenFile> files = new HashMap<>();
  private final Map<Integer, long[]> offsetRanges = new TreeMap<>();
  private long rows;

  private static final class OpenFile {
    final String folder;
    final int partition;
    final ResourceId temp;
    final WritableByteChannel channel;
    final ParquetWriter<GenericRecord> writer;

    OpenFile(String folder, int partition, ResourceId temp, Schema schema) throws IOException {
      this.folder = folder;
      this.partition = partition;
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

  LakeFlush(ResourceId root) {
    this.root = root;
  }

  boolean isEmpty() {
    return rows == 0;
  }

  long rows() {
    return rows;
  }

  /** The next offset to read of each Kafka partition this flush holds rows of. */
  Map<Integer, Long> nextOffsets() {
    Map<Integer, Long> next = new TreeMap<>();
    offsetRanges.forEach((partition, range) -> next.put(partition, range[1] + 1));
    return next;
  }

  /** Adds one row to the file of its Kafka partition and lake folder. */
  void add(int partition, long offset, String folder, Schema schema, GenericRecord row)
      throws IOException {
    String key = partition + "|" + folder;
    OpenFile file = files.get(key);
    if (file == null) {
      ResourceId temp =
          root.resolve(TEMP_FOLDER, StandardResolveOptions.RESOLVE_DIRECTORY)
              .resolve(tempPrefix(partition) + UUID.randomUUID() + ".parquet", StandardResolveOptions.RESOLVE_FILE);
      file = new OpenFile(folder, partition, temp, schema);
      files.put(key, file);
    }
    file.writer.write(row);
    long[] range = offsetRanges.computeIfAbsent(partition, p -> new long[] {offset, offset});
    range[0] = Math.min(range[0], offset);
    range[1] = Math.max(range[1], offset);
    rows++;
  }

  /**
   * Completes every file and moves it to its final name. Only after this returns may the offsets
   * of {@link #nextOffsets()} be committed: a crash before leaves the log position where it was,
   * so the rows are read again (copies at worst, which the batch path dedups), never lost.
   */
  List<String> publish() throws IOException {
    List<ResourceId> temps = new ArrayList<>();
    List<ResourceId> finals = new ArrayList<>();
    for (OpenFile file : files.values()) {
      file.writer.close();
      file.channel.close();
      syncIfLocal(file.temp);
      long[] range = offsetRanges.get(file.partition);
      temps.add(file.temp);
      finals.add(
          root.resolve(file.folder, StandardResolveOptions.RESOLVE_DIRECTORY)
              .resolve(finalName(file.partition, range[0], range[1]), StandardResolveOptions.RESOLVE_FILE));
    }
    FileSystems.rename(temps, finals);
    List<String> names = new ArrayList<>();
    for (ResourceId file : finals) {
      syncIfLocal(file.getCurrentDirectory());
      names.add(file.toString());
    }
    files.clear();
    return names;
  }

  /** Drops the flush: its temporary files are deleted, its rows will be read again. */
  void abandon() {
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
      // Left-over temporary files are invisible to readers and removed at the next start.
    }
  }

  static String tempPrefix(int partition) {
    return String.format("p%03d-", partition);
  }

  static String finalName(int partition, long firstOffset, long lastOffset) {
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
