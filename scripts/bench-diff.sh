#!/usr/bin/env bash
# Diff benchmark: DriftWatch (release build) beside GNU diff -u and hier_config on the same inputs,
# in one run. Prints a table and writes bench-results/diff.json.
#   scripts/bench-diff.sh [--quick]
# The hier_config peer runs in a venv under .build/bench-venv (created here; PyPI: hier-config).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${DRIFTWATCH_BENCH_SCRATCH:-.build-bench}"
VENV=.build/bench-venv
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import hier_config' 2>/dev/null; then
    "$VENV/bin/pip" install --quiet 'hier-config>=3,<4'
fi
command -v diff >/dev/null || { echo "GNU diff is required (apt-get install diffutils)" >&2; exit 2; }
swift build -c release --scratch-path "$SCRATCH" --product driftwatch-bench
"$SCRATCH/release/driftwatch-bench" diff --python "$VENV/bin/python" "$@"
