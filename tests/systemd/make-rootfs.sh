#!/usr/bin/env bash
# Build the Debian 12 root filesystem that `make check-systemd` boots, once:
# an existing ROOT is kept as it is (delete it to rebuild). Built beside ROOT
# and renamed into place, so an interrupted build never leaves a half root.
#
#   tests/systemd/make-rootfs.sh /var/cache/portal-syncd-test/rootfs
#
# The root has systemd as init, dbus, passwd (useradd) and apt sources for
# Debian 12, so `apt-get install ./portal-syncd_*.deb` resolves the package's
# dependencies inside it. No procps: the units must not need /bin/kill.
set -euo pipefail
root=${1:?usage: make-rootfs.sh ROOT}
if [ -x "$root/lib/systemd/systemd" ]; then
  echo "rootfs: using $root (delete it to rebuild)"
  exit 0
fi
mkdir -p "$(dirname "$root")"
tmp="$root.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
echo "rootfs: building Debian 12 in $root (once; takes a few minutes)"
mmdebstrap --variant=apt --mode=root \
  --include=systemd,systemd-sysv,dbus,passwd,ca-certificates \
  --customize-hook='echo portal-syncd-test > "$1/etc/hostname"' \
  --customize-hook='rm -f "$1/etc/machine-id"; touch "$1/etc/machine-id"' \
  bookworm "$tmp" \
  "deb http://deb.debian.org/debian bookworm main" \
  "deb http://deb.debian.org/debian bookworm-updates main" \
  "deb http://deb.debian.org/debian-security bookworm-security main"
mv "$tmp" "$root"
trap - EXIT
echo "rootfs: ready in $root"
