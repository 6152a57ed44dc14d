locals {
  bigtable_cluster_id = coalesce(var.bigtable_cluster_id, "${var.bigtable_instance}-c1")
  bigtable_zone       = coalesce(var.bigtable_zone, "${var.region}-b")
}

resource "google_bigtable_instance" "this" {
  project             = var.project_id
  name                = var.bigtable_instance
  display_name        = "StreamingFeatures feature store"
  deletion_protection = true
  labels              = var.labels

  cluster {
    cluster_id   = local.bigtable_cluster_id
    zone         = local.bigtable_zone
    storage_type = "SSD"

    # Nodes follow the load: a migration's write burst scales the cluster up, serving alone scales it back.
    autoscaling_config {
      min_nodes      = var.bigtable_autoscaling.min_nodes
      max_nodes      = var.bigtable_autoscaling.max_nodes
      cpu_target     = var.bigtable_autoscaling.cpu_target
      storage_target = var.bigtable_autoscaling.storage_target
    }
  }
}

# Migrations and verify: low priority, so a backfill never slows serving reads on the same cluster. Single-cluster
# routing is required, not chosen: the shard plan store claims read streams with CheckAndMutateRow, and the provider
# and admin API allow transactional writes (CheckAndMutateRow, ReadModifyWriteRow) only on a single-cluster profile.
resource "google_bigtable_app_profile" "migrate_batch" {
  project        = var.project_id
  instance       = google_bigtable_instance.this.name
  app_profile_id = "migrate-batch"
  description    = "streamingfeatures migrate and verify: batch writes at low priority, transactional checkpoint claims."

  single_cluster_routing {
    cluster_id                 = local.bigtable_cluster_id
    allow_transactional_writes = true
  }

  standard_isolation {
    priority = "PRIORITY_LOW"
  }

  ignore_warnings = true
}

# Online reads (serve; ingest too when given --app-profile serve): any cluster, high priority. No transactional writes:
# serve and ingest never send CheckAndMutateRow, and multi-cluster routing could not allow them.
resource "google_bigtable_app_profile" "serve" {
  project                       = var.project_id
  instance                      = google_bigtable_instance.this.name
  app_profile_id                = "serve"
  description                   = "streamingfeatures serve: online reads at high priority, from any cluster."
  multi_cluster_routing_use_any = true

  standard_isolation {
    priority = "PRIORITY_HIGH"
  }

  ignore_warnings = true
}

# The table BigtableCheckpointStore and BigtableShardPlanStore would create: family "checkpoint", newest version only.
# Created here so migrate needs no admin role (it only reads the schema with GetTable, in roles/bigtable.user).
resource "google_bigtable_table" "checkpoints" {
  project             = var.project_id
  instance_name       = google_bigtable_instance.this.name
  name                = var.checkpoint_table
  deletion_protection = "PROTECTED"

  column_family {
    family = "checkpoint"
  }
}

resource "google_bigtable_gc_policy" "checkpoints" {
  project         = var.project_id
  instance_name   = google_bigtable_table.checkpoints.instance_name
  table           = google_bigtable_table.checkpoints.name
  column_family   = "checkpoint"
  deletion_policy = "ABANDON"
  gc_rules        = jsonencode({ rules = [{ max_version = 1 }] })
}
