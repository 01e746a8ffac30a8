#!/bin/sh
# Installs the Debian packages probe needs to build and test, when missing.
# Run as root on Debian 12 (or with sudo available); does nothing when all
# are present.
set -e
need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v make >/dev/null 2>&1 || need="$need make"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
# `tools/deps.sh fuzz`: also clang (libFuzzer) and valgrind, for make fuzz
# and make valgrind-hostile
if [ "${1:-}" = fuzz ]; then
    command -v clang >/dev/null 2>&1 || need="$need clang"
    command -v valgrind >/dev/null 2>&1 || need="$need valgrind"
fi
# `tools/deps.sh web` (make test): also what the page and its test need, and
# nothing else does -- emscripten for make web (it brings its clang, lld,
# binaryen and nodejs), Chromium, its WebDriver and curl for make web-test.
# make demo never asks for them.
if [ "${1:-}" = web ]; then
    command -v emcc >/dev/null 2>&1 || need="$need emscripten"
    [ -x /usr/bin/chromium ] || need="$need chromium"
    [ -x /usr/bin/chromedriver ] || need="$need chromium-driver"
    command -v curl >/dev/null 2>&1 || need="$need curl"
fi
if command -v pkg-config >/dev/null 2>&1; then
    have_pc libffi || need="$need libffi-dev"
    have_pc cmocka || need="$need libcmocka-dev"
else
    need="$need libffi-dev libcmocka-dev"
fi
[ -z "$need" ] && exit 0
echo "probe: installing Debian packages:$need"
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need
