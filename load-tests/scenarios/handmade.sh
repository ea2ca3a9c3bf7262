#!/usr/bin/env bash
# Hand-made hostile inputs (issue 14, "Done when"): one server with the container image's JVM flags
# at a 2 GiB limit (SERVER_JAVA_OPTS, as hostile.sh) and the default limits gets handmade.py's
# inputs: a tiny big endian file declaring 16384 x 16384 pixels, 100,000 nested sequences in a
# deflated data set, a deflate bomb, then 20 concurrent 61 MiB uploads. PASS when every answer in
# the server's access log is a 4xx, each came within 10 s, the server is still ready and it never
# ran out of memory. Writes $OUT/handmade/{handmade,verdict}.json; exit 0 on PASS, 1 on FAIL.
source "$(dirname "$0")/lib.sh"
OUT="${OUT:-$root/load-tests/target/scenarios}"
mkdir -p "$OUT/handmade"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--XX:MaxRAM=2g -XX:MaxRAMPercentage=60 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError}"
start_server SPOILS_BACKEND="${BACKEND:-simulated}"
python3 "$(dirname "$0")/handmade.py" "$PORT" >"$OUT/handmade/handmade.json"
ready=false
curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && ready=true
oom=false
grep -q "OutOfMemoryError" "$OUT/server.log" && oom=true
python3 - "$OUT" "$ready" "$oom" "$(machine)" <<'PY'
import collections, json, sys
out, ready, oom, machine = sys.argv[1], sys.argv[2] == "true", sys.argv[3] == "true", sys.argv[4]
inputs = json.load(open(out + "/handmade/handmade.json"))
statuses = collections.Counter()
slowest = 0.0
for line in open(out + "/server.log"):
    if line.startswith("{") and '"/v1/analyses"' in line:
        entry = json.loads(line)
        statuses[entry["status"]] += 1
        slowest = max(slowest, entry["duration_ms"] / 1000)
checks = {"every answer 4xx": bool(statuses) and all(400 <= s < 500 for s in statuses),
          "answers within 10 s": slowest <= 10, "serverReady": ready, "noOutOfMemory": not oom}
verdict = {"pass": all(checks.values()), "checks": checks,
           "serverStatuses": {str(k): v for k, v in sorted(statuses.items())},
           "slowestAnswerSeconds": round(slowest, 2), "inputs": inputs, "machine": machine}
json.dump(verdict, open(out + "/handmade/verdict.json", "w"), indent=2)
print(("PASS" if verdict["pass"] else "FAIL") + ": server answered %s, slowest %.1f s; ready %s, OOM %s"
      % (verdict["serverStatuses"], slowest, ready, oom))
sys.exit(0 if verdict["pass"] else 1)
PY
