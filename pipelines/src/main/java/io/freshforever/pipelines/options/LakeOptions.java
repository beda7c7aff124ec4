package io.freshforever.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where the Parquet lake, the system of record, lives. */
public interface LakeOptions extends PipelineOptions {
  @Description("Root of the Parquet lake: a folder locally, gs://bucket/path in production. Required.")
  @Validation.Required
  String getLake();

  void setLake(String value);
}
