#!/usr/bin/env bash
# Steady load: the simulated backend at 20 ms (or BACKEND=embedded), closed model at CONCURRENCY
# (default 4, the server's default maxInFlight) for DURATION after a warm-up. Writes
# $OUT/steady/report.json.
source "$(dirname "$0")/lib.sh"
OUT="${OUT:-$root/load-tests/target/scenarios}"
mkdir -p "$OUT"
BACKEND="${BACKEND:-simulated}"
start_server SPOILS_BACKEND="$BACKEND" SPOILS_SIMULATED_LATENCY_MS="${LATENCY_MS:-20}"
load "$OUT/steady" --protocol "${PROTOCOL:-grpc}" --concurrency "${CONCURRENCY:-4}" \
  --duration "${DURATION:-30s}" --warmup "${WARMUP:-5s}" --odi 45 --nrs 6
echo "machine: $(machine)"
