# The variables the files `streamingfeatures schema --format terraform` writes refer to. Every other .tf file in this
# folder is generated; drop in one per feature set.

variable "project_id" {
  description = "Project of the Bigtable instance."
  type        = string
}

variable "bigtable_instance" {
  description = "Bigtable instance id; pass the streamingfeatures module's bigtable_instance output, so tables wait for the instance."
  type        = string
}
