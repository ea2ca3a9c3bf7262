# Shared helpers of the load scenarios (sourced, not run). Starts `spoils serve` on 127.0.0.1,
# runs `spoils load`, reads numbers out of its report.json. Needs bash, curl and python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
spoils="$root/bin/spoils"
PORT="${PORT:-18080}"
STUDY="${STUDY:-$root/gateway/examples/spider/slice.dcm}"
server_pid=""

# start_server [VAR=value ...]: serve in the background with the given SPOILS_* settings (and the
# JVM options of SERVER_JAVA_OPTS, e.g. -Xmx320m); waits for /health/ready (at most 120 s). The
# server is stopped when the script exits.
start_server() {
  stop_server
  env SPOILS_JAVA_OPTS="${SERVER_JAVA_OPTS:-}" "$@" SPOILS_HOST=127.0.0.1 SPOILS_PORT="$PORT" "$spoils" serve >"${OUT:-/tmp}/server.log" 2>&1 &
  server_pid=$!
  trap stop_server EXIT
  for _ in $(seq 1 240); do
    if curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "server did not start; see ${OUT:-/tmp}/server.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "server not ready after 120 s" >&2
  return 1
}

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

# load DIR ARGS...: one `spoils load` run writing DIR/report.{json,html,png}; prints the table.
load() {
  local dir="$1"
  shift
  "$spoils" load --target "127.0.0.1:$PORT" --out "$dir" "$@" "$STUDY"
}

# json FILE EXPR: a value of the report, EXPR in Python on the parsed object r, e.g. r["latencyMs"]["p99"]
json() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# machine: one line describing this machine (CPU model, cores, memory, load average)
machine() {
  local cpu cores mem
  cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  cores="$(nproc)"
  mem="$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "$cpu, $cores cores, $mem RAM, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
}
