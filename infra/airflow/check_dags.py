"""Checks the DAGs in dags/ without Airflow, and prints every command line they launch as JSON.

    python3 infra/airflow/check_dags.py [--set NAME=VALUE ...]

Parses each DAG file with ast (syntax; the Job operators used; completion_mode="Indexed", deferrable=True and
wait_until_job_complete=True; .expand( in the daily DAG; no CLI flag written in a DAG; no secret), then evaluates the
pure streamingfeatures_commands module with sample Variables. Standard output is one JSON object:
{"problems": [...], "launches": [{"task", "args", "indexed", "mounts"}, ...]}. Exit 0 when there is no problem, 1
otherwise. The integration test (tests/StreamingFeatures.IntegrationTests/Infra/Airflow*) runs every launch through
the CLI's parser with --dry-run.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import pathlib
import re
import sys

DAGS = pathlib.Path(__file__).resolve().parent / "dags"
JOB_OPERATORS = {"KubernetesJobOperator", "GKEStartJobOperator"}

# What each DAG must build its commands with: the builder's functions, never a literal command line.
EXPECTED = {
    "streamingfeatures_migrate.py": {"calls": {"plan_args", "shard_args", "verify_args"}, "indexed": True, "expand": False},
    "streamingfeatures_daily.py": {"calls": {"daily_args"}, "indexed": False, "expand": True},
}

# Sample Variable values, of the form Google Cloud accepts, as a user would give them.
SAMPLE = {
    "streamingfeatures_project": "example-project",
    "streamingfeatures_source_table": "projects/example-project/datasets/feature_exports/tables/user_features",
    "streamingfeatures_feature_table": "user_features",
    "streamingfeatures_image": "us-docker.pkg.dev/example-project/streamingfeatures/streamingfeatures:1.0.0",
    "streamingfeatures_partition_column": "event_time",
}
SAMPLE_SNAPSHOT = "2026-12-01T00:00:00Z"
SAMPLE_DAYS = (dt.date(2026, 12, 1), dt.date(2026, 12, 3))

SECRET = re.compile(r"-----BEGIN|AIza[0-9A-Za-z_-]{20}|ya29\.|\"private_key\"|client_secret|password\s*=|token\s*=", re.IGNORECASE)
SECRET_NAMES = re.compile(r"password|secret|token|credential|api_key", re.IGNORECASE)


def call_name(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.attr == "partial":
        return f.value.id
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def check_dag(path: pathlib.Path, expected: dict) -> list[str]:
    text = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as e:
        return [f"{path.name}:{e.lineno}: syntax error: {e.msg}"]

    problems = []
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    jobs = [c for c in calls if call_name(c) in JOB_OPERATORS]
    if not jobs:
        problems.append(f"{path.name}: no {' or '.join(sorted(JOB_OPERATORS))}")

    def keyword(call: ast.Call, name: str):
        found = [k.value for k in call.keywords if k.arg == name]
        return found[0].value if found and isinstance(found[0], ast.Constant) else None

    for job in jobs:
        where = f"{path.name}:{job.lineno}"
        if keyword(job, "deferrable") is not True:
            problems.append(f"{where}: {call_name(job)} without deferrable=True")
        if keyword(job, "wait_until_job_complete") is not True:
            problems.append(f"{where}: {call_name(job)} without wait_until_job_complete=True (deferrable needs it)")
    if expected["indexed"] and not any(keyword(j, "completion_mode") == "Indexed" for j in jobs):
        problems.append(f'{path.name}: no Job operator with completion_mode="Indexed"')
    if expected["indexed"]:
        for job in (j for j in jobs if keyword(j, "completion_mode") == "Indexed"):
            for name in ("completions", "parallelism"):
                if not any(k.arg == name for k in job.keywords):
                    problems.append(f"{path.name}:{job.lineno}: the Indexed Job has no {name}= (the shard count)")
    expands = [c for c in calls if isinstance(c.func, ast.Attribute) and c.func.attr == "expand"]
    if expected["expand"] and not expands:
        problems.append(f"{path.name}: no .expand( (one mapped task per day partition)")

    used = {call_name(c) for c in calls}
    for missing in sorted(expected["calls"] - used):
        problems.append(f"{path.name}: does not call streamingfeatures_commands.{missing}; command lines come from the builder")
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("--"):
            problems.append(f"{path.name}:{node.lineno}: the CLI flag {node.value!r} is written in the DAG; build it in streamingfeatures_commands")
        if isinstance(node, ast.keyword) and node.arg and SECRET_NAMES.search(node.arg) and isinstance(node.value, ast.Constant) and node.value.value:
            problems.append(f"{path.name}:{node.lineno}: {node.arg}= holds a literal; secrets come from Airflow connections or Workload Identity")
    for number, line in enumerate(text.splitlines(), 1):
        if SECRET.search(line):
            problems.append(f"{path.name}:{number}: looks like a secret: {line.strip()[:60]}")
    return problems


def main(argv: list[str]) -> int:
    values = dict(SAMPLE)
    for item in argv:
        name, _, value = item.removeprefix("--set=").partition("=")
        values[name] = value

    problems = []
    ignored = {line.strip() for line in (DAGS / ".airflowignore").read_text().splitlines() if line.strip()}
    dag_files = sorted(p for p in DAGS.glob("*.py") if not any(re.fullmatch(i, p.name) for i in ignored))
    for path in dag_files:
        if path.name not in EXPECTED:
            problems.append(f"{path.name}: a DAG file check_dags.py does not know; add it to EXPECTED")
            continue
        problems += check_dag(path, EXPECTED[path.name])
    for name in sorted(set(EXPECTED) - {p.name for p in dag_files}):
        problems.append(f"{name}: missing from dags/")

    sys.path.insert(0, str(DAGS))
    import streamingfeatures_commands as commands  # noqa: E402  (pure: no Airflow import)

    builder = ast.parse((DAGS / "streamingfeatures_commands.py").read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(builder) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(builder) if isinstance(n, ast.ImportFrom) and n.module}
    if imported & {"airflow", "kubernetes"}:
        problems.append("streamingfeatures_commands.py: imports Airflow or kubernetes; it must stay pure so this check can run it")

    migration = commands.migration_from({name: values[name] for name in commands.VARIABLES})
    launches = commands.launches(migration, values.get("snapshot", SAMPLE_SNAPSHOT), values["streamingfeatures_partition_column"], commands.days(*SAMPLE_DAYS))
    print(json.dumps({"problems": problems, "launches": launches}, indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
