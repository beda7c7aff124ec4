package io.freshforever.runners.stack;

import com.google.cloud.bigtable.admin.v2.BigtableTableAdminClient;
import com.google.cloud.bigtable.admin.v2.BigtableTableAdminSettings;
import com.google.cloud.bigtable.admin.v2.models.CreateTableRequest;
import com.google.cloud.bigtable.admin.v2.models.GCRules;
import com.google.cloud.bigtable.emulator.core.EmulatorController;
import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.live.LiveRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The real Bigtable emulator ({@code cbtemulator}, bundled in {@code
 * google-cloud-bigtable-emulator}) on a fixed port, with the live-view table created. The emulator
 * keeps data in memory only: started again after it died, it has the live-view table, empty.
 */
public final class LocalBigtable implements Supervised {
  private EmulatorController emulator;
  private final int port;
  private volatile boolean closed;
  private volatile ProcessHandle process;

  private LocalBigtable(EmulatorController emulator, int port) {
    this.emulator = emulator;
    this.port = port;
  }

  public static LocalBigtable start(int port) throws Exception {
    EmulatorController emulator = inOwnSession();
    emulator.start(port);
    LocalBigtable bigtable = new LocalBigtable(emulator, port);
    Runtime.getRuntime().addShutdownHook(new Thread(bigtable::close));
    bigtable.process = bigtable.emulatorProcess();
    bigtable.createTable(LiveRow.TABLE);
    return bigtable;
  }

  @Override
  public String name() {
    return "bigtable";
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public boolean needsRestart() {
    return !closed && !process.isAlive();
  }

  /** A new emulator on the same port, with the live-view table: the old one's data died with it. */
  @Override
  public synchronized void recover() throws Exception {
    if (closed || process.isAlive()) {
      return;
    }
    emulator.stop();
    emulator = inOwnSession();
    emulator.start(port);
    process = emulatorProcess();
    createTable(LiveRow.TABLE);
  }

  /**
   * The bundled binary, started through a launcher that puts it in a session of its own ({@link
   * OwnSession}); the library's own launch would leave it in the terminal's process group. The
   * binary keeps the {@code cbtemulator} name, which {@link #signal} looks for.
   */
  private static EmulatorController inOwnSession() throws IOException {
    String arch = System.getProperty("os.arch");
    String platform = arch.equals("aarch64") ? "linux-arm" : arch.equals("amd64") || arch.equals("x86_64") ? "linux-x86_64" : null;
    if (!OwnSession.available() || platform == null || !System.getProperty("os.name").toLowerCase().contains("linux")) {
      return EmulatorController.createBundled();
    }
    Path binary = Files.createTempFile("cbtemulator", "");
    try (InputStream bundled =
        EmulatorController.class.getResourceAsStream("/gcloud/bigtable-" + platform + "/platform/bigtable-emulator/cbtemulator")) {
      if (bundled == null) {
        throw new IOException("no bundled Bigtable emulator for " + platform);
      }
      Files.copy(bundled, binary, StandardCopyOption.REPLACE_EXISTING);
    }
    Path launcher = Files.createTempFile("bigtable-emulator-launcher", ".sh");
    Files.writeString(launcher, "#!/bin/sh\n" + OwnSession.execLine(binary) + "\n");
    for (Path file : List.of(binary, launcher)) {
      file.toFile().setExecutable(true);
      file.toFile().deleteOnExit();
    }
    return EmulatorController.createFromPath(launcher);
  }

  /** On a free port: for tests that must not collide with a running stack. */
  public static LocalBigtable startOnFreePort() throws Exception {
    return start(FreePorts.next());
  }

  public String host() {
    return "localhost:" + port;
  }

  public int port() {
    return port;
  }

  /** Creates a table with the live view's column family, unless it exists. */
  public void createTable(String table) throws Exception {
    try (BigtableTableAdminClient admin = adminClient()) {
      if (!admin.exists(table)) {
        admin.createTable(
            CreateTableRequest.of(table)
                .addFamily(
                    LiveRow.FAMILY,
                    GCRules.GCRULES
                        .union()
                        .rule(GCRules.GCRULES.maxAge(EventContract.LIVE_RETENTION_HOURS, java.util.concurrent.TimeUnit.HOURS))
                        .rule(GCRules.GCRULES.maxVersions(1))));
      }
    }
  }

  private BigtableTableAdminClient adminClient() throws Exception {
    return BigtableTableAdminClient.create(
        BigtableTableAdminSettings.newBuilderForEmulator(port)
            .setProjectId(EventContract.LOCAL_BIGTABLE_PROJECT)
            .setInstanceId(EventContract.LOCAL_BIGTABLE_INSTANCE)
            .build());
  }

  /**
   * Freezes the emulator process ({@code SIGSTOP}): connections stay open and nothing answers, as
   * when the store is unreachable; {@link #resume} lets it go on with its data intact.
   */
  public void pause() throws IOException, InterruptedException {
    signal("-STOP");
  }

  public void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
    }
  }

  private ProcessHandle emulatorProcess() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("cbtemulator")).orElse(false))
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(String.valueOf(port))).orElse(false))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no cbtemulator process on port " + port));
  }

  /** Idempotent: also runs from a shutdown hook. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      emulator.stop();
    }
  }
}
