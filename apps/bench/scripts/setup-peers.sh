#!/usr/bin/env bash
# Installs the bench's peers and limit tools. Idempotent; needs root (CI and developer machines are).
#
# - vsftpd, python3-pyftpdlib, curl, lftp, openssl: Debian packages (scripts/install-system-deps.sh
#   installs them too; this script only fills in what is missing).
# - iperf3: a Debian package; its postinst would offer to start a daemon on every interface, so
#   debconf is told no and policy-rc.d refuses any service start during the install.
# - ProFTPD and Pure-FTPd conflict with vsftpd as packages (all three provide ftp-server), so they
#   are fetched with `apt-get download` and unpacked with `dpkg -x` into apps/bench/.peers/ (git-
#   ignored); the shared libraries they need and the system lacks are installed as plain libraries.
# - ftp-srv and basic-ftp come from npm (devDependencies of @ftpkit/bench).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="$here/.peers"
mkdir -p "$cache/debs"

if [ "$(id -u)" != 0 ]; then
  echo "setup-peers: needs root to install packages (run as root, as CI does)" >&2
  exit 1
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

updated=0
apt_update() {
  if [ "$updated" = 0 ]; then
    apt-get update -qq
    updated=1
  fi
}

# Packages that must be installed (no conflicts with vsftpd). The libraries are ProFTPD's and
# Pure-FTPd's runtime dependencies (checked again below with ldd).
system=(openssl curl lftp vsftpd python3 python3-pyftpdlib iperf3
  libhiredis0.14 libmemcached11 libmemcachedutil2 libsodium23 libpcre2-posix3 libcap2 libidn2-0)
missing=()
for p in "${system[@]}"; do installed "$p" || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  policy=/usr/sbin/policy-rc.d
  had_policy=0
  [ -e "$policy" ] && had_policy=1
  if [ "$had_policy" = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
  fi
  echo 'iperf3 iperf3/start_daemon boolean false' | debconf-set-selections
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$had_policy" = 0 ]; then rm -f "$policy"; fi
  echo "setup-peers: installed ${missing[*]}"
fi

# Unpacked peers: the deb files are kept in the cache, so a second run does nothing.
unpack() {
  local package="$1" marker="$cache/.$1.unpacked"
  [ -e "$marker" ] && return 0
  apt_update
  (cd "$cache/debs" && apt-get download -qq -o APT::Sandbox::User=root "$package")
  dpkg -x "$(ls -t "$cache/debs/${package}"_*.deb | head -1)" "$cache/root"
  touch "$marker"
  echo "setup-peers: unpacked $package into $cache/root"
}
unpack proftpd-core
unpack proftpd-mod-crypto
unpack pure-ftpd

# Every unpacked binary must find its libraries (a missing one is a bug in the list above).
for binary in "$cache/root/usr/sbin/proftpd" "$cache/root/usr/sbin/pure-ftpd"; do
  if ldd "$binary" | grep -q 'not found'; then
    echo "setup-peers: $binary is missing libraries:" >&2
    ldd "$binary" | grep 'not found' >&2
    exit 1
  fi
done
for module in "$cache/root/usr/lib/proftpd/mod_tls.so"; do
  if ldd "$module" | grep -q 'not found'; then
    echo "setup-peers: $module is missing libraries" >&2
    exit 1
  fi
done
echo "setup-peers: ready (vsftpd, pyftpdlib, proftpd, pure-ftpd, iperf3, curl, lftp, openssl; ftp-srv from npm)"
