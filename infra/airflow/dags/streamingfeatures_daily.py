"""StreamingFeatures: the daily incremental migration, one day partition per mapped task.

Each run migrates the day partitions of its data interval (one for a daily run), each as its own `migrate` with a
`--row-restriction` for that day, mapped with .expand(). The restriction is part of the job's identity, so every
day has its own checkpoint row in bigtable:migration-checkpoints: a failed or cleared day resumes where it stopped,
a finished day reruns as a no-op (it says it finished), and days never share offsets.

Catchup and backfill: catchup=True, so a scheduler that was down runs every missed day in order (max_active_runs
bounds how many at once); `airflow backfill create --dag-id streamingfeatures_daily --from-date ... --to-date ...`
(Airflow 3; `airflow dags backfill` in Airflow 2) migrates past days the same way. To migrate a day again after its
partition changed, delete that day's checkpoint row (its key is in the task's log), then clear the task.
"""

from __future__ import annotations

import datetime as dt

from airflow.providers.cncf.kubernetes.operators.job import KubernetesJobOperator
from airflow.sdk import Variable, dag, task

import streamingfeatures_commands as commands
import streamingfeatures_pod as pod


@dag(
    dag_id="streamingfeatures_daily",
    schedule="@daily",
    start_date=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc),
    catchup=True,
    max_active_runs=3,
    tags=["streamingfeatures"],
)
def streamingfeatures_daily():
    @task
    def partitions(data_interval_start=None, data_interval_end=None) -> list[list[str]]:
        # Values reach the mapped tasks through XCom, which Airflow does not template: resolve the Variables here.
        migration = commands.migration_from({name: Variable.get(name) for name in commands.VARIABLES})
        column = Variable.get("streamingfeatures_partition_column")
        days = commands.days(data_interval_start.date(), data_interval_end.date())
        return [commands.daily_args(migration, column, day) for day in days]

    KubernetesJobOperator.partial(
        task_id="migrate_day",
        name="streamingfeatures-day",
        # As the migrate DAG's shards: no pod replaced inside the Job (its XCom sidecar would never be stopped); a
        # failed day fails its Job and the mapped task's retry resumes the day from its checkpoint row.
        backoff_limit=0,
        retries=3,
        retry_delay=dt.timedelta(minutes=1),
        active_deadline_seconds=6 * 3600,
        wait_until_job_complete=True,
        deferrable=True,
        do_xcom_push=True,
        **pod.pod_kwargs("{{ var.value.streamingfeatures_image }}"),
    ).expand(arguments=partitions())


streamingfeatures_daily()
