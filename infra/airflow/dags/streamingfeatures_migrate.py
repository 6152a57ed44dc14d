"""StreamingFeatures: migrate one BigQuery table into Bigtable as a sharded Kubernetes Indexed Job, then verify it.

pin_snapshot -> plan -> migrate (Indexed Job, one pod per shard) -> verify (its own Job) -> report

- pin_snapshot: the run's snapshot time (the `snapshot_time` param, else the run's logical date), so the plan, every
  shard and verify read the same data, and a retried task is the same job (the snapshot is part of its identity).
- plan: `migrate --plan-only` creates the shards' one BigQuery read session and records it in the checkpoint table
  (bigtable:migration-checkpoints); the shards read it, so the table is scanned once.
- migrate: every shard resumes from its own checkpoint row when retried; exit 2 or 3 cannot be fixed by a retry.
- verify: compares the table with the source at the snapshot; exit 3 (differences) fails the task.
- report: the shards' --summary-json figures, added up.
Every command line comes from streamingfeatures_commands; infra/airflow/check_dags.py checks this file without Airflow.
"""

from __future__ import annotations

import datetime as dt

from airflow.providers.cncf.kubernetes.operators.job import KubernetesJobOperator
from airflow.sdk import Param, dag, task

import streamingfeatures_commands as commands
import streamingfeatures_pod as pod

VARIABLES = commands.templated_variables()
MIGRATION = commands.migration_from(VARIABLES)
SNAPSHOT = "{{ ti.xcom_pull(task_ids='pin_snapshot') }}"


@dag(
    dag_id="streamingfeatures_migrate",
    schedule=None,  # run on demand: a migration, not a recurring job
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
    catchup=False,
    max_active_runs=1,
    params={"snapshot_time": Param("", type="string", description="RFC 3339 snapshot, e.g. 2026-11-26T00:00:00Z; empty: the run's logical date")},
    tags=["streamingfeatures"],
)
def streamingfeatures_migrate():
    @task
    def pin_snapshot(params=None, logical_date=None, dag_run=None) -> str:
        # Airflow 3 runs triggered by hand have no logical date: their run_after is as stable.
        when = logical_date or dag_run.run_after
        return params["snapshot_time"] or when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    plan = KubernetesJobOperator(
        task_id="plan",
        name="streamingfeatures-plan",
        arguments=commands.plan_args(MIGRATION, SNAPSHOT),
        backoff_limit=2,
        wait_until_job_complete=True,
        deferrable=True,
        **pod.pod_kwargs(VARIABLES["streamingfeatures_image"]),
    )

    migrate = KubernetesJobOperator(
        task_id="migrate",
        name="streamingfeatures-migrate",
        arguments=commands.shard_args(MIGRATION, SNAPSHOT),
        completion_mode="Indexed",
        completions=MIGRATION.shards,
        parallelism=MIGRATION.shards,
        # No pod replaced inside the Job: the XCom sidecar of a replacement pod is never stopped by the trigger (it
        # knows the pods of the first attempt only), so that Job would never finish. A failed shard fails the Job and
        # the task's retry runs a new one, in which every shard resumes from its checkpoint row.
        backoff_limit=0,
        retries=3,
        retry_delay=dt.timedelta(minutes=1),
        # A backstop: a Job still running after a read session's 6-hour life fails instead of hanging the task.
        active_deadline_seconds=6 * 3600,
        ttl_seconds_after_finished=7 * 24 * 3600,
        wait_until_job_complete=True,
        deferrable=True,
        # Each shard writes its --summary-json to /airflow/xcom/return.json: the task's XCom, one entry per pod.
        do_xcom_push=True,
        **pod.pod_kwargs(VARIABLES["streamingfeatures_image"]),
    )

    verify = KubernetesJobOperator(
        task_id="verify",
        name="streamingfeatures-verify",
        arguments=commands.verify_args(MIGRATION, SNAPSHOT),
        backoff_limit=1,
        wait_until_job_complete=True,
        deferrable=True,
        **pod.pod_kwargs(VARIABLES["streamingfeatures_image"]),
    )

    @task
    def report(summaries) -> dict:
        figures = commands.report(summaries if isinstance(summaries, list) else [summaries])
        print(figures)
        return figures

    pin_snapshot() >> plan >> migrate >> verify >> report(migrate.output)


streamingfeatures_migrate()
