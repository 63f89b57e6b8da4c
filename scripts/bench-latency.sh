#!/usr/bin/env bash
# Alerting latency: the time from editing a device's configuration on the device lab to the
# alert email arriving in the lab's SMTP server, p50/p95 over N changes, with polling only and
# with the syslog trigger (issue 6 targets: p95 <= 30 s polling at a 15 s interval, <= 5 s syslog).
#
#   bash scripts/bench-latency.sh [--quick] [--changes N] [--interval SECONDS] [--out FILE.json]
#
# --quick: 5 changes per mode (unless --changes is given). Prints a table; writes JSON
# {"part":"latency","poll":{"p50_s","p95_s","n",…},"syslog":{…},"interval_s":…} to --out (else stdout).
# Release build in the benchmarks' scratch path (.build-bench, or $DRIFTWATCH_BENCH_SCRATCH). Needs root (the device lab runs sshd in
# private namespaces) and the Python venv with aiosmtpd (scripts/install-deps.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >&2
export DRIFTWATCH_VENV="${DRIFTWATCH_VENV:-$PWD/.build/venv}"
scratch="${DRIFTWATCH_BENCH_SCRATCH:-.build-bench}"
swift build -c release --scratch-path "$scratch" --product driftwatch >&2
swift build -c release --scratch-path "$scratch" --product latency-bench >&2
BIN="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
exec "$BIN/latency-bench" --binary "$BIN/driftwatch" "$@"
