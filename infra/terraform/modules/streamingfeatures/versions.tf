terraform {
  # optional() object attributes and the import/moved blocks users may add need 1.5; 1.11 is what CI checks fmt with.
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.x has every argument used here (autoscaling_config.storage_target, standard_isolation,
      # enable_exactly_once_delivery, string deletion_protection on tables); 7.0 changed defaults, so it is opted into
      # deliberately, after a plan shows no surprise.
      version = "~> 6.50"
    }
  }
}
