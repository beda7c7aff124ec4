package io.freshforever.pipelines.lake;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/** The rows of one lake file, in order, through any Beam filesystem. */
final class LakeFileRows {
  private LakeFileRows() {}

  /** Hands every row to {@code action}; throws if the file cannot be read to its end. */
  static void forEach(FileIO.ReadableFile file, Consumer<GenericRecord> action) throws IOException {
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new ChannelInputFile(file.openSeekable()))
            .withDataModel(GenericData.get())
            .build()) {
      for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
        action.accept(row);
      }
    }
  }
}
