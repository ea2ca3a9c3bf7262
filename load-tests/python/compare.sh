#!/usr/bin/env bash
# The embedded Java path against the research-code way, on the same single-slice studies: the
# bundled example plus the centre slices of the first SPIDER patients written as DICOM (when
# ../shared/data/spider-t2space or $SPOILS_DATA_SPIDER exists).
#   Python: research_baseline.py (PyTorch eager, 2 threads, weights from the ONNX initializers)
#   Java:   JMH EndToEndBenchmark (embedded ONNX Runtime, whole pipeline incl. levels, geometry,
#           trees and decision), one JMH run per study
# and checks that the Python models are the served ones: ONNX Runtime (Java) on the parity inputs
# against the reconstructed PyTorch modules (max |difference| printed and recorded).
#
# Usage: load-tests/python/compare.sh [--quick] [OUT.json]   (run from anywhere; builds if needed)
# Writes OUT.json (default load-tests/target/compare.json). --quick: 1 SPIDER slice, fewer runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
quick=0
out=load-tests/target/compare.json
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) out="$a" ;;
  esac
done
if [ ! -d load-tests/target/lib ]; then
  mvn -B -q -ntp -Dstyle.color=never -DskipTests package -pl load-tests -am >&2
fi
cp="load-tests/target/classes:load-tests/target/lib/*"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

studies=("$root/gateway/examples/spider/slice.dcm")
spider="${SPOILS_DATA_SPIDER:-$root/../shared/data/spider-t2space}"
n=$([ "$quick" = 1 ] && echo 1 || echo 3)
if [ -d "$spider/images" ]; then
  java -cp "$cp" io.spoils.bench.SpiderDicoms "$spider" "$work/dicom" "$n" > "$work/dicoms.txt"
  mapfile -t more < "$work/dicoms.txt"
  studies+=("${more[@]}")
else
  echo "compare: no SPIDER data at $spider; the bundled example only" >&2
fi
repeat=$([ "$quick" = 1 ] && echo 3 || echo 10)

echo "compare: Python baseline ($repeat runs per study)" >&2
/usr/bin/python3 load-tests/python/research_baseline.py --repeat "$repeat" --check "$work/check" \
  --json "$work/python.json" "${studies[@]}" >&2

echo "compare: ONNX Runtime (Java) against the reconstructed PyTorch modules" >&2
ort="$(ls load-tests/target/lib/onnxruntime-*.jar | head -n 1)"
parity() { # model input shape expected
  # the model's highest version folder, the one the gateway serves
  local version
  version="$(ls -d "triton-models/$1"/[0-9]* | sed 's|.*/||' | sort -n | tail -n 1)"
  java -cp "$ort" triton-models/training/OnnxParityCheck.java "triton-models/$1/$version/model.onnx" "$2" \
    "$work/check/$3_input.f32" "$4" "$work/check/$3_torch.f32" 1e9 2>/dev/null \
    | sed -n 's/^max |onnxruntime - pytorch| = \([^ ]*\).*/\1/p'
}
seg_shape="$(/usr/bin/python3 -c 'import json, sys; f = json.load(open(sys.argv[1])); print("1,1,%d,%d" % tuple(f["padded"]))' gateway/src/test/resources/parity/spine_segmentation/fixture.json)"
seg_diff="$(parity spine_segmentation image seg "$seg_shape")"
grading_diff="$(parity disc_grading crop grading 2,1,128,128)"
echo "compare: max |ORT Java - torch|: segmentation logits $seg_diff, grading probabilities $grading_diff" >&2

echo "compare: Java end-to-end (JMH EndToEndBenchmark)" >&2
if [ "$quick" = 1 ]; then jmh=(-wi 1 -w 2 -i 2 -r 2); else jmh=(-wi 2 -w 3 -i 5 -r 3); fi
list="$(IFS=,; echo "${studies[*]}")"
java -cp "$cp" org.openjdk.jmh.Main '\.EndToEndBenchmark\.' -f 1 "${jmh[@]}" -p "example=$list" \
  -rf json -rff "$work/java.json" > "$work/jmh.log" 2>&1 || { tail -30 "$work/jmh.log" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
SEG_DIFF="$seg_diff" GRADING_DIFF="$grading_diff" /usr/bin/python3 - "$work/python.json" \
  "$work/java.json" "$out" <<'EOF'
import json, os, sys
py = json.load(open(sys.argv[1]))
jmh = json.load(open(sys.argv[2]))
java = {}
for r in jmh:
    name = os.path.basename(r["params"]["example"])
    sec = r.get("secondaryMetrics", {})
    n = sec["studies"]["score"]
    stages = {k[:-2]: v["score"] / n for k, v in sec.items() if k.endswith("Ms")}
    java[name] = {"ms": r["primaryMetric"]["score"], "error_ms": r["primaryMetric"]["scoreError"],
                  "stages_ms": stages}
rows = []
for s in py["studies"]:
    j = java[s["study"]]
    rows.append({"study": s["study"], "discs_python": s["discs"], "python_ms": s["mean_ms"]["total"],
                 "python_stages_ms": s["mean_ms"], "java_ms": j["ms"], "java_error_ms": j["error_ms"],
                 "java_stages_ms": j["stages_ms"], "ratio_java_to_python": j["ms"] / s["mean_ms"]["total"]})
mean_py = sum(r["python_ms"] for r in rows) / len(rows)
mean_java = sum(r["java_ms"] for r in rows) / len(rows)
def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None
ratios = sorted(r["ratio_java_to_python"] for r in rows)
median = (ratios[(len(ratios) - 1) // 2] + ratios[len(ratios) // 2]) / 2
result = {"studies": rows, "python_mean_ms": mean_py, "java_mean_ms": mean_java,
          "ratio_java_to_python": mean_java / mean_py, "median_study_ratio": median,
          "aim_ratio_max": 0.5, "aim_met": median <= 0.5, "torch": py["torch"], "torch_threads": py["threads"],
          "parity": {"ort_java_vs_torch_segmentation_logits_max_abs": num(os.environ["SEG_DIFF"]),
                     "ort_java_vs_torch_grading_probabilities_max_abs": num(os.environ["GRADING_DIFF"]),
                     **py.get("check", {})}}
json.dump(result, open(sys.argv[3], "w"), indent=2)
print(json.dumps({k: result[k] for k in ("python_mean_ms", "java_mean_ms", "ratio_java_to_python")}))
EOF
echo "compare: wrote $out" >&2
