#!/usr/bin/env bash
# Leak check of SSHTransport: 100 (or $1) connect/exec/close cycles against a DeviceLab, the
# client under valgrind memcheck. Exits 3 on any "definitely lost" block.
#
# valgrind 3.19 (Debian 12) cannot read DWARF 5 (Swift's default), cannot run an async main and
# cannot run Foundation's Process, so: ssh-soak is built in release mode with DWARF 4 debug info
# in its own scratch folder; the lab runs in a separate `ssh-soak serve` process (not under
# valgrind); the `ssh-soak client` under valgrind has a synchronous main.
# Needs root (the lab's sshd runs in private namespaces) and scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles="${1:-100}"
scratch="${DRIFTWATCH_VALGRIND_BUILD:-$PWD/.build-valgrind}"
swift build -c release --scratch-path "$scratch" --product ssh-soak \
  -Xswiftc -g -Xswiftc -dwarf-version=4 -Xcc -gdwarf-4
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/ssh-soak"
work="$(mktemp -d /tmp/driftwatch-leak-XXXXXX)"
"$bin" serve "$work" &
serve=$!
cleanup() { touch "$work/stop"; wait "$serve" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  [ -s "$work/soak.env" ] && break
  kill -0 "$serve" 2>/dev/null || { echo "leak-check: the lab did not start"; exit 2; }
  sleep 0.1
done
[ -s "$work/soak.env" ] || { echo "leak-check: the lab did not start within 30 s"; exit 2; }
log="$scratch/valgrind-ssh-soak.log"
set +e
valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3 \
  --num-callers=40 --log-file="$log" "$bin" client "$work" "$cycles"
status=$?
set -e
grep -E "definitely lost|indirectly lost|possibly lost|still reachable|ERROR SUMMARY" "$log" | sed 's/^==[0-9]*== *//' || true
definite_ssh=$(awk '/definitely lost in/{block=1} block{print} /^==[0-9]+== $/{block=0}' "$log" | grep -c -E "SSHTransport|libssh2" || true)
echo "leak-check: stack frames of SSHTransport/libssh2 in definitely-lost records: $definite_ssh"
echo "leak-check: valgrind exit status $status (log: $log)"
exit "$status"
