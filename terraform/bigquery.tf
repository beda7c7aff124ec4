# The warehouse (docs/CONTRACT.md, section 5). The batch job's load jobs create and fill the day
# partitions; terraform owns the tables so partitioning, clustering and the partition filter are
# fixed before the first load.
resource "google_bigquery_dataset" "warehouse" {
  dataset_id  = local.warehouse_dataset
  location    = var.region
  description = "Fresh & Forever: exact, deduplicated history (events, event_counts_minute)."
}

resource "google_bigquery_table" "warehouse" {
  for_each = local.warehouse_tables

  dataset_id               = google_bigquery_dataset.warehouse.dataset_id
  table_id                 = each.key
  schema                   = file(each.value.schema_file)
  clustering               = ["event_type"]
  require_partition_filter = true
  deletion_protection      = true

  time_partitioning {
    type  = "DAY"
    field = each.value.partition_field
  }
}
