#!/usr/bin/env bash
# Backup/restore round trip (issue 20): a private MariaDB from tests/harness/mariadb.sh,
# a database with rows, deploy/k8s/base/backup/backup.sh (what the CronJob runs), DROP DATABASE,
# deploy/k8s/base/backup/restore.sh (what README describes), then the rows' count and checksum.
#   round_trip.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1 work=$2
server="$work/server"
rm -rf "$work"; mkdir -p "$work"
trap '"$src/tests/harness/mariadb.sh" stop "$server" >/dev/null 2>&1 || true' EXIT
"$src/tests/harness/mariadb.sh" start "$server"
client=(--no-defaults --protocol=socket --socket="$server/mysqld.sock" -uroot)
sql() { mariadb "${client[@]}" -N -B -e "$1"; }
sql "CREATE DATABASE backup_rt; CREATE TABLE backup_rt.t (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
     INSERT INTO backup_rt.t SELECT seq, CONCAT('pegawai-', seq) FROM backup_rt.seq_1_to_1000;"
summary() { sql "SELECT COUNT(*), SUM(CRC32(CONCAT(id, ':', name))) FROM backup_rt.t"; }
before=$(summary)
# An old backup that retention must delete, and one inside the window it keeps.
mkdir -p "$work/backups"
echo stale | gzip > "$work/backups/backup_rt-20000101T000000Z.sql.gz"
touch -d '10 days ago' "$work/backups/backup_rt-20000101T000000Z.sql.gz"
"$src/deploy/k8s/base/backup/backup.sh" "$work/backups" 7 backup_rt "${client[@]}"
[[ ! -e "$work/backups/backup_rt-20000101T000000Z.sql.gz" ]] || { echo "retention kept a 10-day-old backup"; exit 1; }
file=$(ls "$work"/backups/backup_rt-*.sql.gz)
[[ $(echo "$file" | wc -l) -eq 1 ]] || { echo "expected one backup, got: $file"; exit 1; }
sql "DROP DATABASE backup_rt"
[[ -z $(sql "SHOW DATABASES LIKE 'backup_rt'") ]] || { echo "drop failed"; exit 1; }
"$src/deploy/k8s/base/backup/restore.sh" "$file" "${client[@]}"
after=$(summary)
echo "before: $before  after: $after"
[[ "$before" == "$after" ]] || { echo "restored rows differ"; exit 1; }
echo "round trip OK"
