package io.freshforever.transforms.directrunner;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Folds a bundle's elements into one partial per key and window, and outputs each partial when the
 * bundle ends, in its window, stamped with its oldest element's timestamp: never later than an
 * element it stands for, so a partial is only as late as its elements were, never later.
 *
 * <p>Combiner lifting by hand (see package-info for why runners need it): what follows receives
 * one value per key, window and bundle instead of one per element.
 */
public abstract class PartialsPerBundle<InputT, KeyT, PartialT, OutputT> extends DoFn<InputT, OutputT> {
  private transient Map<KV<KeyT, BoundedWindow>, Slot<PartialT>> partials;

  private static final class Slot<PartialT> {
    final PartialT partial;
    Instant oldest = BoundedWindow.TIMESTAMP_MAX_VALUE;

    Slot(PartialT partial) {
      this.partial = partial;
    }
  }

  protected abstract KeyT keyOf(InputT input);

  protected abstract PartialT newPartial();

  /** Adds one element, with its timestamp, to its key's partial. */
  protected abstract void add(PartialT partial, InputT input, Instant timestamp) throws IOException;

  protected abstract OutputT outputOf(KeyT key, PartialT partial);

  @StartBundle
  public void startBundle() {
    partials = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element InputT input, @Timestamp Instant timestamp, BoundedWindow window)
      throws IOException {
    Slot<PartialT> slot =
        partials.computeIfAbsent(KV.of(keyOf(input), window), k -> new Slot<>(newPartial()));
    add(slot.partial, input, timestamp);
    if (timestamp.isBefore(slot.oldest)) {
      slot.oldest = timestamp;
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    partials.forEach(
        (key, slot) ->
            context.output(outputOf(key.getKey(), slot.partial), slot.oldest, key.getValue()));
    partials = null;
  }
}
