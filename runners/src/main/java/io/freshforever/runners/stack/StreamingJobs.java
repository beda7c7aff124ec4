package io.freshforever.runners.stack;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.Launch;
import io.freshforever.pipelines.LiveJob;
import io.freshforever.pipelines.StreamingPipelineOptions;
import java.util.ArrayList;
import java.util.List;

/** Starts the live job against a {@link LocalStack}: its addresses filled in. */
public final class StreamingJobs {
  private StreamingJobs() {}

  /**
   * @param args Beam options: the runner (non-blocking: {@code --blockOnRun=false} or {@code
   *     --attachedMode=false}), topic, table, lake...; the stack's addresses overrule any given, and
   *     the emulator's project and instance are added unless named
   */
  public static LiveJob start(LocalStack stack, List<String> args) {
    return LiveJob.start(Launch.options(StreamingPipelineOptions.class, against(stack, args)));
  }

  /** {@code args} with the stack's addresses, e.g. to find the checkpoint to resume before a start. */
  public static List<String> against(LocalStack stack, List<String> args) {
    List<String> all = new ArrayList<>(args);
    BeamFlags.replace(all, "--kafkaBootstrapServers", stack.kafka.bootstrapServers());
    BeamFlags.replace(all, "--bigtableEmulatorHost", stack.bigtable.host());
    BeamFlags.addUnlessGiven(all, "--bigtableProject", EventContract.LOCAL_BIGTABLE_PROJECT);
    BeamFlags.addUnlessGiven(all, "--bigtableInstance", EventContract.LOCAL_BIGTABLE_INSTANCE);
    return all;
  }
}
