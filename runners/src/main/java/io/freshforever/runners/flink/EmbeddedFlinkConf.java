package io.freshforever.runners.flink;

import io.freshforever.runners.stack.BeamFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration of the Flink cluster a {@code fresh} command embeds, or of the submitting side
 * of a job sent to a cluster (the runner reads it from {@code --flinkConfDir}): each thing the
 * command adds (loopback addresses, the metrics reporter, the checkpoint to restore, the job's
 * buffer timeout) is appended to a copy of what was there, in a folder of its own.
 */
public final class EmbeddedFlinkConf {
  /**
   * Every address of the embedded cluster on loopback: its REST API (which accepts job submission
   * and cancellation, without authentication), RPC and blob server listen on every interface
   * unless told otherwise.
   */
  public static final String LOOPBACK =
      String.join("\n",
          "rest.address: localhost",
          "rest.bind-address: localhost",
          "jobmanager.rpc.address: localhost",
          "jobmanager.bind-host: localhost",
          "taskmanager.host: localhost",
          "taskmanager.bind-host: localhost",
          "");

  private EmbeddedFlinkConf() {}

  /**
   * {@code args} whose {@code --flinkConfDir} names a copy of the configuration the runner would
   * read otherwise ({@code --flinkConfDir}, else {@code $FLINK_CONF_DIR}, else none) plus {@code
   * lines}.
   */
  public static List<String> with(List<String> args, String lines) {
    return withCopy(args, given(args) + lines);
  }

  /** As {@link #with}, adding {@code key: value} only where the configuration does not set the key. */
  public static List<String> withUnlessSet(List<String> args, String key, String value) {
    String conf = given(args);
    boolean set = conf.lines().anyMatch(line -> line.strip().startsWith(key + ":"));
    return set ? args : withCopy(args, conf + key + ": " + value + "\n");
  }

  /** {@code args} whose {@code --flinkConfDir} names a new folder holding {@code conf}. */
  private static List<String> withCopy(List<String> args, String conf) {
    List<String> all = new ArrayList<>(args);
    try {
      Path dir = Files.createTempDirectory("fresh-flink-conf");
      Path file = Files.writeString(dir.resolve(LEGACY_FILE), conf);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      BeamFlags.replace(all, "--flinkConfDir", dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded Flink cluster's configuration", e);
    }
    return all;
  }

  private static final String LEGACY_FILE = "flink-conf.yaml";

  /** The flat configuration file the runner would read, or "" where there is none. */
  private static String given(List<String> args) {
    String dir = BeamFlags.value(args, "--flinkConfDir");
    if (dir == null) {
      dir = System.getenv("FLINK_CONF_DIR");
    }
    if (dir == null) {
      return "";
    }
    Path legacy = Path.of(dir, LEGACY_FILE);
    if (Files.exists(legacy)) {
      try {
        return Files.readString(legacy);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the Flink configuration " + legacy, e);
      }
    }
    if (Files.exists(Path.of(dir, "config.yaml"))) {
      throw new IllegalArgumentException(
          "the Flink configuration in " + dir + " is a config.yaml (Flink's nested YAML); fresh adds its"
              + " settings to a flat flink-conf.yaml: give a folder with a flink-conf.yaml instead");
    }
    return "";
  }
}
