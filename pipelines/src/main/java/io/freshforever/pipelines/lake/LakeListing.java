package io.freshforever.pipelines.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The event files a run of {@link ReadLakeEvents} will read, listed before it starts, so that a
 * long run can say how much lies ahead. {@link FileSystems} must know the lake's scheme (set its
 * options first).
 */
public record LakeListing(int days, int daysWithFiles, long files, long bytes) {
  public static LakeListing of(String lakeRoot, List<LocalDate> days) {
    long files = 0;
    long bytes = 0;
    int daysWithFiles = 0;
    try {
      for (String pattern : ReadLakeEvents.patterns(lakeRoot, days)) {
        List<MatchResult.Metadata> matched =
            FileSystems.match(pattern, EmptyMatchTreatment.ALLOW).metadata();
        daysWithFiles += matched.isEmpty() ? 0 : 1;
        files += matched.size();
        bytes += matched.stream().mapToLong(MatchResult.Metadata::sizeBytes).sum();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the lake " + lakeRoot, e);
    }
    return new LakeListing(days.size(), daysWithFiles, files, bytes);
  }

  @Override
  public String toString() {
    return String.format(
        "%d day%s (%d with events), %,d lake files, %,.1f MB",
        days, days == 1 ? "" : "s", daysWithFiles, files, bytes / 1e6);
  }
}
