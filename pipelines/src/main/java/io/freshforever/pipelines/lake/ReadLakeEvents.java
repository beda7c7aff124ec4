package io.freshforever.pipelines.lake;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventCoder;
import io.freshforever.lake.LakeLayout;
import io.freshforever.lake.LakeSchemas;
import io.freshforever.transforms.FreshMetrics;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Every event row of the lake's partitions for a range of UTC days (duplicates included), read
 * file by file with the lake's schema. A file that cannot be read to its end fails the job with a
 * {@link CorruptLakeFileException} naming it. The counters and the corrupt-file tag are shared with
 * {@link VerifyLakeFiles}, which skips such files when asked.
 */
public final class ReadLakeEvents extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Event> EVENTS = new TupleTag<>() {};
  /** One line per skipped file: {@code path<TAB>error}. */
  public static final TupleTag<String> CORRUPT_FILES = new TupleTag<>() {};

  public static final String FILES_READ = "lake_files_read";
  public static final String FILES_SKIPPED = "lake_files_skipped";
  public static final String ROWS_READ = "lake_rows_read";

  /** File patterns. */
  private final List<String> files;

  private ReadLakeEvents(List<String> files) {
    this.files = List.copyOf(files);
  }

  /** Every event file of the days, as the lake holds them when the run reads it. */
  public static ReadLakeEvents forDays(String lakeRoot, List<LocalDate> days) {
    return new ReadLakeEvents(patterns(lakeRoot, days));
  }

  /** The file pattern of each day's event files; {@link LakeListing} lists the same files. */
  static List<String> patterns(String lakeRoot, List<LocalDate> days) {
    List<String> patterns = new ArrayList<>();
    for (LocalDate day : days) {
      patterns.add(
          lakeRoot.replaceAll("/+$", "") + "/" + LakeLayout.EVENTS + "/dt=" + day + "/hr=*/*.parquet");
    }
    return patterns;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple read =
        begin
            .apply("LakeFiles", Create.of(files).withCoder(StringUtf8Coder.of()))
            .apply("MatchFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply("OpenFiles", FileIO.readMatches())
            .apply(
                "ReadRows",
                ParDo.of(new ReadFileFn())
                    .withOutputTags(EVENTS, TupleTagList.of(CORRUPT_FILES)));
    read.get(EVENTS).setCoder(EventCoder.of());
    read.get(CORRUPT_FILES).setCoder(StringUtf8Coder.of());
    return read;
  }

  private static final class ReadFileFn extends DoFn<FileIO.ReadableFile, Event> {
    private final Counter filesRead = Metrics.counter(FreshMetrics.NAMESPACE, FILES_READ);
    private final Counter rowsRead = Metrics.counter(FreshMetrics.NAMESPACE, ROWS_READ);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      String name = file.getMetadata().resourceId().toString();
      try {
        LakeFileRows.forEach(
            file,
            row -> {
              out.get(EVENTS).output(LakeSchemas.toEvent(row));
              rowsRead.inc();
            });
        filesRead.inc();
      } catch (IOException | RuntimeException e) {
        throw new CorruptLakeFileException(name, e);
      }
    }
  }
}
