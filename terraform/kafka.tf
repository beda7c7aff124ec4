# The ingest log: Google Cloud Managed Service for Apache Kafka.
resource "google_managed_kafka_cluster" "ingest" {
  cluster_id = "${var.name_prefix}-ingest"
  location   = var.region

  capacity_config {
    vcpu_count   = var.kafka_vcpus
    memory_bytes = var.kafka_memory_gib * 1024 * 1024 * 1024
  }

  gcp_config {
    access_config {
      network_configs {
        subnet = var.subnetwork
      }
    }
  }

  rebalance_config {
    mode = "AUTO_REBALANCE_ON_SCALE_UP"
  }
}

resource "google_managed_kafka_topic" "events" {
  topic_id           = local.topic
  cluster            = google_managed_kafka_cluster.ingest.cluster_id
  location           = var.region
  partition_count    = local.kafka_partitions
  replication_factor = 3

  configs = {
    "retention.ms"      = tostring(var.kafka_retention_hours * 3600 * 1000)
    "max.message.bytes" = "4194304" # larger than the contract's 1 MiB, so oversized values reach the dead-letter path
    "cleanup.policy"    = "delete"
    "min.insync.replicas" = "2"
    # The log's clock is the broker's: a producer's own record time (which it may forge) is replaced
    # by the time the broker accepted the record, by which every time rule is judged.
    "message.timestamp.type" = "LogAppendTime"
  }
}
