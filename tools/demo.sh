#!/usr/bin/env bash
# `make demo`: Seimbang rebalancing Kota Makassar on the embedded SQLite stores.
# Starts the three services on 127.0.0.1, generates the Makassar dataset, imports
# it, runs the workload analysis, plans transfers with the default policy, prints
# the outcome and writes the HTML report. --keep-running leaves the services up.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BUILD_DIR:-build}/bin"
DEMO=var/demo
KEEP=0
[ "${1:-}" = "--keep-running" ] && KEEP=1
AGENCY=73.71
AS_OF=2026-10-31
EFFECTIVE=2027-01-01

rm -rf "$DEMO"
mkdir -p "$DEMO/data" "$DEMO/logs"
start_time=$(date +%s)

# A throwaway signing key: the demo uses real tokens, not --insecure-dev.
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$DEMO/hs256.secret"
AUTH=(--auth-hs256-secret-file="$DEMO/hs256.secret")
"$BIN/seimbangctl" token --role service --secret-file "$DEMO/hs256.secret" --ttl 2h > "$DEMO/service.token"
export SEIMBANG_TOKEN
SEIMBANG_TOKEN=$("$BIN/seimbangctl" token --role operator --agency "$AGENCY" --secret-file "$DEMO/hs256.secret" --ttl 2h)
ADMIN_TOKEN=$("$BIN/seimbangctl" token --role admin --secret-file "$DEMO/hs256.secret" --ttl 2h)
APPROVER_TOKEN=$("$BIN/seimbangctl" token --role approver --agency "$AGENCY" --secret-file "$DEMO/hs256.secret" --ttl 2h)

pids=()
stop_services() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap 'stop_services' EXIT

start() {  # name port metrics_port extra...
  local name=$1 port=$2 mport=$3; shift 3
  "$BIN/$name-service" --listen=127.0.0.1:$port --metrics-listen=127.0.0.1:$mport \
    --db="sqlite:$DEMO/$name.db" "${AUTH[@]}" --port-file="$DEMO/$name.port" "$@" \
    2> "$DEMO/logs/$name.log" &
  pids+=($!)
}
start personnel 17001 19101
start workload 17002 19102 --personnel-addr=127.0.0.1:17001 --service-token-file="$DEMO/service.token"
start transfer 17003 19103 --personnel-addr=127.0.0.1:17001 --workload-addr=127.0.0.1:17002 \
  --service-token-file="$DEMO/service.token"
for name in personnel workload transfer; do
  for _ in $(seq 100); do [ -s "$DEMO/$name.port" ] && break; sleep 0.1; done
  [ -s "$DEMO/$name.port" ] || { echo "$name-service tidak mau jalan:"; cat "$DEMO/logs/$name.log"; exit 1; }
done
export SEIMBANG_PERSONNEL_ADDR=127.0.0.1:17001 SEIMBANG_WORKLOAD_ADDR=127.0.0.1:17002 SEIMBANG_TRANSFER_ADDR=127.0.0.1:17003
CTL="$BIN/seimbangctl"
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

echo "== 1. Membuat data contoh Kota Makassar"
"$BIN/seimbang-datagen" --profile makassar --seed 1 --out "$DEMO/data"
echo "== 2. Mengimpor: katalog jabatan (milik bersama semua instansi) sebagai admin, lalu instansinya sebagai operator"
# Only an admin writes the shared position catalogue (SECURITY.md, issue 15 item 4): the admin
# loads positions.csv (the other files header-only), and the operator's import finds it unchanged.
mkdir -p "$DEMO/catalogue"
for f in agencies units employees workloads signals; do head -n 1 "$DEMO/data/$f.csv" > "$DEMO/catalogue/$f.csv"; done
cp "$DEMO/data/positions.csv" "$DEMO/catalogue/positions.csv"
SEIMBANG_TOKEN="$ADMIN_TOKEN" "$CTL" import "$DEMO/catalogue"
"$CTL" import "$DEMO/data"
echo "== 3. Analisis beban kerja (ABK) per $AS_OF"
RUN=$("$CTL" --output json analysis run --agency "$AGENCY" --as-of "$AS_OF" --label demo | json 'd["runId"]')
"$CTL" analysis show "$RUN"
echo "== 4. Menyusun rencana mutasi dengan kebijakan bawaan"
POLICY=$("$CTL" --output json policy create --agency "$AGENCY" --name "Kebijakan bawaan" | json 'd["id"]')
PLAN=$("$CTL" --output json plan create --agency "$AGENCY" --run "$RUN" --policy "$POLICY" --effective "$EFFECTIVE" | json 'd["id"]')
"$CTL" plan show "$PLAN"
echo "== 5. Sepuluh mutasi terpenting"
"$CTL" plan moves "$PLAN" --top 10
echo "== 6. Dinas Pekerjaan Umum"
"$CTL" plan story "$PLAN" --unit-name "Dinas Pekerjaan Umum"
"$CTL" report "$PLAN" --out "$DEMO/report.html"
echo
echo "Laporan: $DEMO/report.html"
echo "Metrik:  http://127.0.0.1:19101/metrics  http://127.0.0.1:19102/metrics  http://127.0.0.1:19103/metrics"
echo "Demo selesai dalam $(( $(date +%s) - start_time )) detik setelah build."
if [ "$KEEP" = 1 ]; then
  trap - EXIT
  echo
  echo "Layanan tetap berjalan (pid ${pids[*]}). Coba:"
  echo "  export SEIMBANG_PERSONNEL_ADDR=127.0.0.1:17001 SEIMBANG_WORKLOAD_ADDR=127.0.0.1:17002 SEIMBANG_TRANSFER_ADDR=127.0.0.1:17003"
  echo "  export SEIMBANG_TOKEN=\$($CTL token --role operator --agency $AGENCY --secret-file $DEMO/hs256.secret)"
  echo "  $CTL employees list --agency $AGENCY --unit 'Dinas Kesehatan' --family kesehatan"
  echo "  $CTL plan list --agency $AGENCY"
  echo "  $CTL plan show $PLAN"
  echo "  $CTL help"
  echo "Hentikan dengan: kill ${pids[*]}"
fi
