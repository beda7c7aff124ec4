package io.freshforever.runners.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where a running {@code fresh stack --cluster} listens and keeps its lake, written to {@code
 * <dir>/cluster/stack.properties} while it runs, so that {@code fresh stream --cluster} submits
 * to it whatever ports it was given.
 */
public record StackAddresses(String kafka, String bigtableEmulator, String flinkMaster, Path lake) {
  private static final String FILE = "stack.properties";

  public void write(Path folder) {
    Properties props = new Properties();
    props.setProperty("kafka", kafka);
    props.setProperty("bigtable.emulator", bigtableEmulator);
    props.setProperty("flink.master", flinkMaster);
    props.setProperty("lake", lake.toAbsolutePath().toString());
    try (Writer out = Files.newBufferedWriter(Files.createDirectories(folder).resolve(FILE))) {
      props.store(out, "fresh stack --cluster, while it runs");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void remove(Path folder) {
    try {
      Files.deleteIfExists(folder.resolve(FILE));
    } catch (IOException ignored) {
      // a stale file names ports nothing listens on: the next command says the cluster does not answer
    }
  }

  /** @throws IllegalArgumentException when no stack runs there */
  public static StackAddresses read(Path folder) {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(folder.resolve(FILE))) {
      props.load(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "no local cluster runs from " + folder.getParent() + " (no " + folder.resolve(FILE) + "): start ./fresh stack --cluster first");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new StackAddresses(
        props.getProperty("kafka"), props.getProperty("bigtable.emulator"), props.getProperty("flink.master"),
        Path.of(props.getProperty("lake")));
  }
}
