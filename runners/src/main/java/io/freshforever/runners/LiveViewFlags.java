package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.options.LiveViewOptions;
import picocli.CommandLine.Model.CommandSpec;

/** The live view a reading command is pointed at: {@link LiveViewOptions}, given as {@link PipelineFlags}. */
final class LiveViewFlags {
  private LiveViewFlags() {}

  /**
   * @throws IllegalArgumentException for a bad flag or value, with the message to print
   */
  static LiveViewOptions parse(CommandSpec spec) {
    LiveViewOptions view = BeamArgs.forReader(PipelineFlags.given(spec), LiveViewOptions.class);
    if (view.getWindowSeconds() != EventContract.DEFAULT_WINDOW_SECONDS) {
      // The readers decode one-minute rows; other window sizes are a streaming-side experiment.
      throw new IllegalArgumentException(
          "--windowSeconds: the readers of the live view read " + EventContract.DEFAULT_WINDOW_SECONDS + " s windows only");
    }
    if (view.getAllowedLatenessSeconds() < 0) {
      throw new IllegalArgumentException("--allowedLatenessSeconds must be at least 0");
    }
    return view;
  }
}
