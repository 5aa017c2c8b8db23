#!/usr/bin/env bash
# Installs the Debian packages that interop tests and benchmarks drive as real peers.
# Idempotent; a no-op for packages already present. Needs root (CI and developer machines are).
set -euo pipefail
# vsftpd and python3-pyftpdlib are the peer servers; curl, lftp and python3 (ftplib) the peer clients.
packages=(openssl ca-certificates curl lftp vsftpd python3 python3-pyftpdlib python3-openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present (${packages[*]})"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "system packages missing (${missing[*]}) and not root: install them with apt-get" >&2
  exit 1
fi
# Keep package scripts from starting the daemons they install (vsftpd would listen on every
# interface on port 21): our tests start their own instances, on loopback, and stop them.
policy=/usr/sbin/policy-rc.d
had_policy=0
[ -e "$policy" ] && had_policy=1
if [ "$had_policy" = 0 ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ "$had_policy" = 0 ]; then rm -f "$policy"; fi
echo "system packages: installed ${missing[*]}"
