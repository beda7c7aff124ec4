package io.freshforever.pipelines.options;

import io.freshforever.contract.EventContract;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The live view as its writers and readers must agree on it: where it is served from, the window
 * size and the grace period. The streaming pipeline, replay, the dashboard and reconcile share
 * these, so that each is declared once.
 */
public interface LiveViewOptions extends LiveStoreOptions {
  @Description("Live-view window size in seconds; a whole number of minutes keeps row keys per minute."
      + " Replay must use the streaming pipeline's.")
  @Default.Long(EventContract.DEFAULT_WINDOW_SECONDS)
  long getWindowSeconds();

  void setWindowSeconds(long value);

  @Description("Allowed lateness in seconds: late events within it update the live view; windows"
      + " younger than window plus this may still change.")
  @Default.Long(EventContract.DEFAULT_ALLOWED_LATENESS_SECONDS)
  long getAllowedLatenessSeconds();

  void setAllowedLatenessSeconds(long value);
}
