#!/usr/bin/env bash
# The test command of README.md: installs what the tests need, then runs the whole suite
# (unit tests and the integration tests against a real sshd, real SQLite files and the CLI).
#
# Two runs of one build: first everything except the suites that assert wall-clock bounds
# (a hung device must fail within its timeout + 1 s, 200 sessions must not starve a heartbeat,
# the collector's hard time limit, the watcher's intervals and syslog latency, a real-clock
# scheduler test, the SMTP lab whose Python server must start within its bound, alerting end to
# end on the device lab with its reminder, digest and retry timings), then those
# suites on their own. On a 2-core machine Swift's
# cooperative pool has two threads; CPU-heavy synchronous tests (fuzzing, property tests over the
# corpus) running beside a timing test can hold both for seconds and make its bound meaningless.
# With arguments (for example --filter NAME) it is one `swift test` run with them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export DRIFTWATCH_VENV="${DRIFTWATCH_VENV:-$PWD/.build/venv}"
# Timing-sensitive groups, each run on its own after the main pass (one group's load must not
# stretch another's wall-clock bounds): the transport and collector bounds; the watcher's
# intervals, syslog latency and real-clock scheduler, and the demo run end to end; the SMTP lab
# and the outbox over it; alerting end to end (a watcher process, the device lab and the SMTP
# lab: about 2.5 minutes).
groups=('TimingTests|CollectorScriptedTests|CollectorLabTests' 'WatcherLabTests|WatcherProcessTests|WatcherSyslogTests|WatcherSchedulerTests|DemoEndToEndTests' 'SMTPClientLabTests|AlertOutboxSMTPTests' 'AlertLabTests')
timing=$(IFS='|'; echo "${groups[*]}")
swift build --build-tests
if [ "$#" -gt 0 ]; then
  exec swift test --skip-build "$@"
fi
echo "==> swift test (all suites but the timing-sensitive ones: $timing)"
swift test --skip-build --skip "$timing"
for group in "${groups[@]}"; do
  echo "==> swift test (timing-sensitive suites, alone: $group)"
  swift test --skip-build --filter "$group"
done
