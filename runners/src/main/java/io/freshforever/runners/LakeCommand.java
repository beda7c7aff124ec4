package io.freshforever.runners;

import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.lake.LakeWriter;
import io.freshforever.pipelines.options.LakeWriterOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(
    name = "lake",
    mixinStandardHelpOptions = true,
    modelTransformer = PipelineFlags.class,
    description = {
      "Runs only the lake writer (Kafka -> Parquet lake) until Ctrl-C: the lake as a job of its own,",
      "beside a live path started with --writeLake=false. Several may run with the same",
      "--lakeConsumerGroup: Kafka shares the partitions out. Safe to kill at any moment.",
      "--kafkaBootstrapServers and --lake are required: this is the production lake writer, it has",
      "no local default."
    })
final class LakeCommand implements Callable<Integer>, PipelineFlags.Command {
  @Spec CommandSpec spec;

  @Unmatched List<String> options = new ArrayList<>();

  @Override
  public Class<LakeWriterOptions> optionsType() {
    return LakeWriterOptions.class;
  }

  @Override
  public Integer call() throws Exception {
    LakeWriterOptions parsed;
    try {
      parsed = Launch.options(LakeWriterOptions.class, PipelineFlags.args(spec, options));
    } catch (IllegalArgumentException e) {
      System.err.println("fresh lake: " + e.getMessage());
      return 2;
    }
    Preflight.check(parsed, false);
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
