#!/usr/bin/env bash
# Overload at 4x capacity. One server with a small admission (MAX_IN_FLIGHT=4, MAX_QUEUED=2 by
# default) and the simulated backend at 20 ms. First a steady closed-model run at MAX_IN_FLIGHT
# concurrency measures capacity (studies/s) and the steady p99; then an open-model run arrives at
# FACTOR (4) x capacity. PASS when the excess is rejected (rejections > 0), rejected requests are
# answered fast (rejected p99 <= REJECT_P99_MS, default 100 ms) and accepted requests keep their
# latency (accepted p99 <= ACCEPT_RATIO (2) x steady p99). Writes $OUT/overload/{steady,over}/ and
# $OUT/overload/verdict.json; exit code 0 on PASS, 1 on FAIL.
source "$(dirname "$0")/lib.sh"
OUT="${OUT:-$root/load-tests/target/scenarios}"
mkdir -p "$OUT/overload"
inflight="${MAX_IN_FLIGHT:-4}"
start_server SPOILS_BACKEND="${BACKEND:-simulated}" SPOILS_SIMULATED_LATENCY_MS="${LATENCY_MS:-20}" \
  SPOILS_MAX_IN_FLIGHT="$inflight" SPOILS_MAX_QUEUED="${MAX_QUEUED:-2}"
load "$OUT/overload/steady" --protocol "${PROTOCOL:-grpc}" --concurrency "$inflight" \
  --duration "${DURATION:-20s}" --warmup "${WARMUP:-5s}" --format json >/dev/null
capacity="$(json "$OUT/overload/steady/report.json" 'r["throughputPerSecond"]')"
rate="$(python3 -c "print(round(${FACTOR:-4} * $capacity, 3))")"
echo "capacity $capacity studies/s; overload at $rate/s"
load "$OUT/overload/over" --protocol "${PROTOCOL:-grpc}" --rate "$rate" --concurrency 1000 \
  --duration "${DURATION:-20s}" --warmup "${WARMUP:-5s}"
python3 - "$OUT/overload" "${REJECT_P99_MS:-100}" "${ACCEPT_RATIO:-2}" "$(machine)" <<'PY'
import json, sys
d, reject_bound, ratio, machine = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
steady = json.load(open(d + "/steady/report.json"))
over = json.load(open(d + "/over/report.json"))
checks = {
    "excessRejected": over["requests"]["rejected"] > 0,
    "rejectedFast": over["rejectedLatencyMs"]["p99"] <= reject_bound,
    "acceptedKeepLatency": over["latencyMs"]["p99"] <= ratio * steady["latencyMs"]["p99"],
    "noOtherErrors": over["requests"]["errors"] == 0,
}
verdict = {
    "pass": all(checks.values()), "checks": checks,
    "capacityPerSecond": steady["throughputPerSecond"], "offeredPerSecond": over["rate"],
    "steadyP99Ms": steady["latencyMs"]["p99"], "acceptedP99Ms": over["latencyMs"]["p99"],
    "acceptedPerSecond": over["throughputPerSecond"], "rejected": over["requests"]["rejected"],
    "rejectedP99Ms": over["rejectedLatencyMs"]["p99"], "rejectedP99BoundMs": reject_bound,
    "acceptedP99MaxRatio": ratio, "machine": machine,
}
json.dump(verdict, open(d + "/verdict.json", "w"), indent=2)
print(("PASS" if verdict["pass"] else "FAIL") + ": capacity %.2f/s, offered %.2f/s; steady p99 %.1f ms, "
      "accepted p99 %.1f ms (bound %.1f); %d rejected, rejected p99 %.1f ms (bound %.1f); errors %d"
      % (verdict["capacityPerSecond"], verdict["offeredPerSecond"], verdict["steadyP99Ms"],
         verdict["acceptedP99Ms"], ratio * verdict["steadyP99Ms"], verdict["rejected"],
         verdict["rejectedP99Ms"], reject_bound, over["requests"]["errors"]))
sys.exit(0 if verdict["pass"] else 1)
PY
