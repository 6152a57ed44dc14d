output "project_id" {
  description = "The project everything was created in: PROJECT_ID in infra/k8s and the CLI's --project."
  value       = var.project_id
}

output "bigtable_instance" {
  description = "Bigtable instance id: the CLI's --instance (Instance in ingest's settings), INSTANCE_ID in infra/k8s. Depends on the instance, so tables created from it wait for it."
  value       = google_bigtable_instance.this.name
}

output "bigtable_cluster_id" {
  description = "The instance's cluster, where the migrate-batch app profile routes."
  value       = local.bigtable_cluster_id
}

output "app_profiles" {
  description = "App profile ids by use: migrate (--app-profile for migrate and verify) and serve (--app-profile for serve)."
  value = {
    migrate = google_bigtable_app_profile.migrate_batch.app_profile_id
    serve   = google_bigtable_app_profile.serve.app_profile_id
  }
}

output "checkpoint" {
  description = "migrate's --checkpoint value: bigtable:<checkpoint table>."
  value       = "bigtable:${google_bigtable_table.checkpoints.name}"
}

output "topic" {
  description = "Full name of the topic feature events are published to (projects/P/topics/T)."
  value       = google_pubsub_topic.events.id
}

output "subscription" {
  description = "Id of ingest's subscription: Subscription in ingest's settings (SUBSCRIPTION in infra/k8s)."
  value       = google_pubsub_subscription.ingest.name
}

output "dead_letter_topic" {
  description = "Id of the dead-letter topic: DeadLetterTopic in ingest's settings (DEAD_LETTER_TOPIC in infra/k8s)."
  value       = google_pubsub_topic.dead_letter.name
}

output "dead_letter_subscription" {
  description = "Subscription to read (and replay) the dead letters from."
  value       = google_pubsub_subscription.dead_letter.name
}

output "service_accounts" {
  description = "Google service account e-mails by workload (migrate, ingest, serve): the iam.gke.io/gcp-service-account annotations of the Kubernetes service accounts in infra/k8s."
  value       = { for name, account in google_service_account.workload : name => account.email }
}

output "metrics_adapter_service_account" {
  description = "E-mail of the Custom Metrics Stackdriver Adapter's service account (annotate custom-metrics/custom-metrics-stackdriver-adapter with it), or null when custom_metrics_adapter is false."
  value       = var.custom_metrics_adapter ? google_service_account.metrics_adapter[0].email : null
}
