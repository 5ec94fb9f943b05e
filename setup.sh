#!/bin/sh
# setup.sh: install what racewatch needs on a Debian machine (as root, or
# with sudo), then configure and build it in ./build.  Safe to run again.
set -eu
cd "$(dirname "$0")"

packages="gcc clang libclang-rt-14-dev meson ninja-build pkg-config python3 \
libomp-14-dev libdw-dev libelf-dev libunwind-dev check cmake make xz-utils zstd pigz python3-jsonschema python3-yaml"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

if [ -f build/build.ninja ]; then
    meson setup --reconfigure build >/dev/null
else
    meson setup build >/dev/null
fi
ninja -C build >/dev/null
echo "setup: built racewatch in ./build"
