package io.freshforever.runners.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the build made for the stack's child processes, where it made it (written into this class's
 * resources by Maven): the Connect worker's classpath (module connect-worker), the lake connector's
 * plugin folder (module lake), the runners' own classpath, from which Flink's processes take
 * Flink's jars only, and the job jar a cluster runs.
 */
public final class StackBuild {
  private StackBuild() {}

  private static final Properties PATHS = load();

  /** The folder Connect's {@code plugin.path} names: it holds the {@code fresh-lake-connector} plugin. */
  static Path lakePluginPath() {
    return existing("lake.plugin.path");
  }

  static String connectWorkerClasspath() {
    return read(existing("connect.worker.classpath"));
  }

  static String runnersClasspath() {
    return read(existing("runners.classpath"));
  }

  /** The self-contained job jar ({@code mvn package}; {@code ./fresh} builds it for {@code --cluster}). */
  public static Path jobJar() {
    return existing("job.jar");
  }

  private static Path existing(String key) {
    Path path = Path.of(PATHS.getProperty(key));
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " is missing: build the project first (mvn install -DskipTests, or ./fresh)");
    }
    return path;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Properties load() {
    Properties paths = new Properties();
    try (InputStream in = StackBuild.class.getResourceAsStream("stack-build.properties")) {
      paths.load(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("stack-build.properties is missing from the build", e);
    }
    return paths;
  }
}
