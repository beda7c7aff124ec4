package io.freshforever.pipelines.lake;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileIO;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;

/**
 * The rows of one lake file, counted by reading every page of the given columns whole: its
 * checksum verified (the lake's writer stores one per page) and its bytes decompressed, so a
 * truncated, cut or bit-flipped file throws. Values are not decoded: the warehouse that reads the
 * file next decodes them, inside a transaction that a bad value rolls back.
 */
final class CountLakeFileRows {
  /**
   * Made once per thread: making it reads Hadoop's default configuration files, a tenth of a
   * check's time; readers on two threads must not share one.
   */
  private static final ThreadLocal<ParquetReadOptions> OPTIONS =
      ThreadLocal.withInitial(() -> ParquetReadOptions.builder().usePageChecksumVerification(true).build());

  private CountLakeFileRows() {}

  static long of(FileIO.ReadableFile file, List<String> columns) throws IOException {
    try (ParquetFileReader reader = new ParquetFileReader(new ChannelInputFile(file.openSeekable()), OPTIONS.get())) {
      MessageType schema = reader.getFileMetaData().getSchema();
      MessageType requested = new MessageType(schema.getName(), columns.stream().map(schema::getType).toList());
      reader.setRequestedSchema(requested);
      long rows = 0;
      for (PageReadStore group = reader.readNextRowGroup(); group != null; group = reader.readNextRowGroup()) {
        rows += group.getRowCount();
        for (ColumnDescriptor column : requested.getColumns()) {
          readWhole(group.getPageReader(column));
        }
      }
      return rows;
    }
  }

  private static void readWhole(PageReader pages) throws IOException {
    DictionaryPage dictionary = pages.readDictionaryPage();
    if (dictionary != null) {
      dictionary.getBytes().toByteArray();
    }
    for (DataPage page = pages.readPage(); page != null; page = pages.readPage()) {
      IOException failed =
          page.accept(
              new DataPage.Visitor<IOException>() {
                @Override
                public IOException visit(DataPageV1 v1) {
                  return decompressed(() -> v1.getBytes().toByteArray());
                }

                @Override
                public IOException visit(DataPageV2 v2) {
                  return decompressed(() -> v2.getData().toByteArray());
                }
              });
      if (failed != null) {
        throw failed;
      }
    }
  }

  private interface Bytes {
    byte[] read() throws IOException;
  }

  private static IOException decompressed(Bytes bytes) {
    try {
      bytes.read();
      return null;
    } catch (IOException e) {
      return e;
    }
  }
}
