package io.freshforever.transforms;

import java.io.Serializable;
import org.joda.time.Instant;

/** Processing time, as a parameter so tests can pin "now". */
@FunctionalInterface
public interface ProcessingClock extends Serializable {
  ProcessingClock SYSTEM = Instant::now;

  Instant now();
}
