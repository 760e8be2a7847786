#!/usr/bin/env python3
"""Rules on rendered manifests (issue 20): images pinned by version tag (prod:
tag and sha256 digest), no replicas on a Deployment an HPA targets, services
spread over nodes and zones. Usage: check-k8s-rules.py OVERLAY RENDERED.yaml"""
import re
import sys
import yaml

overlay, path = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(path)) if d]
errors = []
hpa_targets = {d["spec"]["scaleTargetRef"]["name"] for d in docs
               if d["kind"] == "HorizontalPodAutoscaler"}
for d in docs:
    if d["kind"] not in ("Deployment", "StatefulSet", "Job", "CronJob"):
        continue
    name = f'{d["kind"]}/{d["metadata"]["name"]}'
    spec = d["spec"]
    pod = (spec["jobTemplate"]["spec"] if d["kind"] == "CronJob" else spec)["template"]["spec"]
    for c in pod.get("containers", []) + pod.get("initContainers", []):
        image = c["image"]
        m = re.fullmatch(r"([^:@]+):([\w][\w.-]*)(@sha256:[0-9a-f]{64})?", image)
        if not m or m.group(2) == "latest":
            errors.append(f"{name}: image {image} is not pinned by a version tag")
        elif overlay == "prod" and image.startswith("seimbang") and not m.group(3):
            errors.append(f"{name}: prod image {image} has no sha256 digest")
    if d["kind"] == "Deployment":
        if d["metadata"]["name"] in hpa_targets and "replicas" in spec:
            errors.append(f"{name}: replicas set although an HPA owns the count")
        keys = {t["topologyKey"] for t in pod.get("topologySpreadConstraints", [])}
        for key in ("kubernetes.io/hostname", "topology.kubernetes.io/zone"):
            if key not in keys:
                errors.append(f"{name}: no topology spread over {key}")
# Databases: prod runs each as a Galera cluster of three with a PDB, anti-affinity
# and a storage class; every service has a migration Job and a backup CronJob.
pdbs = {d["metadata"]["name"] for d in docs if d["kind"] == "PodDisruptionBudget"}
kinds = {(d["kind"], d["metadata"]["name"]) for d in docs}
for s in ("personnel", "workload", "transfer"):
    for need in (("Job", f"{s}-migrate"), ("CronJob", f"{s}-db-backup"), ("Service", f"{s}-db-rw")):
        if need not in kinds:
            errors.append(f"no {need[0]}/{need[1]}")
for d in docs:
    if d["kind"] != "StatefulSet" or not d["metadata"]["name"].endswith("-db"):
        continue
    name, spec = d["metadata"]["name"], d["spec"]
    pod = spec["template"]["spec"]
    if overlay != "prod":
        continue
    args = " ".join(pod["containers"][0].get("args", []))
    for flag in ("--wsrep-on=ON", "--wsrep-provider=", f"--wsrep-cluster-address=gcomm://{name}-0.{name}",
                 "--binlog-format=ROW", "--innodb-autoinc-lock-mode=2"):
        if flag not in args:
            errors.append(f"StatefulSet/{name}: Galera flag {flag} missing")
    if spec.get("replicas") != 3:
        errors.append(f"StatefulSet/{name}: prod database needs 3 replicas")
    if name not in pdbs:
        errors.append(f"StatefulSet/{name}: no PodDisruptionBudget")
    if "podAntiAffinity" not in pod.get("affinity", {}):
        errors.append(f"StatefulSet/{name}: no pod anti-affinity")
    if not all(v["spec"].get("storageClassName") for v in spec["volumeClaimTemplates"]):
        errors.append(f"StatefulSet/{name}: no storageClassName")
for e in errors:
    print(f"{overlay}: {e}")
sys.exit(1 if errors else 0)
