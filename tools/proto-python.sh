#!/usr/bin/env bash
# Generates Python stubs of every contract into $1 (default build/python), for
# integration tests and for integrators who use Python.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/python}"
mkdir -p "$out"
mapfile -t protos < <(find proto/seimbang -name '*.proto' -not -path 'proto/seimbang/testing/*' | sort)
# Debian's interpreter: the grpc packages come from apt, not pip.
/usr/bin/python3 -m grpc_tools.protoc -Iproto --python_out="$out" --grpc_python_out="$out" "${protos[@]}"
# Make every generated folder an importable package.
find "$out/seimbang" -type d -exec touch {}/__init__.py \;
echo "python stubs in $out"
