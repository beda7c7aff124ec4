variable "project" {
  description = "GCP project that holds everything."
  type        = string
}

variable "region" {
  description = "Region of every regional resource (Kafka, Dataflow, the lake bucket, BigQuery)."
  type        = string
  default     = "europe-west1"
}

variable "name_prefix" {
  description = "Prefix of every resource name, so two environments can share a project."
  type        = string
  default     = "fresh"
}

variable "subnetwork" {
  description = "Subnetwork (projects/P/regions/R/subnetworks/S) where the Kafka cluster and the Dataflow workers live."
  type        = string
}

# --- sizing (docs/CAPACITY.md explains every figure) ---

variable "peak_events_per_second" {
  description = "Peak ingest rate the system must absorb (5B events/day with 3x evening peaks: 175,000)."
  type        = number
  default     = 175000
}

variable "events_per_second_per_partition" {
  description = "Sustained events/s one Kafka partition and one pipeline reader are planned for."
  type        = number
  default     = 5000
}

variable "partition_headroom" {
  description = "Multiplier on the peak for bursts and rebalancing, and so partitions need not be added later (they cannot be removed)."
  type        = number
  default     = 2
}

variable "kafka_vcpus" {
  description = "vCPUs of the Managed Kafka cluster (at least 3)."
  type        = number
  default     = 24
}

variable "kafka_memory_gib" {
  description = "Memory of the Managed Kafka cluster in GiB (1 to 8 per vCPU)."
  type        = number
  default     = 96
}

variable "kafka_retention_hours" {
  description = "How long Kafka keeps records: the window for replaying into the lake after an outage."
  type        = number
  default     = 72
}

variable "bigtable_zone" {
  description = "Zone of the Bigtable cluster."
  type        = string
  default     = "europe-west1-b"
}

variable "bigtable_min_nodes" {
  description = "Bigtable autoscaling floor (the live view needs well under one node: docs/CAPACITY.md)."
  type        = number
  default     = 1
}

variable "bigtable_max_nodes" {
  description = "Bigtable autoscaling ceiling, for dashboard read bursts."
  type        = number
  default     = 3
}

variable "live_retention_hours" {
  description = "How long the serving store keeps a window (GC max age). Must equal EventContract.LIVE_RETENTION_HOURS."
  type        = number
  default     = 48
}

variable "lake_years" {
  description = "Years the lake keeps every raw event at least."
  type        = number
  default     = 3
}

variable "analysts_group" {
  description = "Google group of the analysts (BigQuery read and job user), e.g. group:analysts@example.com."
  type        = string

  validation {
    condition     = can(regex("^group:[^@\\s]+@[^@\\s]+\\.[a-z]+$", var.analysts_group))
    error_message = "analysts_group must be a Google group, group:NAME@DOMAIN (not a user or allUsers)."
  }
}

variable "streaming_workers_max" {
  description = "Dataflow autoscaling ceiling of the streaming job."
  type        = number
  default     = 40
}

variable "batch_schedule" {
  description = "Cron (UTC) of the batch that loads the lake days changed since their last load."
  type        = string
  default     = "15 * * * *"
}

# --- the lake connector on Kafka Connect (gke.tf, connect.tf; docs/CAPACITY.md sizes it) ---

variable "gke_master_cidr" {
  description = "A /28 for the GKE control plane's private endpoint, unused elsewhere in the VPC."
  type        = string
  default     = "172.16.0.32/28"
}

variable "strimzi_version" {
  description = "Strimzi operator release (0.4x: the kafka.strimzi.io/v1beta2 API)."
  type        = string
  default     = "0.49.1"
}

variable "connect_base_image" {
  description = "Strimzi's Kafka Connect image with Google's managed-kafka-auth-login-handler in /opt/kafka/libs (docs/DEPLOY.md, section 3)."
  type        = string
}

variable "connect_image" {
  description = "Where Strimzi pushes the workers' image it builds (base image + the lake connector plugin), e.g. REGION-docker.pkg.dev/PROJECT/fresh/connect:VERSION."
  type        = string
}

variable "lake_connector_plugin_url" {
  description = "HTTPS URL of lake/target/fresh-lake-connector-VERSION.zip as uploaded (docs/DEPLOY.md, section 3)."
  type        = string
}

variable "lake_connector_plugin_sha512" {
  description = "sha512sum of that zip: Strimzi refuses a plugin that does not match."
  type        = string
}

variable "connect_workers" {
  description = "Kafka Connect workers (pods of 2 vCPU)."
  type        = number
  default     = 6
}

variable "lake_connector_tasks" {
  description = "Tasks of the lake connector (at most one per Kafka partition; tasks spread over the workers)."
  type        = number
  default     = 12
}

variable "lake_flush_seconds" {
  description = "The lake connector publishes a partition's files at most this long after their first row."
  type        = number
  default     = 60
}

variable "lake_flush_max_bytes" {
  description = "The lake connector publishes a partition's files before they hold more than this many bytes of records (bounds a task's memory)."
  type        = number
  default     = 33554432
}

variable "alert_lake_lag_records" {
  description = "Alert when the lake connector's consumer group trails the topic by more than this many records for 10 minutes."
  type        = number
  default     = 5000000
}

# --- alerts (monitoring.tf) ---

variable "alert_notification_channels" {
  description = "Cloud Monitoring notification channels (IDs) the streaming job's alerts go to."
  type        = list(string)
  default     = []
}

variable "alert_stale_after_seconds" {
  description = "Alert when the streaming job's data watermark is older than this (the dashboard's /api/health goes stale at 30 s of event age)."
  type        = number
  default     = 120
}

variable "alert_dead_letter_ratio" {
  description = "Alert when more than this share of the records read in 10 minutes are dead letters."
  type        = number
  default     = 0.01
}

variable "alert_too_late_ratio" {
  description = "Alert when more than this share of the records read in 10 minutes came too late for the live view."
  type        = number
  default     = 0.02
}
