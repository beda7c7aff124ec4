package io.freshforever.pipelines.replay;

import io.freshforever.pipelines.options.LakeOptions;
import io.freshforever.pipelines.options.LiveViewOptions;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Settings of a replay: which windows to recompute from the lake into the live view. */
public interface ReplayPipelineOptions extends LakeOptions, LiveViewOptions {
  @Description("First window start to replace, inclusive: an ISO instant on a window boundary,"
      + " e.g. 2026-11-29T10:00:00Z.")
  @Validation.Required
  String getFrom();

  void setFrom(String value);

  @Description("Window start to stop before, exclusive: an ISO instant on a window boundary.")
  @Validation.Required
  String getTo();

  void setTo(String value);
}
