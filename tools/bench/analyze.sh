#!/usr/bin/env bash
# Benchmark of `myotrial analyze` with the full report (issue 5): a ProDERM-like synthetic bundle
# scaled to about 10,000 subjects × 11 visits (SCALE=105: 9,975 subjects), best of RUNS runs.
#
#     tools/bench/analyze.sh            # SCALE=105 RUNS=5
set -euo pipefail
cd "$(dirname "$0")/../.."
SCALE="${SCALE:-105}"
RUNS="${RUNS:-5}"
OUT="${OUT:-bench-out/analyze}"
cargo build --release -q -p myotrial-cli
cargo build --release -q -p myotrial-trial --example gen_bundle
rm -rf "$OUT"
mkdir -p "$OUT"
"${CARGO_TARGET_DIR:-target}/release/examples/gen_bundle" "$SCALE" "$OUT/bundle"
echo "bundle: $(($(wc -l < "$OUT/bundle/subjects.csv") - 1)) subjects, $(($(wc -l < "$OUT/bundle/visits.csv") - 1)) visit rows, $(($(wc -l < "$OUT/bundle/infusions.csv") - 1)) infusions, $(($(wc -l < "$OUT/bundle/adverse_events.csv") - 1)) adverse events"
best=""
for i in $(seq "$RUNS"); do
  python3 tools/bench/timecmd.py --stdout /dev/null --result "$OUT/run.txt" -- \
    "${CARGO_TARGET_DIR:-target}/release/myotrial" analyze "$OUT/bundle" --out "$OUT/report"
  t=$(cut -d' ' -f1 "$OUT/run.txt")
  if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
done
echo "analyze with the full report: best of $RUNS = ${best} s (target < 5 s)"
ls -l "$OUT/report"
