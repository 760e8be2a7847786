#!/usr/bin/env bash
# The Dockerfile stays buildable in principle (no container engine here): every
# file it copies from the repository exists, and every package it installs
# exists in Debian 12's archive (apt-cache of this Debian 12 machine).
# Usage: check-dockerfile.sh SOURCE_DIR
set -euo pipefail
src=$1
dockerfile="$src/deploy/docker/Dockerfile"
fail=0
# Files copied from the build context (not --from=stage copies).
while read -r path; do
  [ "$path" = "." ] && continue
  if [ ! -e "$src/$path" ]; then echo "COPY source missing: $path"; fail=1; fi
done < <(grep -E '^COPY ' "$dockerfile" | grep -v -- '--from=' | awk '{for (i=2; i<NF; i++) print $i}')
# Packages named on apt-get install lines of the runtime stage (the build stage runs tools/deps.sh).
pkgs=$(sed -n '/^FROM .* AS runtime/,$p' "$dockerfile" | grep -v '^#' | tr -d '\\' | tr '\n' ' ' |
       sed -E 's/.*apt-get install -y --no-install-recommends (.*)&& rm -rf.*/\1/' | tr -s ' ' '\n' |
       grep -v '^$' | sort -u)
[ -n "$pkgs" ] || { echo "no runtime packages found in $dockerfile"; exit 1; }
for p in $pkgs; do
  if ! apt-cache show "$p" > /dev/null 2>&1; then echo "package not in the archive: $p"; fail=1; fi
done
# The build stage installs exactly what make deps installs.
grep -q 'tools/deps.sh' "$dockerfile" || { echo "build stage does not use tools/deps.sh"; fail=1; }
grep -qE '^USER [0-9]+' "$dockerfile" || { echo "runtime stage must run as a numeric non-root user"; fail=1; }
[ $fail -eq 0 ] && echo "Dockerfile: $(echo $pkgs | wc -w) runtime packages exist, every COPY source exists"
exit $fail
