#!/usr/bin/env bash
# The first command of README.md: installs what is missing, builds, and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product driftwatch
if .build/release/driftwatch help demo >/dev/null 2>&1; then
  exec .build/release/driftwatch demo "$@"
fi
.build/release/driftwatch --help
