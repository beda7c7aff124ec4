# Temporary and staging files of the jobs (BigQuery load files, Dataflow temp): not the lake.
resource "google_storage_bucket" "staging" {
  name                        = "${var.project}-${var.name_prefix}-staging"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  lifecycle_rule {
    condition {
      age = 7
    }
    action {
      type = "Delete"
    }
  }
}

# The jobs' flex-template specs, built as docs/DEPLOY.md shows: a bucket of their own, which
# nothing expires and the jobs may only read (the batch job must not be able to replace the
# streaming job's template).
resource "google_storage_bucket" "templates" {
  name                        = "${var.project}-${var.name_prefix}-templates"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }
}

# Checkpoints, savepoints and HA metadata of a live job on Flink (docs/DEPLOY.md, section 3): kept
# until a job's newer ones replace them, never expired by age.
resource "google_storage_bucket" "flink_state" {
  name                        = "${var.project}-${var.name_prefix}-flink-state"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

# Places event ids in the live dedup's state buckets, so that no producer can aim its ids at one.
# Kept in terraform's state: an updated or restarted job must run with the secret its state was
# written with, or copies on both sides are counted twice.
resource "random_id" "dedup_secret" {
  byte_length = 16
}

# The live job on Dataflow, from the flex template built as docs/DEPLOY.md shows. Each parameter is
# an option of StreamingPipelineOptions (a test checks). The lake is the lake connector's
# (connect.tf): the job writes there only its own dead letters (counts Bigtable refused).
resource "google_dataflow_flex_template_job" "streaming" {
  provider                = google-beta
  name                    = "${var.name_prefix}-streaming"
  region                  = var.region
  container_spec_gcs_path = "gs://${google_storage_bucket.templates.name}/streaming.json"
  service_account_email   = google_service_account.streaming.email
  subnetwork              = var.subnetwork
  temp_location           = "gs://${google_storage_bucket.staging.name}/tmp"
  max_workers             = var.streaming_workers_max
  enable_streaming_engine = true
  ip_configuration        = "WORKER_IP_PRIVATE"
  on_delete               = "drain"

  parameters = {
    kafkaBootstrapServers = local.kafka_bootstrap
    kafkaTopic            = google_managed_kafka_topic.events.topic_id
    bigtableProject       = var.project
    bigtableInstance      = google_bigtable_instance.live.name
    bigtableTable         = google_bigtable_table.event_counts.name
    bigtableEmulatorHost  = ""
    lake                  = "gs://${google_storage_bucket.lake.name}"
    dedupSecret           = random_id.dedup_secret.hex
  }
}

# The scheduled batch: without a range it loads exactly the lake days whose files changed since
# their last load (the warehouse's ledger), late ones however late, so it may run hourly: an
# unchanged day costs nothing. Each parameter is an option of BatchPipelineOptions (a test checks).
resource "google_cloud_scheduler_job" "batch" {
  name      = "${var.name_prefix}-batch"
  region    = var.region
  schedule  = var.batch_schedule
  time_zone = "Etc/UTC"

  http_target {
    http_method = "POST"
    uri         = "https://dataflow.googleapis.com/v1b3/projects/${var.project}/locations/${var.region}/flexTemplates:launch"
    body = base64encode(jsonencode({
      launchParameter = {
        jobName              = "${var.name_prefix}-batch"
        containerSpecGcsPath = "gs://${google_storage_bucket.templates.name}/batch.json"
        parameters = {
          lake      = "gs://${google_storage_bucket.lake.name}"
          warehouse = "bigquery:${var.project}:${google_bigquery_dataset.warehouse.dataset_id}"
        }
        environment = {
          serviceAccountEmail = google_service_account.batch.email
          tempLocation        = "gs://${google_storage_bucket.staging.name}/tmp"
          subnetwork          = var.subnetwork
          ipConfiguration     = "WORKER_IP_PRIVATE"
        }
      }
    }))

    oauth_token {
      service_account_email = google_service_account.scheduler.email
    }
  }
}
