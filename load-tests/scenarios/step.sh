#!/usr/bin/env bash
# Step load to saturation: one server (simulated backend at 20 ms unless BACKEND is set, admission
# raised so nothing is rejected), then closed-model runs at increasing concurrency (STEPS, default
# "1 2 4 8 16"), or open-model runs at increasing RATES ("RATES=1 2 4 8"). Collects one JSON per
# step under $OUT/step/ and prints throughput and latency per step: throughput stops growing at
# saturation while latency keeps growing.
source "$(dirname "$0")/lib.sh"
OUT="${OUT:-$root/load-tests/target/scenarios}"
mkdir -p "$OUT/step"
start_server SPOILS_BACKEND="${BACKEND:-simulated}" SPOILS_SIMULATED_LATENCY_MS="${LATENCY_MS:-20}" \
  SPOILS_MAX_IN_FLIGHT="${MAX_IN_FLIGHT:-64}" SPOILS_MAX_QUEUED="${MAX_QUEUED:-256}"
results=()
if [ -n "${RATES:-}" ]; then
  for r in $RATES; do
    load "$OUT/step/rate-$r" --rate "$r" --concurrency 256 --duration "${DURATION:-20s}" \
      --warmup "${WARMUP:-3s}" --format json >/dev/null
    results+=("$OUT/step/rate-$r/report.json")
  done
else
  for c in ${STEPS:-1 2 4 8 16}; do
    load "$OUT/step/concurrency-$c" --concurrency "$c" --duration "${DURATION:-20s}" \
      --warmup "${WARMUP:-3s}" --format json >/dev/null
    results+=("$OUT/step/concurrency-$c/report.json")
  done
fi
printf '%-8s %-6s %10s %10s %10s %10s %8s\n' model level "studies/s" "p50 ms" "p99 ms" "max ms" rejected
for f in "${results[@]}"; do
  json "$f" '"%-8s %-6s %10.2f %10.1f %10.1f %10.1f %8d" % (r["model"], (r["rate"] if r["rate"] else r["concurrency"]), r["throughputPerSecond"], r["latencyMs"]["p50"], r["latencyMs"]["p99"], r["latencyMs"]["max"], r["requests"]["rejected"])'
done
python3 - "$OUT/step/summary.json" "${results[@]}" <<'PY'
import json, sys
steps = [json.load(open(f)) for f in sys.argv[2:]]
out = [{"model": r["model"], "concurrency": r["concurrency"], "rate": r["rate"],
        "throughputPerSecond": r["throughputPerSecond"], "latencyMs": r["latencyMs"],
        "rejected": r["requests"]["rejected"], "errors": r["requests"]["errors"]} for r in steps]
json.dump({"steps": out}, open(sys.argv[1], "w"), indent=2)
PY
echo "wrote $OUT/step/summary.json"
echo "machine: $(machine)"
