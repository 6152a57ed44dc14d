data "google_project" "this" {
  project_id = var.project_id
}

locals {
  # Pub/Sub's service agent forwards undeliverable messages to the dead-letter topic and acknowledges them on the
  # source subscription; without both grants the dead-letter policy silently does nothing.
  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic" "events" {
  project = var.project_id
  name    = var.topic
  labels  = var.labels
}

resource "google_pubsub_topic" "dead_letter" {
  project = var.project_id
  name    = var.dead_letter_topic
  labels  = var.labels
}

resource "google_pubsub_subscription" "ingest" {
  project = var.project_id
  name    = var.subscription
  topic   = google_pubsub_topic.events.id
  labels  = var.labels

  # Ingest's default AckDeadline; it extends leases itself (MaxLeaseExtension) while rows are in flight.
  ack_deadline_seconds = var.ack_deadline_seconds
  # An ack that succeeds is final: no redelivery of a message whose cells are written (ingest acks only after that).
  enable_exactly_once_delivery = true
  message_retention_duration   = var.message_retention_duration

  retry_policy {
    minimum_backoff = var.retry_backoff.minimum
    maximum_backoff = var.retry_backoff.maximum
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = var.max_delivery_attempts
  }

  # Never deleted for inactivity: ingest may be scaled to zero for weeks.
  expiration_policy {
    ttl = ""
  }
}

# Holds the dead letters for inspection and replay. It has no dead-letter policy of its own on purpose: nothing
# consumes it automatically, so nothing can fail to deliver, and a dead letter of a dead letter would hide it.
resource "google_pubsub_subscription" "dead_letter" {
  project                    = var.project_id
  name                       = var.dead_letter_topic
  topic                      = google_pubsub_topic.dead_letter.id
  labels                     = var.labels
  ack_deadline_seconds       = var.ack_deadline_seconds
  message_retention_duration = var.message_retention_duration

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic_iam_member" "service_agent_publishes_dead_letters" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "service_agent_acknowledges" {
  project      = var.project_id
  subscription = google_pubsub_subscription.ingest.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}
