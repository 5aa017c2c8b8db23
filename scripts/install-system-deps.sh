#!/usr/bin/env bash
# Installs the Debian packages that interop tests and benchmarks drive as real peers.
# Idempotent; a no-op for what is already present. Needs root (CI and developer machines are).
#
# - vsftpd and python3-pyftpdlib are the installed peer servers; curl, lftp and python3 (ftplib)
#   the peer clients.
# - ProFTPD and Pure-FTPd conflict with vsftpd as packages (all three provide ftp-server), so they
#   are fetched with `apt-get download` and unpacked with `dpkg -x` into .peers/root (git-ignored;
#   FTPKIT_PEERS_DIR moves it); the shared libraries their Depends name and the system lacks are
#   installed as plain libraries. @ftpkit/test-utils starts them from there.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
peers="${FTPKIT_PEERS_DIR:-$repo/.peers}"
packages=(openssl ca-certificates curl lftp vsftpd python3 python3-pyftpdlib python3-openssl)
unpacked=(proftpd-core proftpd-mod-crypto pure-ftpd)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
to_unpack=()
for p in "${unpacked[@]}"; do [ -e "$peers/.$p.unpacked" ] || to_unpack+=("$p"); done
if [ "${#missing[@]}" -eq 0 ] && [ "${#to_unpack[@]}" -eq 0 ]; then
  echo "system packages: all present (${packages[*]}; unpacked ${unpacked[*]} in $peers)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "system packages missing (${missing[*]} ${to_unpack[*]}) and not root: run this as root" >&2
  exit 1
fi
apt-get update -qq

install_quietly() {
  # Keep package scripts from starting the daemons they install (vsftpd would listen on every
  # interface on port 21): our tests start their own instances, on loopback, and stop them.
  local policy=/usr/sbin/policy-rc.d had_policy=0
  [ -e "$policy" ] && had_policy=1
  if [ "$had_policy" = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  if [ "$had_policy" = 0 ]; then rm -f "$policy"; fi
}

if [ "${#missing[@]}" -gt 0 ]; then
  install_quietly "${missing[@]}"
  echo "system packages: installed ${missing[*]}"
fi

if [ "${#to_unpack[@]}" -gt 0 ]; then
  mkdir -p "$peers/debs" "$peers/root"
  libraries=()
  for p in "${to_unpack[@]}"; do
    (cd "$peers/debs" && rm -f "${p}"_*.deb && apt-get download -qq -o APT::Sandbox::User=root "$p")
    deb="$(ls "$peers/debs/${p}"_*.deb | head -1)"
    dpkg -x "$deb" "$peers/root"
    # The shared libraries it links against (first alternative of each lib* dependency).
    for dep in $(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/ //g' | grep '^lib'); do
      installed "$dep" || libraries+=("$dep")
    done
  done
  if [ "${#libraries[@]}" -gt 0 ]; then
    install_quietly $(printf '%s\n' "${libraries[@]}" | sort -u)
    echo "system packages: installed libraries ${libraries[*]}"
  fi
  # Every unpacked binary and module must find its libraries (a missing one fails here, not in a test).
  for binary in "$peers/root/usr/sbin/proftpd" "$peers/root/usr/sbin/pure-ftpd" "$peers/root/usr/lib/proftpd/mod_tls.so"; do
    if ldd "$binary" | grep -q 'not found'; then
      echo "install-system-deps: $binary is missing libraries:" >&2
      ldd "$binary" | grep 'not found' >&2
      exit 1
    fi
  done
  for p in "${to_unpack[@]}"; do touch "$peers/.$p.unpacked"; done
  echo "system packages: unpacked ${to_unpack[*]} into $peers/root"
fi
