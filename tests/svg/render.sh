#!/bin/sh
# tests/svg/render.sh - every example net's picture, loaded in a real
# browser: probe --svg writes the picture of each probes/*.cfg and
# probes/*.py (at the size below, or its own input line), headless
# Chromium loads it and dumps the document, and an XML error shows up as
# a <parsererror> element there; a picture that is not an <svg> document
# fails too. Screenshots of the forum's net, the ResNet written from
# scratch and torchvision's resnet34 as print(model) text are kept in
# OUT for review (not in git).
#
#   sh tests/svg/render.sh PROBE CHROMIUM OUT
#
# CHROMIUM is the browser's path (/usr/bin/chromium): one that is missing
# is a failure, not a skip. Prints "N passed, N failed". POSIX sh.
set -u
if [ $# -ne 3 ]; then
    echo "usage: sh tests/svg/render.sh PROBE CHROMIUM OUT" >&2
    exit 2
fi
probe=$1
chromium=$2
out=$3
case $probe in /*) ;; *) probe=$(pwd)/$probe ;; esac
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
if [ ! -x "$chromium" ]; then
    echo "render.sh: no browser at '$chromium': install chromium (tools/deps.sh) or give CHROMIUM=PATH" >&2
    exit 1
fi
cd "$(dirname "$0")/../.." || exit 2
mkdir -p "$out" || exit 2
LC_ALL=C
export LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/probe-render.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# browse MODE FILE: runs the browser on FILE (--dump-dom, or
# --screenshot=PNG) with a profile of its own, nothing fetched
browse() {
    profile=$(mktemp -d "$tmp/profile.XXXXXX")
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" 2> "$tmp/browser.err"
}

# The size each example is drawn at when its file does not say.
size_of() {
    case ${1##*/} in
        alexnet.cfg|vgg16.cfg|finetune_resnet18.py) echo 224x224 ;;
        c3d.cfg) echo 16x112x112 ;;
        m5_audio.cfg) echo 8000 ;;
        mnist_net.py) echo 28x28 ;;
        unet_small.py) echo 64x64 ;;
        *.py|cifar10_cnn.cfg|forum_block3.cfg|forum_demo.cfg) echo 32x32 ;;
    esac
}

passed=0
failed=0
# check NAME SVG: the browser reads SVG as an <svg> document without error
check() {
    browse --dump-dom "file://$2" > "$tmp/dom"
    if grep -q '<parsererror' "$tmp/dom"; then
        echo "FAIL $1: the browser reports an XML error:"
        sed -n 's/.*\(error on line[^<]*\).*/  \1/p' "$tmp/dom"
        failed=$((failed + 1))
    elif ! grep -q '^<svg xmlns="http://www.w3.org/2000/svg"' "$tmp/dom"; then
        echo "FAIL $1: the browser did not load the picture"
        head -c 400 "$tmp/dom"; cat "$tmp/browser.err" | tail -3
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
}

# draw NAME SVG ARGS...: probe --svg SVG ARGS; any exit but 2 is fine (a
# net may be meant to fail), and the picture must be there
draw() {
    name=$1
    svg=$2
    shift 2
    "$probe" "$@" --svg "$svg" > /dev/null 2> "$tmp/probe.err"
    code=$?
    if [ $code -eq 2 ] || [ ! -s "$svg" ]; then
        echo "FAIL $name: probe exit $code, no picture"
        cat "$tmp/probe.err"
        failed=$((failed + 1))
        return 1
    fi
}

for net in probes/*.cfg probes/*.py; do
    name=${net##*/}
    svg=$out/${name%.*}.svg
    hw=$(size_of "$net")
    set -- --net "$net"
    [ -n "$hw" ] && set -- "$@" --hw "$hw"
    # the custom layer of the plugin example
    [ "$name" = yolo_stem.cfg ] && set -- "$@" --plugin build/plugins/libmylayers.so
    draw "$name" "$svg" "$@" || continue
    check "$name" "$svg"
done

# torchvision's resnet34 as print(model) text, and the screenshots
zoo=tests/corpus/zoo/resnet34_224x224.cfg
if draw resnet34_print "$out/resnet34_print.svg" --net "$zoo" --hw 224x224; then check resnet34_print "$out/resnet34_print.svg"; fi
for shot in forum_block3 resnet_scratch resnet34_print; do
    svg=$out/$shot.svg
    [ -s "$svg" ] || continue
    h=$(sed -n 's/^<svg [^>]* height="\([0-9]*\)".*/\1/p' "$svg")
    browse --screenshot="$out/$shot.png" --window-size="1480,${h:-800}" "file://$svg" > /dev/null
    if [ -s "$out/$shot.png" ]; then passed=$((passed + 1))
    else echo "FAIL $shot: no screenshot"; failed=$((failed + 1)); fi
done

echo "$passed passed, $failed failed (pictures and screenshots in $out)"
[ $failed = 0 ]
