#!/usr/bin/env bash
# `make deb`: build the Debian package the Debian way (debhelper, debian/) on
# a copy of the tree, since dpkg-buildpackage writes its results to the
# parent folder; leave dist/portal-syncd_<version>_<arch>.deb; fail on a
# lintian error and on a man page that does not render.
#
#   JOBS=2 scripts/build-deb.sh WORK_DIR DIST_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: build-deb.sh WORK_DIR DIST_DIR}
dist=${2:?usage: build-deb.sh WORK_DIR DIST_DIR}
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
src="$work/portal-syncd-$version"

rm -rf "$work" && mkdir -p "$src" "$dist"
tar -c --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./dist \
  --exclude=./demo-run . | tar -x -C "$src"
# debhelper 13 gives the build a HOME of its own: name ccache's real folder,
# or every package build starts from a cold cache.
if command -v ccache >/dev/null; then CCACHE_DIR=$(ccache -k cache_dir) && export CCACHE_DIR; fi
(cd "$src" && dpkg-buildpackage -us -uc -b -j"${JOBS:-$(nproc)}")
deb="portal-syncd_${version}_${arch}.deb"
mv "$work/$deb" "$dist/$deb"
echo "built $dist/$deb"

# lintian: errors fail; the warnings kept are listed in README.md.
lintian --fail-on error --no-tag-display-limit "$dist/$deb"

# The man pages, as `man` renders them, without warnings.
pages="$work/pages"
mkdir -p "$pages"
dpkg-deb -x "$dist/$deb" "$pages"
for page in man8/portal-syncd.8 man8/portal-syncctl.8 man5/portal-syncd.toml.5; do
  out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$pages/usr/share/man/$page.gz" 2>&1 >/dev/null)
  [ -z "$out" ] || { echo "man $page: $out"; exit 1; }
done
echo "man pages render: portal-syncd(8), portal-syncctl(8), portal-syncd.toml(5)"
