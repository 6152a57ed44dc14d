"""Every command line the StreamingFeatures DAGs launch, built from the CLI's flags.

Pure Python (no Airflow import), so infra/airflow/check_dags.py can evaluate it where Airflow is not installed and
the integration test can run each command line through the CLI's parser with --dry-run. The DAGs only wrap these
lists in operators; a flag that drifts from the CLI fails that test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Names every deployment file agrees on (Terraform, infra/k8s, these DAGs).
NAMESPACE = "streamingfeatures"
SERVICE_ACCOUNT = "streamingfeatures-migrate"
INSTANCE = "feature-store"
CHECKPOINT_TABLE = "migration-checkpoints"
APP_PROFILE = "migrate-batch"

# The feature set is mounted from this ConfigMap (infra/k8s/migrate-indexed-job.yaml creates it).
FEATURE_SET_CONFIG_MAP = "streamingfeatures-feature-set"
CONFIG_DIR = "/config"
OUTPUT_DIR = "/output"
TMP_DIR = "/tmp"

# The cncf.kubernetes provider mounts an emptyDir here when do_xcom_push=True and a sidecar returns
# return.json as the task's XCom: a shard's --summary-json written there reaches the report task.
XCOM_DIR = "/airflow/xcom"

# The Job controller sets JOB_COMPLETION_INDEX in every container of an Indexed Job; the kubelet expands $(VAR) in args.
COMPLETION_INDEX = "$(JOB_COMPLETION_INDEX)"


@dataclass(frozen=True)
class Migration:
    """One BigQuery table migrated into one Bigtable table; every field maps to a CLI flag."""

    project: str
    source_table: str  # projects/P/datasets/D/tables/T
    feature_table: str
    instance: str = INSTANCE
    shards: int = 4
    read_streams: int = 4
    checkpoint_table: str = CHECKPOINT_TABLE
    app_profile: str = APP_PROFILE
    feature_set: str = CONFIG_DIR + "/feature-set.yaml"

    def common(self) -> list[str]:
        return [
            "--source", "bigquery:" + self.source_table,
            "--feature-set", self.feature_set,
            "--project", self.project,
            "--instance", self.instance,
            "--table", self.feature_table,
            "--app-profile", self.app_profile,
        ]

    def writes(self) -> list[str]:
        # Terraform creates the table and its families (roles/bigtable.user cannot): a missing one is named, exit 2.
        return ["--no-create"]


# The Airflow Variables the DAGs read (Admin > Variables, or AIRFLOW_VAR_<NAME> in the environment).
VARIABLES = {
    "streamingfeatures_project": "Google Cloud project of the Bigtable instance (and the default billing project)",
    "streamingfeatures_source_table": "the BigQuery table, projects/P/datasets/D/tables/T",
    "streamingfeatures_feature_table": "the Bigtable feature table (the feature set's table)",
    "streamingfeatures_image": "the CLI image, e.g. us-docker.pkg.dev/P/streamingfeatures/streamingfeatures:1.0.0",
    "streamingfeatures_partition_column": "the daily DAG's DATE partition column, e.g. event_date",
}


def templated_variables() -> dict[str, str]:
    """Each Variable as the Jinja an operator's templated field renders when the task runs (not when the DAG is parsed)."""
    return {name: "{{ var.value.%s }}" % name for name in VARIABLES}


def migration_from(values: dict[str, str]) -> Migration:
    """The migration the Variables describe; `values` maps each name of VARIABLES to its value (or its Jinja)."""
    return Migration(
        project=values["streamingfeatures_project"],
        source_table=values["streamingfeatures_source_table"],
        feature_table=values["streamingfeatures_feature_table"],
    )


def shard_args(m: Migration, snapshot_time: str, shard_index: str = COMPLETION_INDEX) -> list[str]:
    """`migrate` for one shard of the Indexed Job; every shard and the plan step must agree on all but the index."""
    return [
        "migrate", *m.common(), *m.writes(),
        "--snapshot-time", snapshot_time,
        "--shard-index", shard_index,
        "--shard-count", str(m.shards),
        "--read-streams", str(m.read_streams),
        "--checkpoint", "bigtable:" + m.checkpoint_table,
        "--summary-json", XCOM_DIR + "/return.json",
        "--dead-letter", f"{OUTPUT_DIR}/dead-letters-{shard_index}.jsonl",
        "--log-format", "json",
    ]


def plan_args(m: Migration, snapshot_time: str) -> list[str]:
    """Creates the shards' read session and records it in the checkpoint table, as shard 0 would, reading nothing."""
    args = shard_args(m, snapshot_time, shard_index="0")
    # No summary: the plan step migrates nothing, and its XCom is not read.
    at = args.index("--summary-json")
    del args[at:at + 2]
    return [*args, "--plan-only"]


def verify_args(m: Migration, snapshot_time: str) -> list[str]:
    """`verify` against the migration's snapshot: rows streamed in later are not counted as extra."""
    return ["verify", *m.common(), "--snapshot-time", snapshot_time, "--log-format", "json"]


def partition_restriction(column: str, day: dt.date) -> str:
    """GoogleSQL for one day of a DATE partition column (half-open, so no row belongs to two days)."""
    return f"{column} >= '{day.isoformat()}' AND {column} < '{(day + dt.timedelta(days=1)).isoformat()}'"


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The day partitions of the half-open interval [start, end): one for a daily run, several for a backfill."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days)]


def daily_args(m: Migration, column: str, day: dt.date) -> list[str]:
    """One unsharded `migrate` of one day. The row restriction is part of the job's identity, so each day has its
    own checkpoint row in the checkpoint table and a rerun of that day resumes it (or says it finished)."""
    return [
        "migrate", *m.common(), *m.writes(),
        "--row-restriction", partition_restriction(column, day),
        "--checkpoint", "bigtable:" + m.checkpoint_table,
        "--summary-json", XCOM_DIR + "/return.json",
        "--dead-letter", f"{OUTPUT_DIR}/dead-letters-{day.isoformat()}.jsonl",
        "--log-format", "json",
    ]


def mounts() -> list[dict]:
    """The volumes every launched container mounts (the DAGs turn them into V1Volume/V1VolumeMount)."""
    return [
        {"name": "feature-set", "mountPath": CONFIG_DIR, "configMap": FEATURE_SET_CONFIG_MAP, "readOnly": True},
        {"name": "output", "mountPath": OUTPUT_DIR},
        {"name": "tmp", "mountPath": TMP_DIR},
    ]


def launches(m: Migration, snapshot_time: str, partition_column: str, partition_days: list[dt.date]) -> list[dict]:
    """Every container the two DAGs start, for the test: its task, args, whether it is an Indexed Job, its mounts."""
    xcom = {"name": "xcom", "mountPath": XCOM_DIR}
    found = [
        {"task": "plan", "args": plan_args(m, snapshot_time), "indexed": False, "mounts": mounts()},
        {"task": "migrate", "args": shard_args(m, snapshot_time), "indexed": True, "completions": m.shards, "mounts": [*mounts(), xcom]},
        {"task": "verify", "args": verify_args(m, snapshot_time), "indexed": False, "mounts": mounts()},
    ]
    found += [{"task": f"migrate_day[{d.isoformat()}]", "args": daily_args(m, partition_column, d), "indexed": False, "mounts": [*mounts(), xcom]}
              for d in partition_days]
    return found


def report(summaries: list[dict | None]) -> dict:
    """The shards' --summary-json figures added up; a shard without one (it failed, or was retried) is counted apart."""
    present = [s for s in summaries if s]
    keys = ("rowsRead", "rowsWritten", "rowsVerified", "mismatches", "missing", "deadLettered", "retries")
    total = {k: sum(int(s.get(k, 0)) for s in present) for k in keys}
    total["shardsReported"] = len(present)
    total["shardsWithoutSummary"] = len(summaries) - len(present)
    return total
