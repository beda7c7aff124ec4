# One service account per job, least privilege. No keys: Dataflow workers run as these accounts.
resource "google_service_account" "streaming" {
  account_id   = "${var.name_prefix}-streaming"
  display_name = "Fresh & Forever streaming job: Kafka -> Bigtable + lake"
}

resource "google_service_account" "batch" {
  account_id   = "${var.name_prefix}-batch"
  display_name = "Fresh & Forever batch job: lake -> BigQuery"
}

resource "google_service_account" "dashboard" {
  account_id   = "${var.name_prefix}-dashboard"
  display_name = "Fresh & Forever ops dashboard: reads Bigtable"
}

resource "google_service_account" "scheduler" {
  account_id   = "${var.name_prefix}-scheduler"
  display_name = "Fresh & Forever scheduler: launches the scheduled batch"
}

# --- streaming: reads Kafka, writes Bigtable and the lake; never BigQuery ---
# Managed Kafka's client role is granted on the project only (no cluster or topic bindings); what a
# client may do inside the cluster is for Kafka ACLs (google_managed_kafka_acl, provider 6.41+),
# which these modules do not set yet.
resource "google_project_iam_member" "streaming_kafka" {
  project = var.project
  role    = "roles/managedkafka.client"
  member  = "serviceAccount:${google_service_account.streaming.email}"
}

resource "google_bigtable_instance_iam_member" "streaming_writes_live" {
  instance = google_bigtable_instance.live.name
  role     = "roles/bigtable.user"
  member   = "serviceAccount:${google_service_account.streaming.email}"
}

# The live job writes only its own dead letters into the lake: it may create and read objects, and
# delete only the temporary files of Beam's file writer.
resource "google_storage_bucket_iam_member" "streaming_writes_lake" {
  for_each = toset(["roles/storage.objectCreator", "roles/storage.objectViewer"])
  bucket   = google_storage_bucket.lake.name
  role     = each.value
  member   = "serviceAccount:${google_service_account.streaming.email}"
}

resource "google_storage_bucket_iam_member" "streaming_temp_files" {
  bucket = google_storage_bucket.lake.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.streaming.email}"
  condition {
    title      = "beam-temp-files-only"
    expression = "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.lake.name}/objects/.temp-beam\")"
  }
}

# Each job's launch reads its template; nobody but the deployer writes one.
resource "google_storage_bucket_iam_member" "templates_read" {
  for_each = {
    streaming = google_service_account.streaming.email
    batch     = google_service_account.batch.email
    scheduler = google_service_account.scheduler.email
  }
  bucket = google_storage_bucket.templates.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${each.value}"
}

# --- batch: reads the lake, loads BigQuery; replay also rewrites Bigtable ---
resource "google_storage_bucket_iam_member" "batch_reads_lake" {
  bucket = google_storage_bucket.lake.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.batch.email}"
}

resource "google_storage_bucket_iam_member" "batch_stages_loads" {
  bucket = google_storage_bucket.staging.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.batch.email}"
}

resource "google_bigquery_dataset_iam_member" "batch_writes_warehouse" {
  dataset_id = google_bigquery_dataset.warehouse.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.batch.email}"
}

resource "google_project_iam_member" "batch_runs_load_jobs" {
  project = var.project
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.batch.email}"
}

# --- both jobs run on Dataflow workers ---
resource "google_project_iam_member" "dataflow_worker" {
  for_each = {
    streaming = google_service_account.streaming.email
    batch     = google_service_account.batch.email
  }
  project = var.project
  role    = "roles/dataflow.worker"
  member  = "serviceAccount:${each.value}"
}

# --- the dashboard only reads Bigtable ---
resource "google_bigtable_instance_iam_member" "dashboard_reads_live" {
  instance = google_bigtable_instance.live.name
  role     = "roles/bigtable.reader"
  member   = "serviceAccount:${google_service_account.dashboard.email}"
}

# --- the scheduler only launches the batch template ---
# Dataflow's roles exist on projects only; developer is the smallest predefined one that launches a
# flex template (it cannot act as a worker account without the grant below).
resource "google_project_iam_member" "scheduler_launches_dataflow" {
  project = var.project
  role    = "roles/dataflow.developer"
  member  = "serviceAccount:${google_service_account.scheduler.email}"
}

resource "google_service_account_iam_member" "scheduler_acts_as_batch" {
  service_account_id = google_service_account.batch.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.scheduler.email}"
}

# --- analysts: read the warehouse and run queries ---
resource "google_bigquery_dataset_iam_member" "analysts_read" {
  dataset_id = google_bigquery_dataset.warehouse.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = var.analysts_group
}

resource "google_project_iam_member" "analysts_query" {
  project = var.project
  role    = "roles/bigquery.jobUser"
  member  = var.analysts_group
}
