#!/usr/bin/env bash
# Renders each kustomize overlay and validates every object offline against the
# Kubernetes API schemas (npm kubernetes-models) and Seimbang's container rules.
# Usage: check-k8s.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1 work=$2
mkdir -p "$work"
cp "$src/tests/deploy/package.json" "$src/tests/deploy/package-lock.json" "$src/tests/deploy/validate-k8s.mjs" "$work/"
if [ ! -d "$work/node_modules/kubernetes-models" ]; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
fi
rendered=()
for overlay in "$src"/deploy/k8s/overlays/*/; do
  name=$(basename "$overlay")
  kubectl kustomize "$overlay" > "$work/$name.yaml" 2> "$work/$name.err" || { cat "$work/$name.err"; exit 1; }
  # Deprecated fields (bases, patchesStrategicMerge, ...) make kustomize warn.
  if [ -s "$work/$name.err" ]; then echo "kustomize $name printed:"; cat "$work/$name.err"; exit 1; fi
  python3 "$src/tests/deploy/check-k8s-rules.py" "$name" "$work/$name.yaml"
  rendered+=("$work/$name.yaml")
done
# dev and prod must both exist; --insecure-dev only in dev.
[ -f "$work/dev.yaml" ] && [ -f "$work/prod.yaml" ] || { echo "overlays dev and prod must both render"; exit 1; }
if grep -q SEIMBANG_INSECURE_DEV "$work/prod.yaml"; then echo "prod overlay enables --insecure-dev"; exit 1; fi
grep -q 'SEIMBANG_INSECURE_DEV: "true"' "$work/dev.yaml" || { echo "dev overlay should run with --insecure-dev"; exit 1; }
(cd "$work" && node validate-k8s.mjs "${rendered[@]}")
