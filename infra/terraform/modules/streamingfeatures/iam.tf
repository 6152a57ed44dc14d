locals {
  bigquery_project          = coalesce(var.bigquery_project_id, var.project_id)
  workload_identity_project = coalesce(var.workload_identity_project, var.project_id)

  # One Google service account per workload, named like its Kubernetes service account (infra/k8s).
  workloads = {
    migrate = "Runs streamingfeatures migrate and verify: reads BigQuery, writes Bigtable and its checkpoints."
    ingest  = "Runs streamingfeatures ingest: pulls the Pub/Sub subscription, writes Bigtable, publishes dead letters."
    serve   = "Runs streamingfeatures serve: reads Bigtable."
  }
}

resource "google_service_account" "workload" {
  for_each = local.workloads

  project      = var.project_id
  account_id   = "streamingfeatures-${each.key}"
  display_name = "streamingfeatures ${each.key}"
  description  = each.value
}

# On the instance, never the project. Roles are written out (not looked up in a map) so the policy test reads them.
# bigtable.user reads and writes rows and reads table schemas (GetTable): all migrate and ingest do once Terraform
# has created every table and family, so neither needs bigtable.admin (run them with --no-create to fail fast, and
# by name, when a table is missing).
resource "google_bigtable_instance_iam_member" "migrate_writes" {
  project  = var.project_id
  instance = google_bigtable_instance.this.name
  role     = "roles/bigtable.user"
  member   = google_service_account.workload["migrate"].member
}

resource "google_bigtable_instance_iam_member" "ingest_writes" {
  project  = var.project_id
  instance = google_bigtable_instance.this.name
  role     = "roles/bigtable.user"
  member   = google_service_account.workload["ingest"].member
}

resource "google_bigtable_instance_iam_member" "serve_reads" {
  project  = var.project_id
  instance = google_bigtable_instance.this.name
  role     = "roles/bigtable.reader"
  member   = google_service_account.workload["serve"].member
}

# Creating a Storage Read session is a project-level permission (bigquery.readsessions.create); the data itself is
# granted on the dataset only.
resource "google_project_iam_member" "migrate_read_sessions" {
  project = local.bigquery_project
  role    = "roles/bigquery.readSessionUser"
  member  = google_service_account.workload["migrate"].member
}

resource "google_bigquery_dataset_iam_member" "migrate_reads_dataset" {
  project    = local.bigquery_project
  dataset_id = var.bigquery_dataset
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.workload["migrate"].member
}

resource "google_pubsub_subscription_iam_member" "ingest_pulls" {
  project      = var.project_id
  subscription = google_pubsub_subscription.ingest.name
  role         = "roles/pubsub.subscriber"
  member       = google_service_account.workload["ingest"].member
}

# Ingest publishes the records it refuses (bad payload, permanent write failure) to the dead-letter topic itself.
resource "google_pubsub_topic_iam_member" "ingest_publishes_dead_letters" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = google_service_account.workload["ingest"].member
}

# Workload Identity: the pod's Kubernetes service account acts as the Google one; no key file anywhere.
resource "google_service_account_iam_member" "workload_identity" {
  for_each = local.workloads

  service_account_id = google_service_account.workload[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${local.workload_identity_project}.svc.id.goog[${var.kubernetes_namespace}/streamingfeatures-${each.key}]"
}

# The Custom Metrics Stackdriver Adapter reads the subscription's backlog (num_undelivered_messages) for the ingest
# HorizontalPodAutoscaler; Google's deployment of it runs as custom-metrics/custom-metrics-stackdriver-adapter.
resource "google_service_account" "metrics_adapter" {
  count = var.custom_metrics_adapter ? 1 : 0

  project      = var.project_id
  account_id   = "custom-metrics-adapter"
  display_name = "Custom Metrics Stackdriver Adapter"
  description  = "Reads Cloud Monitoring metrics (the ingest subscription's backlog) for Kubernetes autoscalers."
}

resource "google_project_iam_member" "metrics_adapter_reads_monitoring" {
  count = var.custom_metrics_adapter ? 1 : 0

  project = var.project_id
  role    = "roles/monitoring.viewer"
  member  = google_service_account.metrics_adapter[0].member
}

resource "google_service_account_iam_member" "metrics_adapter_workload_identity" {
  count = var.custom_metrics_adapter ? 1 : 0

  service_account_id = google_service_account.metrics_adapter[0].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${local.workload_identity_project}.svc.id.goog[custom-metrics/custom-metrics-stackdriver-adapter]"
}
