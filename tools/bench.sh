#!/usr/bin/env bash
# Runs every committed benchmark binary (build/bin/bench/*) and prints its figures, then one
# table of issue #22's items, each against its limit with the ratio, gathered from the limit
# lines the benchmarks print (bench/limits/limits.h).
# By default the run includes the national scale (import_bench --profile all: Makassar,
# province and national; planner_compare at national scale for Seimbang alone): about 25
# minutes on 2 cores. BENCH_SCALE=quick leaves national out (a few minutes; the summary then
# has no national lines for items 3-6).
# Results worth keeping go to bench/RESULTS.md with this command, the date and the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin_dir="${BUILD_DIR:-build}/bin/bench"
scale="${BENCH_SCALE:-full}"
case "$scale" in full | quick) ;; *)
  echo "BENCH_SCALE is full or quick, not '$scale'" >&2
  exit 2
  ;;
esac
shopt -s nullglob
benches=("$bin_dir"/*)
if [ ${#benches[@]} -eq 0 ]; then
  echo "no benchmark binaries in $bin_dir: run make build first" >&2
  exit 1
fi
log="$(mktemp /tmp/seimbang-bench-XXXXXX.log)"
trap 'rm -f "$log"' EXIT
failed=()
run() {
  echo "== $*"
  if ! "$@" 2>&1 | tee -a "$log"; then
    failed+=("$(basename "$1")")
  fi
}
{
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
  echo "started: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$log"
for b in "${benches[@]}"; do
  name="$(basename "$b")"
  # shellcheck disable=SC2086 # BENCH_ARGS is a list of flags.
  if [ "$name" = import_bench ] && [ "$scale" = full ]; then
    run "$b" --profile all ${BENCH_ARGS:-}
  else
    run "$b" ${BENCH_ARGS:-}
  fi
  if [ "$name" = planner_compare ] && [ "$scale" = full ]; then
    # Issue #22 item 6: the national plan against 30 s and 4 GiB (its defaults at this scale).
    run "$b" --scale national --methods seimbang --time-limit 400 --mem-limit-gib 12
  fi
done
echo
echo "== issue #22: each item against its limit, this run ($(date -u '+%Y-%m-%d %H:%M UTC') end)"
echo "# item | figure | value | limit | ratio (value / limit) | verdict"
grep -a '^#22 limit | ' "$log" | sed 's/^#22 limit | //' | sort -s -t'|' -k1,1 || true
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
