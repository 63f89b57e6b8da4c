#!/usr/bin/env bash
# The watcher's RSS and CPU with a large inventory (issue 5 acceptance: 10,000 devices, most of
# them unreachable addresses on loopback, 10 minutes, target <= 150 MB RSS).
#
#   bash scripts/bench-watcher.sh [--quick] [--minutes 10] [--devices 10000] [--interval 5m] [--concurrency 32] [--out FILE.json]
#
# --quick: 2,000 devices for 1 minute (bench.sh --quick). Needs root (the device lab runs sshd in
# private namespaces). Builds release binaries first, in the scratch path .build-bench (or
# $DRIFTWATCH_BENCH_SCRATCH) shared with bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${DRIFTWATCH_BENCH_SCRATCH:-.build-bench}"
args=()
for arg in "$@"; do
    if [ "$arg" = --quick ]; then args+=(--devices 2000 --minutes 1); else args+=("$arg"); fi
done
swift build -c release --scratch-path "$SCRATCH" --product driftwatch >&2
swift build -c release --scratch-path "$SCRATCH" --product watcher-bench >&2
BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)"
exec "$BIN/watcher-bench" --binary "$BIN/driftwatch" "${args[@]}"
