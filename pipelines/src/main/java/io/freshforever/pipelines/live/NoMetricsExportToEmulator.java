package io.freshforever.pipelines.live;

import com.google.cloud.bigtable.data.v2.BigtableDataSettings;
import com.google.cloud.bigtable.data.v2.stub.metrics.NoopMetricsProvider;
import java.util.function.BiFunction;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Turns off the Bigtable client's export of its built-in metrics for a job against the emulator.
 * Beam builds its writer's emulator settings without doing so, and the client then tries Cloud
 * Monitoring every minute, where offline there is none: a gRPC stack trace each time in the logs.
 * Against real Bigtable the export stays on (those metrics show in Cloud Monitoring).
 *
 * <p>Beam applies it through its {@value #EXPERIMENT} experiment, on every worker that opens a
 * Bigtable client, so it needs a public no-argument constructor.
 */
public final class NoMetricsExportToEmulator
    implements BiFunction<BigtableDataSettings.Builder, PipelineOptions, BigtableDataSettings.Builder> {
  /** Beam's name for it (BigtableConfigTranslator); it takes the class name as its value. */
  static final String EXPERIMENT = "bigtable_settings_override";

  @Override
  public BigtableDataSettings.Builder apply(BigtableDataSettings.Builder settings, PipelineOptions options) {
    return settings.setMetricsProvider(NoopMetricsProvider.INSTANCE);
  }

  static void addTo(PipelineOptions options) {
    ExperimentalOptions.addExperiment(
        options.as(ExperimentalOptions.class), EXPERIMENT + "=" + NoMetricsExportToEmulator.class.getName());
  }
}
