# The lake's writer: the lake connector (lake/, a Kafka Connect sink) on Kafka Connect, run by the
# Strimzi operator on GKE. Connect spreads the topic's partitions over the tasks of its workers,
# moves them when a worker dies, and commits for each partition only what the connector has
# published to the lake (docs/CONTRACT.md, section 4; docs/DEPLOY.md, section 3).

locals {
  connect_namespace = "fresh-connect"
  connect_cluster   = "${var.name_prefix}-connect"
  # Strimzi names the workers' Kubernetes service account <cluster>-connect.
  connect_ksa    = "${local.connect_cluster}-connect"
  lake_connector = "${var.name_prefix}-lake"
  # The connector's consumer group, as Connect names it: its lag is the lake's (monitoring.tf).
  lake_consumer_group = "connect-${local.lake_connector}"
  lake_temp_prefix    = ".lake-writer-tmp/"

  # The lake connector's settings (LakeSinkConfig, and the local stack's LocalStack.lakeConnectorSettings).
  lake_connector_config = {
    "topics"                                          = local.topic
    "key.converter"                                   = "org.apache.kafka.connect.converters.ByteArrayConverter"
    "value.converter"                                 = "org.apache.kafka.connect.converters.ByteArrayConverter"
    "lake.root"                                       = "gs://${google_storage_bucket.lake.name}"
    "flush.seconds"                                   = tostring(var.lake_flush_seconds)
    "flush.max.bytes"                                 = tostring(var.lake_flush_max_bytes)
    "flush.max.folders"                               = "32"
    "consumer.override.auto.offset.reset"             = "earliest"
    "consumer.override.partition.assignment.strategy" = "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"
  }
}

resource "google_service_account" "lake_connector" {
  account_id   = "${var.name_prefix}-lake-connector"
  display_name = "Fresh & Forever lake connector: Kafka -> the lake"
}

# The workers' Kubernetes service account acts as the connector's GCP account (no keys).
resource "google_service_account_iam_member" "lake_connector_workload_identity" {
  service_account_id = google_service_account.lake_connector.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project}.svc.id.goog[${local.connect_namespace}/${local.connect_ksa}]"
}

resource "google_project_iam_member" "lake_connector_kafka" {
  project = var.project
  role    = "roles/managedkafka.client"
  member  = "serviceAccount:${google_service_account.lake_connector.email}"
}

# Creates lake files and reads the lake (a published name is kept, never replaced: objectCreator
# cannot overwrite or delete)...
resource "google_storage_bucket_iam_member" "lake_connector_creates" {
  for_each = toset(["roles/storage.objectCreator", "roles/storage.objectViewer"])
  bucket   = google_storage_bucket.lake.name
  role     = each.value
  member   = "serviceAccount:${google_service_account.lake_connector.email}"
}

# ...and deletes only its own temporary files.
resource "google_storage_bucket_iam_member" "lake_connector_temp_files" {
  bucket = google_storage_bucket.lake.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.lake_connector.email}"
  condition {
    title      = "lake-writer-temp-files-only"
    expression = "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.lake.name}/objects/${local.lake_temp_prefix}\")"
  }
}

resource "helm_release" "strimzi" {
  name             = "strimzi"
  namespace        = "strimzi"
  create_namespace = true
  repository       = "oci://quay.io/strimzi-helm"
  chart            = "strimzi-kafka-operator"
  version          = var.strimzi_version
  values = [yamlencode({
    watchNamespaces = [local.connect_namespace]
  })]
}

resource "kubernetes_namespace_v1" "connect" {
  metadata {
    name = local.connect_namespace
  }
}

# The Connect cluster: workers built from the Strimzi image plus the lake connector's plugin zip
# (lake/target/fresh-lake-connector-*.zip, uploaded as docs/DEPLOY.md shows), talking SASL_SSL to
# Managed Kafka as the connector's service account.
resource "kubernetes_manifest" "connect_cluster" {
  manifest = {
    apiVersion = "kafka.strimzi.io/v1beta2"
    kind       = "KafkaConnect"
    metadata = {
      name        = local.connect_cluster
      namespace   = local.connect_namespace
      annotations = { "strimzi.io/use-connector-resources" = "true" }
    }
    spec = {
      replicas         = var.connect_workers
      bootstrapServers = local.kafka_bootstrap
      image            = var.connect_base_image
      tls              = { trustedCertificates = [] }
      authentication = {
        type = "custom"
        sasl = true
        config = {
          "sasl.mechanism"                    = "OAUTHBEARER"
          "sasl.login.callback.handler.class" = "com.google.cloud.hosted.kafka.auth.GcpLoginCallbackHandler"
          "sasl.jaas.config"                  = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;"
        }
      }
      config = {
        "group.id"                                = local.connect_cluster
        "config.storage.topic"                    = "${local.connect_cluster}-configs"
        "offset.storage.topic"                    = "${local.connect_cluster}-offsets"
        "status.storage.topic"                    = "${local.connect_cluster}-status"
        "config.storage.replication.factor"       = "3"
        "offset.storage.replication.factor"       = "3"
        "status.storage.replication.factor"       = "3"
        "offset.flush.interval.ms"                = "10000"
        "scheduled.rebalance.max.delay.ms"        = "60000"
        "connector.client.config.override.policy" = "All"
      }
      resources  = { requests = { cpu = "2", memory = "4Gi" }, limits = { cpu = "2", memory = "4Gi" } }
      jvmOptions = { "-Xms" = "3g", "-Xmx" = "3g" }
      template = {
        serviceAccount = {
          metadata = { annotations = { "iam.gke.io/gcp-service-account" = google_service_account.lake_connector.email } }
        }
      }
      build = {
        output = { type = "docker", image = var.connect_image }
        plugins = [{
          name      = "fresh-lake-connector"
          artifacts = [{ type = "zip", url = var.lake_connector_plugin_url, sha512sum = var.lake_connector_plugin_sha512 }]
        }]
      }
    }
  }
  depends_on = [helm_release.strimzi, kubernetes_namespace_v1.connect]
}

resource "kubernetes_manifest" "lake_connector" {
  manifest = {
    apiVersion = "kafka.strimzi.io/v1beta2"
    kind       = "KafkaConnector"
    metadata = {
      name      = local.lake_connector
      namespace = local.connect_namespace
      labels    = { "strimzi.io/cluster" = local.connect_cluster }
    }
    spec = {
      class    = "io.freshforever.lake.connect.LakeSinkConnector"
      tasksMax = var.lake_connector_tasks
      config   = local.lake_connector_config
    }
  }
  depends_on = [kubernetes_manifest.connect_cluster]
}
