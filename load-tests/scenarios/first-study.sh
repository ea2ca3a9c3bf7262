#!/usr/bin/env bash
# The first studies after start-up, with and without the warm-up (SPOILS_WARMUP_STUDIES): for
# each count in WARMUPS ("0 3"), ROUNDS (2) times: start `spoils serve` (BACKEND, default
# embedded: the real models), time how long /health/ready takes to say 200 from the start, then
# POST the study over HTTP twice and time each answer with curl. Writes
# first-study/first-study.json (one row per server start) and prints the rows.
source "$(dirname "$0")/lib.sh"
OUT="${OUT:-$root/load-tests/target/scenarios}"
mkdir -p "$OUT/first-study"
rows="$OUT/first-study/rows.tsv"
: >"$rows"
post() {
  curl -sf -o /dev/null -w '%{time_total}' -H 'Content-Type: application/dicom' \
    --data-binary "@$STUDY" "http://127.0.0.1:$PORT/v1/analyses"
}
for warmup in ${WARMUPS:-0 3}; do
  for round in $(seq 1 "${ROUNDS:-2}"); do
    t0="$(date +%s.%N)"
    start_server SPOILS_BACKEND="${BACKEND:-embedded}" SPOILS_WARMUP_STUDIES="$warmup"
    t1="$(date +%s.%N)"
    first="$(post)"
    second="$(post)"
    stop_server
    printf '%s\t%s\t%s\t%s\t%s\n' "$warmup" "$round" "$(python3 -c "print($t1 - $t0)")" \
      "$first" "$second" >>"$rows"
  done
done
python3 - "$rows" "$OUT/first-study/first-study.json" "$(machine)" <<'PY'
import json, sys
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
out = {"machine": sys.argv[3], "starts": [
    {"warmupStudies": int(w), "round": int(r), "readyAfterS": round(float(ready), 2),
     "firstStudyS": round(float(a), 3), "secondStudyS": round(float(b), 3)}
    for w, r, ready, a, b in rows]}
json.dump(out, open(sys.argv[2], "w"), indent=2)
for s in out["starts"]:
    print(f"warm-up {s['warmupStudies']:>2}, start {s['round']}: ready after {s['readyAfterS']} s, "
          f"first study {s['firstStudyS']} s, second {s['secondStudyS']} s")
PY
echo "wrote $OUT/first-study/first-study.json"
