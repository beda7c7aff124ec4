package io.freshforever.runners;

import java.util.ArrayList;
import java.util.List;

/** Beam options as the {@code fresh} commands pass them to a pipeline. */
final class BeamArgs {
  private BeamArgs() {}

  /**
   * The DirectRunner's immutability and encodability checks cost about 8x in throughput; they
   * catch bugs that the unit tests (where they stay on) already catch, so the `fresh` commands turn
   * them off unless asked.
   */
  static List<String> withLocalDefaults(List<String> options) {
    List<String> all = new ArrayList<>(options);
    boolean flink = options.stream().anyMatch(o -> o.startsWith("--runner=Flink"));
    if (!flink) {
      addUnlessGiven(all, "--runner", "DirectRunner");
      addUnlessGiven(all, "--enforceImmutability", "false");
      addUnlessGiven(all, "--enforceEncodability", "false");
    }
    return all;
  }

  private static void addUnlessGiven(List<String> options, String name, String value) {
    if (options.stream().noneMatch(o -> o.equals(name) || o.startsWith(name + "="))) {
      options.add(name + "=" + value);
    }
  }
}
