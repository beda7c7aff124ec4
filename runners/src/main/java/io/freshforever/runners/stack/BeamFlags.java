package io.freshforever.runners.stack;

import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Beam options as a list of {@code --name=value} flags. Beam rejects a non-list option given twice,
 * so whoever adds one to another's list either defers ({@link #addUnlessGiven}) or overrules
 * ({@link #replace}).
 */
public final class BeamFlags {
  private BeamFlags() {}

  public static boolean given(List<String> flags, String name) {
    return flags.stream().anyMatch(f -> f.equals(name) || f.startsWith(name + "="));
  }

  public static void addUnlessGiven(List<String> flags, String name, String value) {
    if (!given(flags, name)) {
      flags.add(name + "=" + value);
    }
  }

  public static void replace(List<String> flags, String name, String value) {
    flags.removeIf(f -> f.equals(name) || f.startsWith(name + "="));
    flags.add(name + "=" + value);
  }

  /** The {@code --runner}'s simple name (given as one or as a class name); null if not given. */
  public static @Nullable String runner(List<String> flags) {
    String named = value(flags, "--runner");
    return named == null ? null : named.substring(named.lastIndexOf('.') + 1);
  }

  /** The value of {@code --name=value}, the last one if given twice; null if not given. */
  public static @Nullable String value(List<String> flags, String name) {
    String value = null;
    for (String f : flags) {
      if (f.startsWith(name + "=")) {
        value = f.substring(name.length() + 1);
      }
    }
    return value;
  }
}
