package io.freshforever.pipelines.lake;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The rows of one lake file, in order, through any Beam filesystem. */
final class LakeFileRows {
  private LakeFileRows() {}

  /**
   * Hands every row to {@code action}; with a {@code projection} only its columns are read (the
   * others' pages are skipped, not decoded). Throws if the file cannot be read to its end.
   */
  static void forEach(FileIO.ReadableFile file, @Nullable Schema projection, Consumer<GenericRecord> action)
      throws IOException {
    Configuration conf = new Configuration(false);
    if (projection != null) {
      AvroReadSupport.setRequestedProjection(conf, projection);
    }
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new ChannelInputFile(file.openSeekable()))
            .withDataModel(GenericData.get())
            .withConf(conf)
            .build()) {
      for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
        action.accept(row);
      }
    }
  }
}
