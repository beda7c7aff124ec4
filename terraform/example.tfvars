# terraform apply -var-file=example.tfvars  (copy and edit; no secrets belong here)
project              = "my-analytics-project"
region               = "europe-west1"
name_prefix          = "fresh"
subnetwork           = "projects/my-analytics-project/regions/europe-west1/subnetworks/default"
analysts_group       = "group:analysts@example.com"

connect_base_image           = "europe-west1-docker.pkg.dev/my-analytics-project/fresh/connect-base:0.49.1-kafka-4.1.1"
connect_image                = "europe-west1-docker.pkg.dev/my-analytics-project/fresh/connect:0.1.0"
lake_connector_plugin_url    = "https://storage.googleapis.com/my-analytics-project-fresh-artifacts/fresh-lake-connector-0.1.0.zip"
lake_connector_plugin_sha512 = "replace-with-the-zip's-sha512sum"

peak_events_per_second          = 175000
events_per_second_per_partition = 5000
partition_headroom              = 2
bigtable_min_nodes              = 1
bigtable_max_nodes              = 3
live_retention_hours            = 48
