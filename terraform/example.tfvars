# terraform apply -var-file=example.tfvars  (copy and edit; no secrets belong here)
project              = "my-analytics-project"
region               = "europe-west1"
name_prefix          = "fresh"
subnetwork           = "projects/my-analytics-project/regions/europe-west1/subnetworks/default"
analysts_group       = "group:analysts@example.com"
flex_template_bucket = "gs://my-analytics-project-fresh-staging/templates"

peak_events_per_second          = 175000
events_per_second_per_partition = 5000
partition_headroom              = 2
bigtable_min_nodes              = 1
bigtable_max_nodes              = 3
live_retention_hours            = 48
