#!/usr/bin/env bash
# Throwaway MariaDB for the test suite (CTest fixtures mariadb.start / mariadb.stop).
#
#   mariadb.sh start DIR   install a fresh server in DIR/data, listen on 127.0.0.1:<free port>
#                          and DIR/mysqld.sock, create user seimbang, write DIR/dsn and
#                          DIR/socket_dsn (base DSNs without a database name)
#   mariadb.sh stop DIR    shut it down and remove DIR
#   mariadb.sh kill DIR    SIGKILL the server (a crash), keep DIR and its data (fault tests)
#   mariadb.sh restart DIR start the server again on DIR's data, socket and port
#
# A watchdog kills the server after SEIMBANG_MARIADB_TTL seconds (default 45 min) or as soon
# as DIR disappears, so a test run that dies never leaves a server behind.
# SEIMBANG_MARIADB_BUFFER_POOL / SEIMBANG_MARIADB_LOG_FILE_SIZE (default 32M / 16M, small for
# tests) let benchmarks size InnoDB for province-scale data (bench/import).
set -euo pipefail

readonly TTL="${SEIMBANG_MARIADB_TTL:-2700}"
readonly BUFFER_POOL="${SEIMBANG_MARIADB_BUFFER_POOL:-32M}"
readonly LOG_FILE_SIZE="${SEIMBANG_MARIADB_LOG_FILE_SIZE:-16M}"
readonly USER_NAME=seimbang

die() { echo "mariadb.sh: $*" >&2; exit 1; }

find_binary() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    if [[ -x "/usr/sbin/$name" ]]; then echo "/usr/sbin/$name"; return 0; fi
  done
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

server_pid() {
  local dir="$1"
  [[ -f "$dir/mysqld.pid" ]] && cat "$dir/mysqld.pid" 2>/dev/null || true
}

stop_server() {
  local dir="$1" pid admin
  pid="$(server_pid "$dir")"
  if [[ -S "$dir/mysqld.sock" ]] && admin="$(find_binary mariadb-admin mysqladmin)"; then
    "$admin" --no-defaults --protocol=socket --socket="$dir/mysqld.sock" -uroot \
      --connect-timeout=5 shutdown >/dev/null 2>&1 || true
  fi
  if [[ -n "$pid" ]]; then
    local i
    for i in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  if [[ -f "$dir/watchdog.pid" ]]; then
    kill "$(cat "$dir/watchdog.pid")" 2>/dev/null || true
  fi
}

# Starts mariadbd on DIR's data and waits until it answers on its socket.
launch_server() {
  local dir="$1" port="$2" mariadbd log="$1/error.log"
  launched=""
  mariadbd="$(find_binary mariadbd mysqld)" || die "mariadbd not found (apt-get install mariadb-server)"
  # setsid: the server must not die with the CTest process group, only with the watchdog/stop.
  setsid "$mariadbd" --no-defaults --user=root --datadir="$dir/data" --tmpdir="$dir/tmp" \
    --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --log-error="$log" \
    --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
    --innodb-buffer-pool-size="$BUFFER_POOL" --innodb-log-file-size="$LOG_FILE_SIZE" --innodb-flush-log-at-trx-commit=2 \
    --max-connections=200 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --skip-log-bin </dev/null >/dev/null 2>&1 &
  launched=$!  # global: start_watchdog falls back to it without a pid file

  local client
  client="$(find_binary mariadb mysql)" || die "mariadb client not found"
  local deadline=$((SECONDS + 60))
  until "$client" --no-defaults --protocol=socket --socket="$dir/mysqld.sock" -uroot \
      --connect-timeout=2 -e 'SELECT 1' >/dev/null 2>&1; do
    if ((SECONDS >= deadline)) || ! kill -0 "$launched" 2>/dev/null; then
      echo "---- $log ----" >&2
      cat "$log" >&2 2>/dev/null || true
      kill -9 "$launched" 2>/dev/null || true
      die "MariaDB did not answer within 60 s"
    fi
    sleep 0.2
  done
}

# Detached: kills the server when DIR vanishes or the TTL expires; ends with the server.
start_watchdog() {
  local dir="$1" pid
  pid="$(server_pid "$dir")"
  [[ -n "$pid" ]] || pid="$launched"
  setsid bash -c '
    dir="$1"; pid="$2"; ttl="$3"; end=$((SECONDS + ttl))
    while kill -0 "$pid" 2>/dev/null; do
      if [[ ! -d "$dir" ]] || ((SECONDS >= end)); then
        kill "$pid" 2>/dev/null; sleep 5; kill -9 "$pid" 2>/dev/null; exit 0
      fi
      sleep 2
    done' watchdog "$dir" "$pid" "$TTL" </dev/null >/dev/null 2>&1 &
  echo $! >"$dir/watchdog.pid"
}

start() {
  local dir="$1"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  # Starting twice replaces the old server.
  stop_server "$dir"
  rm -rf "$dir"
  mkdir -p "$dir/data" "$dir/tmp"

  local mariadbd install_db port password log
  mariadbd="$(find_binary mariadbd mysqld)" || die "mariadbd not found (apt-get install mariadb-server)"
  install_db="$(find_binary mariadb-install-db mysql_install_db)" || die "mariadb-install-db not found"
  port="$(free_port)"
  password="pw$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  log="$dir/error.log"

  if ! "$install_db" --no-defaults --user=root --datadir="$dir/data" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1; then
    cat "$dir/install.log" >&2
    die "mariadb-install-db failed"
  fi

  launch_server "$dir" "$port"

  local client
  client="$(find_binary mariadb mysql)" || die "mariadb client not found"
  "$client" --no-defaults --protocol=socket --socket="$dir/mysqld.sock" -uroot <<SQL
CREATE USER '$USER_NAME'@'%' IDENTIFIED BY '$password';
CREATE USER '$USER_NAME'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER '$USER_NAME'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'localhost' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL

  echo "mysql://$USER_NAME:$password@127.0.0.1:$port/" >"$dir/dsn"
  echo "mysql://$USER_NAME:$password@localhost/?socket=$dir/mysqld.sock" >"$dir/socket_dsn"

  start_watchdog "$dir"
  local pid
  pid="$(server_pid "$dir")"

  echo "MariaDB ready on 127.0.0.1:$port and $dir/mysqld.sock (pid $pid)"
}

stop() {
  local dir="$1"
  [[ -d "$dir" ]] || { echo "nothing to stop in $dir"; return 0; }
  dir="$(cd "$dir" && pwd)"
  stop_server "$dir"
  rm -rf "$dir"
  echo "MariaDB in $dir stopped"
}

kill_server() {
  local dir="$1" pid
  [[ -d "$dir" ]] || die "no server in $dir"
  pid="$(server_pid "$dir")"
  [[ -n "$pid" ]] || die "no pid file in $dir"
  kill -9 "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && die "server $pid survived SIGKILL"
  echo "MariaDB in $dir killed (pid $pid)"
}

restart() {
  local dir="$1" port
  [[ -f "$dir/dsn" ]] || die "no server was started in $dir"
  dir="$(cd "$dir" && pwd)"
  stop_server "$dir"
  port="$(sed -E 's|.*@127\.0\.0\.1:([0-9]+)/.*|\1|' "$dir/dsn")"
  launch_server "$dir" "$port"
  start_watchdog "$dir"
  echo "MariaDB restarted on 127.0.0.1:$port (pid $(server_pid "$dir"))"
}

[[ $# -eq 2 ]] || die "usage: mariadb.sh start|stop|kill|restart DIR"
case "$1" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  kill) kill_server "$2" ;;
  restart) restart "$2" ;;
  *) die "usage: mariadb.sh start|stop|kill|restart DIR" ;;
esac
