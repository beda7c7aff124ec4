package io.freshforever.runners;

import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.lake.LakeWriter;
import io.freshforever.pipelines.options.LakeWriterOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(
    name = "lake",
    mixinStandardHelpOptions = true,
    description = {
      "Runs only the lake writer (Kafka -> Parquet lake) until Ctrl-C: the lake as a job of its own,",
      "beside a live path started with --writeLake=false. Several may run with the same",
      "--lakeConsumerGroup: Kafka shares the partitions out. Safe to kill at any moment.",
      "Options (Beam style): --kafkaBootstrapServers and --lake (a folder or gs://...), both",
      "required: this is the production lake writer, it has no local default; --kafkaTopic,",
      "--kafkaConsumerPropertiesFile, --kafkaStartOffset, --lakeFlushSeconds, --lakeConsumerGroup,",
      "--maxFutureSkewSeconds."
    })
final class LakeCommand implements Callable<Integer> {
  @Unmatched List<String> options = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    LakeWriterOptions parsed;
    try {
      parsed = PipelineOptionsFactory.fromArgs(options.toArray(new String[0])).withValidation().as(LakeWriterOptions.class);
    } catch (IllegalArgumentException e) {
      System.err.println("fresh lake: " + e.getMessage());
      return 2;
    }
    FileSystems.setDefaultPipelineOptions(parsed);
    LakeWriter writer = LakeWriter.start(LiveJob.lakeWriterSettings(parsed));
    Runtime.getRuntime().addShutdownHook(new Thread(writer::close, "fresh-lake-stop"));
    System.out.printf("fresh lake: writing topic %s into %s (group %s); Ctrl-C stops%n",
        parsed.getKafkaTopic(), parsed.getLake(), parsed.getLakeConsumerGroup());
    while (writer.isRunning()) {
      Thread.sleep(1000);
    }
    if (writer.failure() != null) {
      System.err.println("fresh lake: the lake writer stopped: " + Failures.rootMessage(writer.failure()));
      return 1;
    }
    return 0;
  }
}
