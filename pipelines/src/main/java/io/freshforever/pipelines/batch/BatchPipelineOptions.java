package io.freshforever.pipelines.batch;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.options.LakeOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Settings of the history path: which days of the lake to load into which warehouse. */
public interface BatchPipelineOptions extends LakeOptions {
  @Description("First UTC event date to load, inclusive: YYYY-MM-DD, or today-N (UTC). Without"
      + " --from and --to, a load replaces exactly the days whose lake files changed since their last"
      + " load (DuckDB only, so far).")
  @Nullable
  String getFrom();

  void setFrom(String value);

  @Description("UTC event date to stop before, exclusive: YYYY-MM-DD, or today, today-N.")
  @Nullable
  String getTo();

  void setTo(String value);

  @Description("Where to load: duckdb:PATH (embedded, local) or bigquery:PROJECT:DATASET. Required.")
  @Validation.Required
  String getWarehouse();

  void setWarehouse(String value);

  @Description("Skip lake files that cannot be read (listed in the corrupt-files report) instead of"
      + " failing the run.")
  @Default.Boolean(false)
  boolean getSkipCorruptFiles();

  void setSkipCorruptFiles(boolean value);

  @Description("Path of the corrupt-files report (one line per skipped file: path, tab, error).")
  @Default.String(EventContract.LOCAL_DIR + "/reports/corrupt-lake-files.txt")
  String getCorruptFilesReport();

  void setCorruptFilesReport(String value);
}
