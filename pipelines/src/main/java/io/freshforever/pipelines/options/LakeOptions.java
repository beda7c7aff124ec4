package io.freshforever.pipelines.options;

import io.freshforever.contract.EventContract;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the Parquet lake, the system of record, lives. */
public interface LakeOptions extends PipelineOptions {
  @Description("Root of the Parquet lake: a folder locally, gs://bucket/path in production.")
  @Default.String(EventContract.LOCAL_LAKE)
  String getLake();

  void setLake(String value);

}
