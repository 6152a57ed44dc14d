# The whole Google Cloud side of a StreamingFeatures deployment for the sample feature set
# samples/feature-sets/user-features.yaml: the module's Bigtable instance, app profiles, checkpoint table, Pub/Sub
# topics and subscriptions, service accounts and IAM, and the feature table the CLI generated into tables/.

provider "google" {
  project = var.project_id
  region  = var.region
}

module "streamingfeatures" {
  source = "../../modules/streamingfeatures"

  project_id       = var.project_id
  region           = var.region
  bigquery_dataset = var.bigquery_dataset
  labels           = { app = "streamingfeatures" }
}

# The feature tables, column families and GC rules, written by the CLI from the feature set, never by hand
# (regenerate after every change to the feature set, from the repository root):
#   streamingfeatures schema --feature-set samples/feature-sets/user-features.yaml --format terraform \
#     --output infra/terraform/examples/feature-store/tables/user-features.tf
# A module of their own gives the generated files the two variables they refer to; passing the module's output
# makes every table wait for the instance. The policy test (TerraformFeatureTableTests) fails when a file here no longer
# matches its feature set.
module "feature_tables" {
  source = "./tables"

  project_id        = var.project_id
  bigtable_instance = module.streamingfeatures.bigtable_instance
}
