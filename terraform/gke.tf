# The GKE cluster where Kafka Connect runs the lake connector (connect.tf). Autopilot: nodes,
# scaling and upgrades are Google's; private nodes; Workload Identity, so pods act as GCP service
# accounts without keys.
resource "google_container_cluster" "connect" {
  name                = "${var.name_prefix}-connect"
  location            = var.region
  enable_autopilot    = true
  deletion_protection = true
  subnetwork          = var.subnetwork

  ip_allocation_policy {}

  workload_identity_config {
    workload_pool = "${var.project}.svc.id.goog"
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = var.gke_master_cidr
  }
}

data "google_client_config" "current" {}

# Both providers reach the cluster created above: apply the cluster first
# (`terraform apply -target=google_container_cluster.connect`), then everything (docs/DEPLOY.md).
provider "kubernetes" {
  host                   = "https://${google_container_cluster.connect.endpoint}"
  token                  = data.google_client_config.current.access_token
  cluster_ca_certificate = base64decode(google_container_cluster.connect.master_auth[0].cluster_ca_certificate)
}

provider "helm" {
  kubernetes {
    host                   = "https://${google_container_cluster.connect.endpoint}"
    token                  = data.google_client_config.current.access_token
    cluster_ca_certificate = base64decode(google_container_cluster.connect.master_auth[0].cluster_ca_certificate)
  }
}
