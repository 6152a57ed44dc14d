"""The pod every StreamingFeatures task runs in, shared by the DAGs; the same pod as infra/k8s/migrate-indexed-job.yaml.

A support module, not a DAG (.airflowignore keeps the scheduler from parsing it as one).
"""

from __future__ import annotations

from kubernetes.client import models as k8s

import streamingfeatures_commands as commands

# The .NET images' non-root app user ($APP_UID); fsGroup makes the emptyDir volumes writable for it.
APP_UID = 1654


def volumes() -> list[k8s.V1Volume]:
    found = []
    for mount in commands.mounts():
        if "configMap" in mount:
            found.append(k8s.V1Volume(name=mount["name"], config_map=k8s.V1ConfigMapVolumeSource(name=mount["configMap"])))
        else:
            # Dead letters land in /output: mount a persistent volume there (infra/airflow/README.md) to keep them.
            found.append(k8s.V1Volume(name=mount["name"], empty_dir=k8s.V1EmptyDirVolumeSource(size_limit="1Gi")))
    return found


def volume_mounts() -> list[k8s.V1VolumeMount]:
    return [k8s.V1VolumeMount(name=m["name"], mount_path=m["mountPath"], read_only=m.get("readOnly", False)) for m in commands.mounts()]


def pod_kwargs(image: str) -> dict:
    """The KubernetesPodOperator arguments every task's pod shares (the Job operators take them too)."""
    return {
        "namespace": commands.NAMESPACE,
        "service_account_name": commands.SERVICE_ACCOUNT,
        "image": image,
        "volumes": volumes(),
        "volume_mounts": volume_mounts(),
        "container_resources": k8s.V1ResourceRequirements(requests={"cpu": "1", "memory": "320Mi"}, limits={"cpu": "2", "memory": "512Mi"}),
        "security_context": {"runAsNonRoot": True, "runAsUser": APP_UID, "runAsGroup": APP_UID, "fsGroup": APP_UID, "seccompProfile": {"type": "RuntimeDefault"}},
        "container_security_context": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}},
        # The CLI drains on SIGTERM and keeps its checkpoint: give it time before the kill.
        "termination_grace_period": 60,
        # No *_SERVICE_HOST/*_PORT variables: a Service named streamingfeatures-* would inject STREAMINGFEATURES_* ones.
        "full_pod_spec": k8s.V1Pod(spec=k8s.V1PodSpec(containers=[], enable_service_links=False)),
        "get_logs": True,
    }
