# The lake: the replayable system of record (docs/CONTRACT.md, section 4).
resource "google_storage_bucket" "lake" {
  name                        = "${var.project}-${var.name_prefix}-lake"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # An overwritten or deleted object stays recoverable for a month (a corrupt file can be
  # restored), and no rule deletes a live object: the lake keeps every event (lake_years is a
  # floor, checked by the tests). Not a retention policy: Beam's FileIO writes temporary objects
  # into the bucket and deletes them after the rename, which a retention policy forbids.
  versioning {
    enabled = true
  }

  # Colder classes as data ages; live objects are never deleted by a rule.
  lifecycle_rule {
    condition {
      age                   = 30
      matches_storage_class = ["STANDARD"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  lifecycle_rule {
    condition {
      age                   = 90
      matches_storage_class = ["NEARLINE"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "COLDLINE"
    }
  }

  lifecycle_rule {
    condition {
      age                   = 365
      matches_storage_class = ["COLDLINE"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "ARCHIVE"
    }
  }

  # Only superseded versions go, and only after a month.
  lifecycle_rule {
    condition {
      with_state                 = "ARCHIVED"
      days_since_noncurrent_time = 30
    }
    action {
      type = "Delete"
    }
  }
}
