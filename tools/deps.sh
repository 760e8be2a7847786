#!/usr/bin/env bash
# Installs the Debian packages Seimbang needs; does nothing when they are all there.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev libabsl-dev
  libmysqlcppconn-dev prometheus-cpp-dev liblemon-dev libjwt-dev libjansson-dev libsqlite3-dev libssl-dev libmstch-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  mariadb-server mariadb-client
  python3 python3-grpcio python3-grpc-tools python3-protobuf
  openssl coinor-cbc prometheus chromium fonts-dejavu-core
)
# Tools the image may already carry from elsewhere: install Debian's only when absent.
command -v kubectl >/dev/null 2>&1 || PACKAGES+=(kubernetes-client)
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d keeps apt from starting a system-wide MariaDB: tests start their own.
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
