package io.freshforever.pipelines.options;

import io.freshforever.pipelines.live.LiveRow;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Where the live view is served from: a Bigtable table. Project and instance have no default, and
 * the emulator is used only when named (by this option or, as the Google client libraries do, by
 * {@code BIGTABLE_EMULATOR_HOST}): a job that forgets a flag fails, it never writes elsewhere.
 */
public interface LiveStoreOptions extends PipelineOptions {
  /** The variable the Google Cloud client libraries and the emulator's own docs use. */
  String EMULATOR_VARIABLE = "BIGTABLE_EMULATOR_HOST";

  @Description("Bigtable project. Required.")
  @Validation.Required
  String getBigtableProject();

  void setBigtableProject(String value);

  @Description("Bigtable instance. Required.")
  @Validation.Required
  String getBigtableInstance();

  void setBigtableInstance(String value);

  @Description("Bigtable table of live counts.")
  @Default.String(LiveRow.TABLE)
  String getBigtableTable();

  void setBigtableTable(String value);

  @Description("host:port of a Bigtable emulator; empty for the real Bigtable service. Default: the"
      + " BIGTABLE_EMULATOR_HOST environment variable where the job is launched, else empty.")
  @Default.InstanceFactory(EmulatorFromEnvironment.class)
  String getBigtableEmulatorHost();

  void setBigtableEmulatorHost(String value);

  /** The launching process's {@code BIGTABLE_EMULATOR_HOST}, or empty: the real service. */
  final class EmulatorFromEnvironment implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      String host = System.getenv(EMULATOR_VARIABLE);
      return host == null ? "" : host.trim();
    }
  }
}
