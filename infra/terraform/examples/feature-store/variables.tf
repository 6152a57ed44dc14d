variable "project_id" {
  description = "Google Cloud project to deploy into (PROJECT_ID in infra/k8s)."
  type        = string
}

variable "region" {
  description = "Region of the Bigtable cluster (zone REGION-b) and the provider's default region."
  type        = string
  default     = "us-central1"
}

variable "bigquery_dataset" {
  description = "BigQuery dataset holding the migration's source table (DATASET in infra/k8s/migrate-indexed-job.yaml)."
  type        = string
}
