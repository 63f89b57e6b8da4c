#!/usr/bin/env bash
# DriftWatch benchmark suite (issue 8): DriftWatch beside the tools users would pick instead.
#   bash scripts/bench.sh [--quick | --smoke] [--out DIR] [--only diff,collect,watcher,latency]
# Parts: diff (scripts/bench-diff.sh), collect (Benchmarks/peers/collect_runner.py: DeviceLab +
# driftwatch-bench collect in PTY-shell and exec mode, asyncssh, scrapli, netmiko), watcher
# (scripts/bench-watcher.sh: 10,000 devices for 10 min; --quick 2,000 for 1 min), latency
# (scripts/bench-latency.sh: 20 changes polled, 20 with syslog; --quick 5 each). Prints one table and writes
# DIR/bench.json (+ one JSON per part). Full: 200 devices x 3 runs (medians) + 1,000 devices.
# --smoke (CI): parts diff and collect at tiny sizes; non-zero only when a part crashes, never on
# a missed target.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=full OUT=bench-results ONLY=diff,collect,watcher,latency
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) MODE=quick ;;
        --smoke) MODE=smoke; ONLY=diff,collect ;;
        --out) OUT="$2"; shift ;;
        --only) ONLY="$2"; shift ;;
        *) echo "usage: bash scripts/bench.sh [--quick|--smoke] [--out DIR] [--only diff,collect,watcher,latency]" >&2; exit 64 ;;
    esac
    shift
done
mkdir -p "$OUT"
want() { [[ ",$ONLY," == *",$1,"* ]]; }

bash scripts/install-deps.sh
VENV=.build/bench-venv
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
# scrapli < 2026: the classic asyncio API (scrapli.driver.core); 2026.x is the libscrapli rewrite with another API.
"$VENV/bin/python" -c "import hier_config, netmiko, asyncssh; from scrapli.driver.core import AsyncIOSXEDriver" 2>/dev/null \
    || "$VENV/bin/pip" install --quiet 'hier-config>=3,<4' netmiko 'scrapli<2026' asyncssh
if [ "$MODE" = smoke ]; then
    # CI smoke: the debug build that the test step (`swift build --build-tests`) already made, so
    # the smoke run adds no cold release build (15+ min on 2 cores) to CI; figures are meaningless.
    SCRATCH=.build
    swift build --product driftwatch-bench
    BENCH="$(swift build --show-bin-path)/driftwatch-bench"
else
    # One release build for every part (cold: 30-70 min on 2 cores); DRIFTWATCH_BENCH_SCRATCH=.build
    # reuses the development release build instead.
    SCRATCH="${DRIFTWATCH_BENCH_SCRATCH:-.build-bench}"
    swift build -c release --scratch-path "$SCRATCH" --product driftwatch-bench
    BENCH="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/driftwatch-bench"
fi
PY="$PWD/$VENV/bin/python"

crashed=()
if want diff; then
    if [ "$MODE" = smoke ]; then
        # What scripts/bench-diff.sh runs, on the debug binary (see above).
        "$BENCH" diff --python "$PY" --quick --only generated --out "$OUT/diff.json" || crashed+=(diff)
    else
        args=(); [ "$MODE" = quick ] && args+=(--quick)
        DRIFTWATCH_BENCH_SCRATCH="$SCRATCH" bash scripts/bench-diff.sh "${args[@]}" --out "$OUT/diff.json" || crashed+=(diff)
    fi
fi
if want collect; then
    case "$MODE" in
        full) cargs=(--devices 200 --runs 3 --large 1000) ;;
        quick) cargs=(--devices 50 --runs 1) ;;
        smoke) cargs=(--devices 6 --runs 1 --concurrency 3) ;;
    esac
    "$PY" Benchmarks/peers/collect_runner.py --bench "$BENCH" --python "$PY" "${cargs[@]}" --out "$OUT/collect.json" || crashed+=(collect)
fi
if want watcher; then
    wargs=(); [ "$MODE" != full ] && wargs+=(--quick)
    DRIFTWATCH_BENCH_SCRATCH="$SCRATCH" bash scripts/bench-watcher.sh "${wargs[@]}" --out "$OUT/watcher.json" || crashed+=(watcher)
fi
if want latency; then
    largs=(--out "$OUT/latency.json"); [ "$MODE" != full ] && largs+=(--quick)
    DRIFTWATCH_BENCH_SCRATCH="$SCRATCH" bash scripts/bench-latency.sh "${largs[@]}" || crashed+=(latency)
fi
{ [ "$MODE" = smoke ] && echo "mode: smoke (debug build, tiny sizes: a check that every part runs, not a measurement)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"; } | tee "$OUT/machine.txt"
"$PY" Benchmarks/peers/bench_report.py "$OUT"
if [ "${#crashed[@]}" -gt 0 ]; then
    echo "bench: parts that crashed: ${crashed[*]}" >&2
    exit 1
fi
