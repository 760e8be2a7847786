#!/usr/bin/env bash
# Restores a backup written by backup.sh (README, Operations: Restore).
#
#   restore.sh FILE.sql.gz [mariadb client options...]
#
# The dump recreates its database (CREATE DATABASE IF NOT EXISTS, then each table
# dropped and recreated), so restore into a stopped service. Password from MYSQL_PWD.
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: restore.sh FILE.sql.gz [client options...]" >&2; exit 2; }
file=$1
shift
client=$(command -v mariadb || command -v mysql)
gzip -t "$file"
gunzip -c "$file" | "$client" "$@"
echo "restore.sh: restored $file"
