package io.freshforever.lake.connect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** A local lake as its readers see it: published files only, never the temporary folder. */
final class LakeFolder {
  private LakeFolder() {}

  /** Relative paths of the published Parquet files under {@code folder}, sorted. */
  static List<String> files(Path lake, String folder) throws IOException {
    Path root = lake.resolve(folder);
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .map(p -> lake.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  static List<GenericRecord> rows(Path lake, String folder) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    for (String file : files(lake, folder)) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(lake.resolve(file).toUri()), new Configuration()))
              .build()) {
        for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
          rows.add(row);
        }
      }
    }
    return rows;
  }

  static List<Path> tempFiles(Path lake) throws IOException {
    Path temp = lake.resolve(io.freshforever.lake.LakeFlush.TEMP_FOLDER);
    if (!Files.exists(temp)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(temp)) {
      return list.toList();
    }
  }
}
