package io.freshforever.runners;

import io.freshforever.pipelines.live.LiveStore;
import io.freshforever.pipelines.options.IngestLogOptions;
import io.freshforever.pipelines.options.LakeOptions;
import io.freshforever.pipelines.options.LiveStoreOptions;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.Reachability;
import io.freshforever.runners.stack.Unreachable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What a command checks before it runs a job in this process: that Kafka and Bigtable answer and
 * have the topic and table, and that a lake it reads exists. Beam would otherwise retry against a
 * silent store for as long as the job runs, and read a mistyped lake as an empty one (a batch load
 * would then replace days with nothing). A job sent to a cluster is not checked from here: the
 * cluster, not this machine, must reach its services.
 */
final class Preflight {
  private Preflight() {}

  /** @throws Unreachable naming the service or the folder */
  static void check(PipelineOptions options, boolean readsLake) {
    if (options instanceof IngestLogOptions log) {
      Reachability.kafka(log.getKafkaBootstrapServers(), log.getKafkaTopic(), log.getKafkaConsumerPropertiesFile());
    }
    if (options instanceof LiveStoreOptions store) {
      try (LiveCounts reachable = LiveCounts.connect(LiveStore.from(store))) {
        // it answered
      } catch (IOException e) {
        throw new Unreachable("cannot open a Bigtable client: " + e.getMessage(), e);
      }
    }
    if (readsLake && options instanceof LakeOptions lake && !lake.getLake().contains("://")) {
      Path root = lake.getLake().startsWith("file:") ? Path.of(URI.create(lake.getLake())) : Path.of(lake.getLake());
      if (!Files.isDirectory(root)) {
        throw new Unreachable("no lake at " + root.toAbsolutePath() + " (--lake)", null);
      }
    }
  }
}
