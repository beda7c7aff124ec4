package io.freshforever.pipelines.lake;

import io.freshforever.transforms.FreshMetrics;
import java.io.IOException;
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
 * The listed lake files that can be read to their end in the given columns, for a loader that
 * then reads them itself (a warehouse's bulk load): each file's pages of those columns are decoded
 * once, in parallel, into nothing but a row count ({@link ReadLakeEvents}'s counters).
 *
 * <p>A file that cannot be read fails the job with a {@link CorruptLakeFileException} naming it,
 * or, when skipping, is left out and its name and error go to {@link ReadLakeEvents#CORRUPT_FILES}.
 * A file listed but gone by then fails the job: the listing is what the load records as loaded.
 */
public final class VerifyLakeFiles extends PTransform<PBegin, PCollectionTuple> {
  /** The full path of each readable file. */
  public static final TupleTag<String> READABLE = new TupleTag<>() {};

  private final List<String> paths;
  private final List<String> columns;
  private final boolean skipCorruptFiles;

  private VerifyLakeFiles(List<String> paths, List<String> columns, boolean skipCorruptFiles) {
    this.paths = List.copyOf(paths);
    this.columns = List.copyOf(columns);
    this.skipCorruptFiles = skipCorruptFiles;
  }

  /** {@code paths} read in {@code columns} of the lake's event schema. */
  public static VerifyLakeFiles of(List<String> paths, List<String> columns) {
    return new VerifyLakeFiles(paths, columns, false);
  }

  public VerifyLakeFiles skippingCorruptFiles(boolean skip) {
    return new VerifyLakeFiles(paths, columns, skip);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple verified =
        begin
            .apply("LakeFiles", Create.of(paths).withCoder(StringUtf8Coder.of()))
            .apply("MatchFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("OpenFiles", FileIO.readMatches())
            .apply(
                "ReadRows",
                ParDo.of(new VerifyFileFn(columns, skipCorruptFiles))
                    .withOutputTags(READABLE, TupleTagList.of(ReadLakeEvents.CORRUPT_FILES)));
    verified.get(READABLE).setCoder(StringUtf8Coder.of());
    verified.get(ReadLakeEvents.CORRUPT_FILES).setCoder(StringUtf8Coder.of());
    return verified;
  }

  private static final class VerifyFileFn extends DoFn<FileIO.ReadableFile, String> {
    private final Counter filesRead = Metrics.counter(FreshMetrics.NAMESPACE, ReadLakeEvents.FILES_READ);
    private final Counter filesSkipped = Metrics.counter(FreshMetrics.NAMESPACE, ReadLakeEvents.FILES_SKIPPED);
    private final Counter rowsRead = Metrics.counter(FreshMetrics.NAMESPACE, ReadLakeEvents.ROWS_READ);
    private final List<String> columns;
    private final boolean skipCorruptFiles;

    VerifyFileFn(List<String> columns, boolean skipCorruptFiles) {
      this.columns = columns;
      this.skipCorruptFiles = skipCorruptFiles;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      String name = file.getMetadata().resourceId().toString();
      long rows;
      try {
        rows = CountLakeFileRows.of(file, columns);
      } catch (IOException | RuntimeException e) {
        if (!skipCorruptFiles) {
          throw new CorruptLakeFileException(name, e);
        }
        filesSkipped.inc();
        out.get(ReadLakeEvents.CORRUPT_FILES).output(name + "\t" + e);
        return;
      }
      rowsRead.inc(rows);
      filesRead.inc();
      out.get(READABLE).output(name);
    }
  }
}
