package io.freshforever.pipelines.warehouse;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/** Loads the readable files of a {@link LoadPlan} into one warehouse, both tables and the ledger together. */
public interface WarehouseLoader extends Serializable {
  /**
   * What one load changed: rows inserted, minute counts written, other days whose rows it displaced;
   * {@link #UNKNOWN} counts where the warehouse does not say (BigQuery's script reports no rows).
   */
  record Loaded(long events, long minuteCounts, List<LocalDate> displacedDays) {}

  long UNKNOWN = -1;

  /** @param options the running pipeline's, for the warehouse's credentials and temporary location */
  Loaded load(LoadPlan.Readable load, PipelineOptions options) throws Exception;
}
