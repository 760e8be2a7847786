#!/usr/bin/env bash
# Generates Python stubs of every contract into $1 (default build/python), for
# integration tests and for integrators who use Python.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/python}"
mkdir -p "$out"
# Everything the contracts use, google/rpc included (google.rpc.Status and BadRequest, the
# error details every INVALID_ARGUMENT carries): Debian ships no Python googleapis package.
mapfile -t protos < <(find proto/seimbang proto/google -name '*.proto' -not -path 'proto/seimbang/testing/*' | sort)
# Debian's interpreter: the grpc packages come from apt, not pip.
/usr/bin/python3 -m grpc_tools.protoc -Iproto --python_out="$out" --grpc_python_out="$out" "${protos[@]}"
# Make every generated folder of ours an importable package; google/ stays a namespace
# package, so google.protobuf (from python3-protobuf) and google.rpc (here) both import.
find "$out/seimbang" -type d -exec touch {}/__init__.py \;
echo "python stubs in $out"
