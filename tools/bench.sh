#!/usr/bin/env bash
# Runs every committed benchmark binary (build/bin/bench/*) and prints its figures.
# Results worth keeping go to bench/RESULTS.md with this command, the date and the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin_dir="${BUILD_DIR:-build}/bin/bench"
shopt -s nullglob
benches=("$bin_dir"/*)
if [ ${#benches[@]} -eq 0 ]; then
  echo "no benchmark binaries in $bin_dir: run make build first" >&2
  exit 1
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
for b in "${benches[@]}"; do
  echo "== $(basename "$b")"
  "$b" ${BENCH_ARGS:-}
done
