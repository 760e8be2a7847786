#!/usr/bin/env bash
# Logical backup of one database, run by the backup CronJob (deploy/k8s) and by
# tests/backup/round_trip.sh.
#
#   backup.sh DIR RETENTION_DAYS DATABASE [mariadb client options...]
#
# Writes DIR/DATABASE-<UTC time>.sql.gz (a consistent snapshot: --single-transaction),
# first to a .partial file renamed when complete, then deletes DATABASE's backups
# older than RETENTION_DAYS days. The password, if any, comes from MYSQL_PWD.
set -euo pipefail
[[ $# -ge 3 ]] || { echo "usage: backup.sh DIR RETENTION_DAYS DATABASE [client options...]" >&2; exit 2; }
dir=$1 days=$2 db=$3
shift 3
[[ $days =~ ^[0-9]+$ ]] || { echo "backup.sh: RETENTION_DAYS must be a number" >&2; exit 2; }
dump=$(command -v mariadb-dump || command -v mysqldump)
mkdir -p "$dir"
out="$dir/$db-$(date -u +%Y%m%dT%H%M%SZ).sql.gz"
"$dump" "$@" --single-transaction --routines --triggers --events --databases "$db" \
  | gzip -c > "$out.partial"
mv "$out.partial" "$out"
echo "backup.sh: wrote $out ($(stat -c %s "$out") bytes)"
find "$dir" -maxdepth 1 -name "$db-*.sql.gz" -mtime +"$days" -print -delete
