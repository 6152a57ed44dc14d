variable "project_id" {
  description = "Google Cloud project that holds the Bigtable instance, the Pub/Sub topics and subscriptions and the service accounts. The generated feature-table files refer to var.project_id too."
  type        = string
}

variable "region" {
  description = "Region of the Bigtable cluster's zone; only used to label resources and to default bigtable_zone (REGION-b)."
  type        = string
  default     = "us-central1"
}

variable "bigtable_instance" {
  description = "Bigtable instance id (the CLI's --instance). The generated feature-table files refer to var.bigtable_instance."
  type        = string
  default     = "feature-store"
}

variable "bigtable_cluster_id" {
  description = "Id of the instance's cluster; the migrate-batch app profile routes to it. Defaults to \"<bigtable_instance>-c1\"."
  type        = string
  default     = null
}

variable "bigtable_zone" {
  description = "Zone of the Bigtable cluster. Defaults to \"<region>-b\"."
  type        = string
  default     = null
}

variable "bigtable_autoscaling" {
  description = "Cluster autoscaling: min_nodes and max_nodes (1 to 1000, min <= max), cpu_target (10 to 80 percent of CPU per node) and storage_target (GiB per node before adding one; SSD allows 2560 to 5120)."
  type = object({
    min_nodes      = number
    max_nodes      = number
    cpu_target     = number
    storage_target = number
  })
  default = {
    min_nodes      = 1
    max_nodes      = 10
    cpu_target     = 60
    storage_target = 2560
  }

  validation {
    condition     = var.bigtable_autoscaling.min_nodes >= 1 && var.bigtable_autoscaling.min_nodes <= var.bigtable_autoscaling.max_nodes && var.bigtable_autoscaling.max_nodes <= 1000
    error_message = "bigtable_autoscaling: min_nodes must be at least 1 and at most max_nodes, and max_nodes at most 1000."
  }

  validation {
    condition     = var.bigtable_autoscaling.cpu_target >= 10 && var.bigtable_autoscaling.cpu_target <= 80
    error_message = "bigtable_autoscaling.cpu_target must be 10 to 80 (percent)."
  }

  validation {
    condition     = var.bigtable_autoscaling.storage_target >= 2560 && var.bigtable_autoscaling.storage_target <= 5120
    error_message = "bigtable_autoscaling.storage_target must be 2560 to 5120 (GiB per node, SSD)."
  }
}

variable "checkpoint_table" {
  description = "Bigtable table holding the migrations' checkpoints and shard plans (the CLI's --checkpoint bigtable:TABLE)."
  type        = string
  default     = "migration-checkpoints"
}

variable "labels" {
  description = "Labels put on the instance, topics and subscriptions."
  type        = map(string)
  default     = {}
}

variable "topic" {
  description = "Pub/Sub topic the feature events are published to."
  type        = string
  default     = "feature-events"
}

variable "subscription" {
  description = "Pub/Sub subscription ingest pulls (its Subscription setting)."
  type        = string
  default     = "feature-events-ingest"
}

variable "dead_letter_topic" {
  description = "Pub/Sub topic for dead letters: messages Pub/Sub gave up delivering, and records ingest refused (its DeadLetterTopic setting). Its subscription has the same name."
  type        = string
  default     = "feature-events-dead-letter"
}

variable "ack_deadline_seconds" {
  description = "The ingest subscription's ack deadline: 60, ingest's default AckDeadline (PubSubSourceLimits.AckDeadline, and \"60s\" in infra/k8s/ingest-deployment.yaml). Keep the two equal."
  type        = number
  default     = 60

  validation {
    condition     = var.ack_deadline_seconds >= 10 && var.ack_deadline_seconds <= 600
    error_message = "ack_deadline_seconds must be 10 to 600, as Pub/Sub and ingest's AckDeadline allow."
  }
}

variable "max_delivery_attempts" {
  description = "Deliveries of a message before Pub/Sub moves it to the dead-letter topic (5 to 100)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be 5 to 100, as Pub/Sub allows."
  }
}

variable "retry_backoff" {
  description = "The ingest subscription's redelivery backoff after a nack or an expired deadline: minimum and maximum, as durations in seconds (\"10s\", \"600s\"; 0 to 600)."
  type = object({
    minimum = string
    maximum = string
  })
  default = {
    minimum = "10s"
    maximum = "600s"
  }
}

variable "message_retention_duration" {
  description = "How long the subscriptions keep unacknowledged messages (\"604800s\", 7 days, the most Pub/Sub allows)."
  type        = string
  default     = "604800s"
}

variable "bigquery_project_id" {
  description = "Project of the BigQuery source data and where migrate's read sessions are created (roles/bigquery.readSessionUser). Defaults to project_id."
  type        = string
  default     = null
}

variable "bigquery_dataset" {
  description = "BigQuery dataset migrate reads (roles/bigquery.dataViewer on it, nothing wider)."
  type        = string
}

variable "workload_identity_project" {
  description = "Project of the GKE cluster whose workload pool (PROJECT.svc.id.goog) the Kubernetes service accounts belong to. Defaults to project_id."
  type        = string
  default     = null
}

variable "kubernetes_namespace" {
  description = "Kubernetes namespace of the service accounts streamingfeatures-migrate, -ingest and -serve (infra/k8s)."
  type        = string
  default     = "streamingfeatures"
}

variable "custom_metrics_adapter" {
  description = "Create a Google service account with roles/monitoring.viewer for the Custom Metrics Stackdriver Adapter (the ingest HPA's external metric), bound to Kubernetes service account custom-metrics/custom-metrics-stackdriver-adapter. Set false where the cluster already has one."
  type        = bool
  default     = true
}
