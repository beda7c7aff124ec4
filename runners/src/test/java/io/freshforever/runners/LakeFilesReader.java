package io.freshforever.runners;

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

/** Reads every finished Parquet file under a lake folder, as the batch path will. */
final class LakeFilesReader {
  private LakeFilesReader() {}

  static List<GenericRecord> readAll(Path folder) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    if (!Files.exists(folder)) {
      return rows;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      // Beam writes to a temp folder first and renames: only final names count.
      files = walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.toString().contains(".temp-beam"))
          .toList();
    }
    for (Path file : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
              .build()) {
        for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
          rows.add(row);
        }
      }
    }
    return rows;
  }
}
