#!/usr/bin/env bash
# Installs the bench's peers and limit tools. Idempotent; needs root (CI and developer machines are).
#
# - vsftpd, python3-pyftpdlib, curl, lftp, openssl, and ProFTPD and Pure-FTPd unpacked into the
#   repository's .peers/ (they conflict with vsftpd as packages): scripts/install-system-deps.sh,
#   the same script the test suite runs.
# - iperf3: a Debian package; its postinst would offer to start a daemon on every interface, so
#   debconf is told no and policy-rc.d refuses any service start during the install.
# - ftp-srv and basic-ftp come from npm (devDependencies of @ftpkit/bench).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [ "$(id -u)" != 0 ]; then
  echo "setup-peers: needs root to install packages (run as root, as CI does)" >&2
  exit 1
fi

bash "$repo/scripts/install-system-deps.sh"

if ! dpkg-query -W -f='${Status}' iperf3 2>/dev/null | grep -q 'install ok installed'; then
  policy=/usr/sbin/policy-rc.d
  had_policy=0
  [ -e "$policy" ] && had_policy=1
  if [ "$had_policy" = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
  fi
  echo 'iperf3 iperf3/start_daemon boolean false' | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iperf3 >/dev/null
  if [ "$had_policy" = 0 ]; then rm -f "$policy"; fi
  echo "setup-peers: installed iperf3"
fi
echo "setup-peers: ready (vsftpd, pyftpdlib, proftpd, pure-ftpd, iperf3, curl, lftp, openssl; ftp-srv from npm)"
