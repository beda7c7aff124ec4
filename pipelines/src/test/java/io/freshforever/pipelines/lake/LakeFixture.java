package io.freshforever.pipelines.lake;

import io.freshforever.contract.Event;
import io.freshforever.contract.EventCoder;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;

/** Writes lake files with the streaming path's own lake writer, so tests read what it writes. */
public final class LakeFixture {
  private LakeFixture() {}

  /** One run of the lake writer: its files carry {@code runId} in their names. */
  public static void write(String lakeRoot, String runId, List<Event> events) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    pipeline
        .apply(Create.of(events).withCoder(EventCoder.of()))
        .apply(WriteToLake.events(LakeFiles.of(lakeRoot, Duration.standardSeconds(1), 1, runId)));
    pipeline.run().waitUntilFinish();
  }
}
