#!/usr/bin/env bash
# Leak check of SSHTransport: 100 (or $1) connect/exec/close cycles against a DeviceLab under
# valgrind memcheck. Fails (exit 3) on any "definitely lost" block.
#
# valgrind 3.19 (Debian 12) cannot read DWARF 5, which Swift emits by default, so ssh-soak is
# built in release mode with DWARF 4 debug info in its own scratch folder.
# Needs root (the lab's sshd runs in private namespaces) and scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles="${1:-100}"
scratch="${DRIFTWATCH_VALGRIND_BUILD:-$PWD/.build-valgrind}"
swift build -c release --scratch-path "$scratch" --product ssh-soak \
  -Xswiftc -g -Xswiftc -dwarf-version=4 -Xcc -gdwarf-4
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/ssh-soak"
log="$scratch/valgrind-ssh-soak.log"
set +e
valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3 \
  --num-callers=40 --log-file="$log" "$bin" "$cycles"
status=$?
set -e
grep -E "definitely lost|indirectly lost|possibly lost|ERROR SUMMARY" "$log" | sed 's/^==[0-9]*== *//' || true
if grep -q "SSHTransport\|libssh2" <(grep -A40 "definitely lost in" "$log" 2>/dev/null); then
  echo "leak-check: definite leaks with SSHTransport/libssh2 frames, see $log"
fi
echo "leak-check: valgrind exit status $status (log: $log)"
exit "$status"
