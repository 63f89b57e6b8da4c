#!/usr/bin/env bash
# Installs what DriftWatch needs to build, test and run its demo on Debian 12, as root.
# Idempotent: packages already present are skipped without touching the network.
set -euo pipefail

need=(libssh2-1-dev openssh-server openssh-client pkg-config valgrind python3 python3-venv ca-certificates openssl procps iproute2 util-linux libsqlite3-dev openssh-sftp-server)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# A Python venv for the test peers (SMTP receiver, benchmark peers), never the system Python.
venv="${DRIFTWATCH_VENV:-$(cd "$(dirname "$0")/.." && pwd)/.build/venv}"
if [ ! -x "$venv/bin/python" ]; then
  echo "==> python3 -m venv $venv"
  /usr/bin/python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
  echo "==> pip install aiosmtpd into $venv"
  "$venv/bin/pip" install -q aiosmtpd
fi
