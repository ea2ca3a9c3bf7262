#!/usr/bin/env bash
# Gateway overhead and memory at 64 concurrent studies. One server with the simulated backend at
# LATENCY_MS (20) and admission for 64 (SPOILS_MAX_IN_FLIGHT=64, SPOILS_MAX_QUEUED=64); a closed-model
# run at CONCURRENCY (64) streams over gRPC for DURATION (60s) after WARMUP (10s). While it runs, the
# server's VmRSS (from /proc/<pid>/status) and spoils_studies_in_flight (from /metrics) are sampled
# twice a second; VmHWM is read at the end. Prints and writes $OUT/overhead/overhead.json:
#   overheadP99Ms      client p99 minus LATENCY_MS (the aim: <= 1 ms)
#   modelFloorMs       the simulated time a study cannot avoid: 2 sequential calls (segmentation,
#                      then one grading batch) = 2 x LATENCY_MS
#   serverTotalMs      the server's own STAGE_TOTAL (request received to summary) p50/p99
#   transportP50Ms     client p50 minus server STAGE_TOTAL p50 (wire, framing, admission)
#   cpuMsPerStudy      gateway process CPU time (utime+stime) over the measured window / studies
#   rssMaxMiB, vmHwmMiB  resident memory at 64 in flight (the aim: <= 512 MiB)
source "$(dirname "$0")/lib.sh"
OUT="${OUT:-$root/load-tests/target/scenarios}"
mkdir -p "$OUT/overhead"
latency="${LATENCY_MS:-20}"
conc="${CONCURRENCY:-64}"
# 320 MiB heap: the smallest that served 64 in-flight one-slice studies without OutOfMemoryError
# (256 MiB failed), with requests parsed in place and gRPC calls admitted from their headers
export SPOILS_HEAP="${SPOILS_HEAP:-320m}"
start_server SPOILS_BACKEND=simulated SPOILS_SIMULATED_LATENCY_MS="$latency" \
  SPOILS_MAX_IN_FLIGHT="$conc" SPOILS_MAX_QUEUED="$conc" SPOILS_TIMEOUT_SECONDS=600
# bin/spoils execs java, so the background job's pid is the server's JVM
pid="$server_pid"
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
samples="$OUT/overhead/samples.tsv"
: >"$samples"
(
  while kill -0 "$pid" 2>/dev/null; do
    rss="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
    inflight="$(curl -sf "http://127.0.0.1:$PORT/metrics" 2>/dev/null \
      | awk '/^spoils_studies_in_flight/ {print $2}' || true)"
    printf '%s\t%s\t%s\n' "$(date +%s.%N)" "$rss" "${inflight:-0}" >>"$samples"
    sleep 0.5
  done
) &
sampler=$!
warm="${WARMUP:-10s}"
t_start="$(date +%s.%N)"
cpu_start="$(ticks)"
# the CPU window starts after the warm-up: sleep it off in the background and read the ticks then
( sleep "$(python3 -c "import sys; s='$warm'; print(float(s[:-2])/1000 if s.endswith('ms') else float(s.rstrip('s')))")"; ticks >"$OUT/overhead/cpu_after_warmup" ) &
load "$OUT/overhead/run" --concurrency "$conc" --duration "${DURATION:-60s}" --warmup "$warm" \
  --odi 45 --nrs 6 --timeout 600s
cpu_end="$(ticks)"
hwm="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
kill "$sampler" 2>/dev/null || true
python3 - "$OUT/overhead" "$latency" "$conc" "$(getconf CLK_TCK)" "${cpu_start}" \
  "$(cat "$OUT/overhead/cpu_after_warmup" 2>/dev/null || echo "$cpu_start")" "$cpu_end" "$hwm" \
  "$(machine)" <<'PY'
import json, sys
d, latency, conc, hz = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
cpu_start, cpu_warm, cpu_end, hwm, machine = (int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]),
                                              int(sys.argv[8]), sys.argv[9])
r = json.load(open(d + "/run/report.json"))
rows = [l.split("\t") for l in open(d + "/samples.tsv") if l.strip()]
rss = [int(x[1]) for x in rows if x[1].isdigit()]
inflight = [float(x[2]) for x in rows if x[2].strip()]
ok = r["requests"]["ok"]
total = r["serverStagesMs"].get("STAGE_TOTAL", {"p50": 0, "p99": 0})
out = {
    "simulatedLatencyMs": latency, "concurrency": conc, "protocol": r["protocol"],
    "okStudies": ok, "errors": r["requests"]["errors"], "rejected": r["requests"]["rejected"],
    "throughputPerSecond": r["throughputPerSecond"],
    "clientLatencyMs": {k: r["latencyMs"][k] for k in ("p50", "p90", "p99", "max")},
    "overheadP99Ms": round(r["latencyMs"]["p99"] - latency, 3),
    "modelFloorMs": 2 * latency,
    "overheadOverFloorP99Ms": round(r["latencyMs"]["p99"] - 2 * latency, 3),
    "serverTotalMs": {"p50": total["p50"], "p99": total["p99"]},
    "transportP50Ms": round(r["latencyMs"]["p50"] - total["p50"], 3),
    "serverStageMeansMs": {k: v["mean"] for k, v in r["serverStagesMs"].items()},
    "cpuMsPerStudy": round((cpu_end - cpu_warm) * 1000.0 / hz / ok, 2) if ok else None,
    "maxStudiesInFlight": max(inflight) if inflight else None,
    "rssMaxMiB": round(max(rss) / 1024, 1) if rss else None,
    "vmHwmMiB": round(hwm / 1024, 1),
    "aims": {"overheadP99Ms<=1": r["latencyMs"]["p99"] - latency <= 1,
             "rssMiB<=512": (max(rss) / 1024 if rss else 1e9) <= 512},
    "heap": __import__("os").environ.get("SPOILS_HEAP", ""),
    "machine": machine,
}
json.dump(out, open(d + "/overhead.json", "w"), indent=2)
print(json.dumps(out, indent=2))
PY
echo "wrote $OUT/overhead/overhead.json"
