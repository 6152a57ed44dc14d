output "bigtable_instance" {
  description = "INSTANCE_ID in infra/k8s; the CLI's --instance."
  value       = module.streamingfeatures.bigtable_instance
}

output "app_profiles" {
  description = "--app-profile values: migrate (migrate, verify) and serve."
  value       = module.streamingfeatures.app_profiles
}

output "checkpoint" {
  description = "migrate's --checkpoint value."
  value       = module.streamingfeatures.checkpoint
}

output "subscription" {
  description = "SUBSCRIPTION in infra/k8s/ingest-deployment.yaml."
  value       = module.streamingfeatures.subscription
}

output "dead_letter_topic" {
  description = "DEAD_LETTER_TOPIC in infra/k8s/ingest-deployment.yaml."
  value       = module.streamingfeatures.dead_letter_topic
}

output "service_accounts" {
  description = "The iam.gke.io/gcp-service-account annotation of each Kubernetes service account in infra/k8s, by workload."
  value       = module.streamingfeatures.service_accounts
}

output "metrics_adapter_service_account" {
  description = "The iam.gke.io/gcp-service-account annotation of custom-metrics/custom-metrics-stackdriver-adapter."
  value       = module.streamingfeatures.metrics_adapter_service_account
}
