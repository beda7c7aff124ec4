locals {
  # One partition per events_per_second_per_partition of the peak, times the headroom; never
  # fewer than the pipeline's reader parallelism needs (docs/CAPACITY.md).
  kafka_partitions = max(12, ceil(var.peak_events_per_second * var.partition_headroom / var.events_per_second_per_partition))

  kafka_bootstrap = "bootstrap.${google_managed_kafka_cluster.ingest.cluster_id}.${var.region}.managedkafka.${var.project}.cloud.goog:9092"

  # The contract's names (docs/CONTRACT.md): a test keeps them equal to the Java constants.
  topic             = "events"
  bigtable_table    = "event_counts"
  bigtable_family   = "c"
  warehouse_dataset = replace("${var.name_prefix}_warehouse", "-", "_")

  # One source of truth: the same schema files the Java code loads.
  contract_dir = "${path.module}/../transforms/src/main/resources/io/freshforever/contract"

  warehouse_tables = {
    events = {
      schema_file     = "${local.contract_dir}/warehouse_events.json"
      partition_field = "event_time"
    }
    event_counts_minute = {
      schema_file     = "${local.contract_dir}/warehouse_event_counts_minute.json"
      partition_field = "window_start"
    }
  }
}
