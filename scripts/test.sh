#!/usr/bin/env bash
# The test command of README.md: installs what the tests need, then runs the whole suite
# (unit tests and the integration tests against a real sshd, SMTP server and SQLite file).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export DRIFTWATCH_VENV="${DRIFTWATCH_VENV:-$PWD/.build/venv}"
swift build --build-tests
swift test --skip-build "$@"
