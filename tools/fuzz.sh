#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz for a while each (`make fuzz`;
# `make test` runs it for 5 seconds as the CTest fuzz.smoke).
#
#   tools/fuzz.sh [--seconds N] [--build-dir DIR] [target...]
#
# Builds only the fuzz_<target> executables with clang in their own tree
# (default build-fuzz), fuzzes each for N seconds (default 60) from a copy of
# tests/fuzz/corpus/<target> plus its regressions, and exits non-zero naming
# the crasher files (DIR/artifacts/<target>-*) if any target crashed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=60
build_dir=$repo/build-fuzz
targets=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
jobs=${JOBS:-2}

mkdir -p "$build_dir"
if [[ ! -f $build_dir/build.ninja ]] || ! grep -q '^SEIMBANG_FUZZ:BOOL=ON' "$build_dir/CMakeCache.txt"; then
  CC=clang CXX=clang++ cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DSEIMBANG_FUZZ=ON -DCMAKE_PROJECT_INCLUDE="$repo/cmake/SeimbangFuzz.cmake" >"$build_dir/configure.log" 2>&1 ||
    { cat "$build_dir/configure.log" >&2; echo "fuzz.sh: configure failed" >&2; exit 1; }
fi

# Default: every fuzz target the tree defines (csv and planner only when their libraries exist).
if [[ ${#targets[@]} -eq 0 ]]; then
  mapfile -t targets < <(ninja -C "$build_dir" -t targets all | sed -n 's/^fuzz_\([a-z_]*\): .*/\1/p' | sort -u)
fi
if [[ ${#targets[@]} -eq 0 ]]; then
  echo "fuzz.sh: no fuzz targets defined" >&2
  exit 1
fi
cmake --build "$build_dir" -j "$jobs" --target "${targets[@]/#/fuzz_}"

mkdir -p "$build_dir/artifacts" "$build_dir/logs"
failed=()
for t in "${targets[@]}"; do
  work=$build_dir/corpus-work/$t
  mkdir -p "$work"
  # Seeds and past crashers; the repo's corpus is never written to.
  find "$repo/tests/fuzz/corpus/$t" "$repo/tests/fuzz/regressions/$t" -type f ! -name 'README*' \
    -exec cp -n -t "$work" {} + 2>/dev/null || true
  log=$build_dir/logs/$t.log
  rm -f "$build_dir/artifacts/$t-"*
  status=0
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} "$build_dir/bin/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$t-" "$work" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  if [[ $status -eq 0 ]]; then
    printf 'fuzz %-8s ok    %ss, %s runs, %s exec/s, %s\n' "$t" "$seconds" "${runs:-?}" "${rate:-?}" "${cov:-cov: ?}"
  else
    printf 'fuzz %-8s CRASH (exit %d); log %s\n' "$t" "$status" "$log"
    grep -m1 -E 'ERROR: |invariant failed|runtime error' "$log" || true
    for a in "$build_dir/artifacts/$t-"*; do
      [[ -e $a ]] && echo "  crasher: $a  (keep it: cp $a tests/fuzz/regressions/$t/)"
    done
    failed+=("$t")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: crashes in: ${failed[*]}" >&2
  exit 1
fi
