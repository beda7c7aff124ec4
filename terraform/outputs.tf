output "kafka_partitions" {
  description = "Partitions of the events topic, derived from the peak rate."
  value       = local.kafka_partitions
}

output "lake_bucket" {
  value = google_storage_bucket.lake.name
}

output "warehouse_dataset" {
  value = google_bigquery_dataset.warehouse.dataset_id
}

output "bigtable_instance" {
  value = google_bigtable_instance.live.name
}

output "service_accounts" {
  value = {
    streaming = google_service_account.streaming.email
    batch     = google_service_account.batch.email
    dashboard = google_service_account.dashboard.email
  }
}
