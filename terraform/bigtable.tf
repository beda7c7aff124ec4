# The serving store of the live view (docs/CONTRACT.md, section 3).
resource "google_bigtable_instance" "live" {
  name                = "${var.name_prefix}-live"
  deletion_protection = true

  cluster {
    cluster_id   = "${var.name_prefix}-live-c1"
    zone         = var.bigtable_zone
    storage_type = "SSD"

    autoscaling_config {
      min_nodes  = var.bigtable_min_nodes
      max_nodes  = var.bigtable_max_nodes
      cpu_target = 60
    }
  }
}

resource "google_bigtable_table" "event_counts" {
  name          = local.bigtable_table
  instance_name = google_bigtable_instance.live.name

  column_family {
    family = local.bigtable_family
  }
}

# Hours, not years: a cell older than the retention, or any but the newest version, is dropped.
resource "google_bigtable_gc_policy" "event_counts" {
  instance_name   = google_bigtable_instance.live.name
  table           = google_bigtable_table.event_counts.name
  column_family   = local.bigtable_family
  deletion_policy = "ABANDON"

  gc_rules = jsonencode({
    mode = "union"
    rules = [
      { max_age = "${var.live_retention_hours}h" },
      { max_version = 1 },
    ]
  })
}
