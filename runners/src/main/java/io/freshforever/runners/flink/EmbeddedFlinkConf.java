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

  /** {@code args} whose {@code --flinkConfDir} names a copy of the one given plus {@code lines}. */
  public static List<String> with(List<String> args, String lines) {
    List<String> all = new ArrayList<>(args);
    try {
      String given = BeamFlags.value(all, "--flinkConfDir");
      String conf = given == null ? "" : Files.readString(Path.of(given, "flink-conf.yaml"));
      Path dir = Files.createTempDirectory("fresh-flink-conf");
      Path file = Files.writeString(dir.resolve("flink-conf.yaml"), conf + lines);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      BeamFlags.replace(all, "--flinkConfDir", dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded Flink cluster's configuration", e);
    }
    return all;
  }
}
