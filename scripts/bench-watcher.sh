#!/usr/bin/env bash
# The watcher's RSS and CPU with a large inventory (issue 5 acceptance: 10,000 devices, most of
# them unreachable addresses on loopback, 10 minutes, target <= 150 MB RSS).
#
#   bash scripts/bench-watcher.sh [--minutes 10] [--devices 10000] [--interval 5m] [--concurrency 32]
#
# Needs root (the device lab runs sshd in private namespaces). Builds release binaries first.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product driftwatch >&2
swift build -c release --product watcher-bench >&2
BIN="$(swift build -c release --show-bin-path)"
exec "$BIN/watcher-bench" --binary "$BIN/driftwatch" "$@"
