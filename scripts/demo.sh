#!/usr/bin/env bash
# The first command of README.md: installs what is missing (Debian packages, a venv with
# aiosmtpd), builds the release binary and runs `driftwatch demo`. Run it as root on Debian 12
# with the Swift toolchain installed. Arguments go to `driftwatch demo`, e.g.
#   bash scripts/demo.sh --keep-running
#   bash scripts/demo.sh --dir /srv/dw-demo
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/demo.sh: run it as root (sudo bash scripts/demo.sh): it installs Debian packages, and the demo's device lab runs sshd in private namespaces." >&2
  exit 2
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "scripts/demo.sh: 'swift' is not on PATH: install the Swift 6 toolchain (https://www.swift.org/install/linux/) first." >&2
  exit 2
fi
bash scripts/install-deps.sh
echo "==> swift build -c release --product driftwatch (the first build takes several minutes)"
swift build -c release --product driftwatch
export DRIFTWATCH_VENV="${DRIFTWATCH_VENV:-$PWD/.build/venv}"
echo "==> .build/release/driftwatch demo $*"
exec .build/release/driftwatch demo "$@"
