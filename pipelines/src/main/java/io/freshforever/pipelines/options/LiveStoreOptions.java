package io.freshforever.pipelines.options;

import io.freshforever.contract.BigtableLayout;
import io.freshforever.contract.EventContract;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the live view is served from: a Bigtable table (the local emulator by default). */
public interface LiveStoreOptions extends PipelineOptions {
  @Description("Bigtable project.")
  @Default.String(EventContract.LOCAL_BIGTABLE_PROJECT)
  String getBigtableProject();

  void setBigtableProject(String value);

  @Description("Bigtable instance.")
  @Default.String(EventContract.LOCAL_BIGTABLE_INSTANCE)
  String getBigtableInstance();

  void setBigtableInstance(String value);

  @Description("Bigtable table of live counts.")
  @Default.String(BigtableLayout.TABLE)
  String getBigtableTable();

  void setBigtableTable(String value);

  @Description("host:port of a Bigtable emulator; empty for the real Bigtable service.")
  @Default.String(EventContract.LOCAL_BIGTABLE_EMULATOR)
  String getBigtableEmulatorHost();

  void setBigtableEmulatorHost(String value);
}
