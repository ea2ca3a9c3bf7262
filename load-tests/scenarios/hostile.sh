#!/usr/bin/env bash
# Hostile clients beside normal traffic (issue 14). One server with the container image's JVM
# flags at a 2 GiB limit (SERVER_JAVA_OPTS, default -XX:MaxRAM=2g -XX:MaxRAMPercentage=60
# -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError), the default limits and the simulated backend at
# 20 ms. First a closed-model HTTP run at CONCURRENCY (2) measures the unloaded p99; then the same
# run again while hostile.py sends SLOW (4) uploads at one byte per 500 ms, BOMBS (1) deflated
# decompression bombs (256 MiB of pixels in about 250 kB) and BIG (2) 70 MiB uploads (half
# chunked), each sent again PAUSE (0) seconds after its answer. PASS when normal studies keep their
# p99 within ACCEPT_RATIO (2) x the unloaded p99, none is refused or fails, and the server is still
# ready and never ran out of memory.
# Writes $OUT/hostile/{unloaded,loaded}/, hostile.json and verdict.json; exit 0 on PASS, 1 on FAIL.
source "$(dirname "$0")/lib.sh"
OUT="${OUT:-$root/load-tests/target/scenarios}"
mkdir -p "$OUT/hostile"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--XX:MaxRAM=2g -XX:MaxRAMPercentage=60 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError}"
start_server SPOILS_BACKEND="${BACKEND:-simulated}" SPOILS_SIMULATED_LATENCY_MS="${LATENCY_MS:-20}"
duration="${DURATION:-20s}"
seconds="${duration%s}"
load "$OUT/hostile/unloaded" --protocol http --concurrency "${CONCURRENCY:-2}" \
  --duration "$duration" --warmup "${WARMUP:-5s}" --format json >/dev/null
python3 "$(dirname "$0")/hostile.py" "$PORT" "$((seconds + 10))" "${SLOW:-4}" "${BOMBS:-1}" \
  "${BIG:-2}" "${PAUSE:-0}" >"$OUT/hostile/hostile.json" &
hostile=$!
sleep 5
load "$OUT/hostile/loaded" --protocol http --concurrency "${CONCURRENCY:-2}" \
  --duration "$duration" --format json >/dev/null
wait "$hostile" || true
ready=false
curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && ready=true
oom=false
grep -q "OutOfMemoryError" "$OUT/server.log" && oom=true
python3 - "$OUT/hostile" "${ACCEPT_RATIO:-2}" "$ready" "$oom" "$(machine)" <<'PY'
import json, sys
d, ratio, ready, oom, machine = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "true", sys.argv[4] == "true", sys.argv[5]
unloaded = json.load(open(d + "/unloaded/report.json"))
loaded = json.load(open(d + "/loaded/report.json"))
hostile = json.load(open(d + "/hostile.json"))
checks = {
    "p99WithinRatio": loaded["latencyMs"]["p99"] <= ratio * unloaded["latencyMs"]["p99"],
    "noNormalRefused": loaded["requests"]["rejected"] == 0,
    "noNormalErrors": loaded["requests"]["errors"] == 0,
    "serverReady": ready, "noOutOfMemory": not oom,
}
verdict = {"pass": all(checks.values()), "checks": checks,
           "unloadedP99Ms": unloaded["latencyMs"]["p99"], "loadedP99Ms": loaded["latencyMs"]["p99"],
           "unloadedPerSecond": unloaded["throughputPerSecond"],
           "loadedPerSecond": loaded["throughputPerSecond"], "loadedRequests": loaded["requests"],
           "hostile": hostile, "machine": machine}
json.dump(verdict, open(d + "/verdict.json", "w"), indent=2)
print(("PASS" if verdict["pass"] else "FAIL") + ": normal p99 %.1f ms unloaded, %.1f ms beside the hostile "
      "clients (bound %.1f); normal %s; hostile %s; ready %s, OOM %s"
      % (verdict["unloadedP99Ms"], verdict["loadedP99Ms"], ratio * verdict["unloadedP99Ms"],
         loaded["requests"], hostile, ready, oom))
sys.exit(0 if verdict["pass"] else 1)
PY
