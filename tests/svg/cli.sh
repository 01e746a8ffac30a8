#!/bin/sh
# tests/svg/cli.sh - what --svg FILE does to files, which the cases of
# tests/cli cannot hold: the picture written (and the table still
# printed), a file replaced keeping its mode, a symbolic link written
# through to its file, and a FIFO, a link to a FIFO and a file with two
# hard links refused before anything runs, each left as it was.
#
#   sh tests/svg/cli.sh PROBE
#
# Prints "N passed, N failed"; exit status 1 if any failed. POSIX sh.
set -u
probe=$1
case $probe in /*) ;; *) probe=$(pwd)/$probe ;; esac
cd "$(dirname "$0")/../.." || exit 2
LC_ALL=C
export LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/probe-svg.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
# expect NAME CODE: the last run's exit status was CODE
expect() { if [ "$code" = "$2" ]; then ok; else fail "$1: exit $code, expected $2"; cat "$tmp/err"; fi; }
# is_svg NAME FILE: FILE holds a whole picture
is_svg() {
    if head -n 1 "$2" | grep -q '^<?xml version="1.0" encoding="UTF-8"?>$' && tail -n 1 "$2" | grep -q '^</svg>$'; then ok
    else fail "$1: '$2' is not a whole picture"; fi
}
run() { "$probe" "$@" > "$tmp/out" 2> "$tmp/err"; code=$?; }

# a new file, the table still on standard output
run --net probes/lenet5.cfg --svg "$tmp/flow.svg"
expect new_file 0
is_svg new_file "$tmp/flow.svg"
grep -q '^verdict: ok' "$tmp/out" && ok || fail "new_file: the table is not printed"
ls "$tmp" | grep -q probe && fail "new_file: a temporary file is left" || ok

# a file replaced keeps its mode
printf 'old\n' > "$tmp/old.svg"
chmod 640 "$tmp/old.svg"
run --net probes/too_small.cfg --svg "$tmp/old.svg"
expect replaced 1
is_svg replaced "$tmp/old.svg"
[ "$(stat -c %a "$tmp/old.svg")" = 640 ] && ok || fail "replaced: mode $(stat -c %a "$tmp/old.svg"), expected 640"

# a link to a file: the file is written, the link stays a link
printf 'old\n' > "$tmp/target.svg"
ln -s target.svg "$tmp/link.svg"
run --net probes/lenet5.cfg --svg "$tmp/link.svg"
expect link_to_file 0
[ -L "$tmp/link.svg" ] && ok || fail "link_to_file: the link was replaced"
is_svg link_to_file "$tmp/target.svg"

# a FIFO, and a link to one: refused unopened (a reader would block)
mkfifo "$tmp/fifo"
ln -s fifo "$tmp/fifo_link"
for f in fifo fifo_link; do
    run --net probes/lenet5.cfg --svg "$tmp/$f"
    expect "$f" 2
    if [ "$(cat "$tmp/err")" = "probe: error: --svg: '$tmp/$f' is a FIFO (named pipe), not a regular file; name a file to write (--svg flow.svg), or '-' for standard output" ]; then ok
    else fail "$f: message"; cat "$tmp/err"; fi
    [ -s "$tmp/out" ] && fail "$f: ran before refusing" || ok
    [ -p "$tmp/fifo" ] && ok || fail "$f: the FIFO is gone"
done

# a file with another hard link: the other name would keep the old picture
printf 'old\n' > "$tmp/one.svg"
ln "$tmp/one.svg" "$tmp/two.svg"
run --net probes/lenet5.cfg --svg "$tmp/one.svg"
expect hard_link 2
grep -q "has 2 hard links" "$tmp/err" && ok || fail "hard_link: message"
[ "$(cat "$tmp/one.svg")" = old ] && ok || fail "hard_link: the file changed"

# the net itself (here through another name): refused, the net untouched
cp probes/lenet5.cfg "$tmp/net.cfg"
run --net "$tmp/net.cfg" --svg "$tmp/./net.cfg"
expect over_the_net 2
if [ "$(cat "$tmp/err")" = "probe: error: --svg: '$tmp/./net.cfg' is the net probe reads ('$tmp/net.cfg'); name another file for the picture" ]; then ok
else fail "over_the_net: message"; cat "$tmp/err"; fi
cmp -s probes/lenet5.cfg "$tmp/net.cfg" && ok || fail "over_the_net: the net changed"

# --sweep --svg FILE: the chart, and the sweep's table
run --net probes/forum_block3.cfg --sweep 8..12 --svg "$tmp/sweep.svg"
expect sweep 0
is_svg sweep "$tmp/sweep.svg"
grep -q 'in_features against the input size' "$tmp/sweep.svg" && ok || fail "sweep: not the chart"
grep -q '^8x8\.\.9x9  *ok' "$tmp/out" && ok || fail "sweep: the table is not printed"

# the README's picture is what probe draws now
run --net probes/forum_block3.cfg --hw 32x32 --svg -
if cmp -s "$tmp/out" docs/forum_block3_32x32.svg; then ok
else fail "docs/forum_block3_32x32.svg is not what probe draws now: probe --net probes/forum_block3.cfg --hw 32x32 --svg docs/forum_block3_32x32.svg"; fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
