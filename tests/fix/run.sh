#!/bin/sh
# tests/fix/run.sh PROBE - --fix and --diff end to end:
# 1. every corpus case whose only errors are mismatches: after --fix at its
#    size, the same probe says ok; and the file differs from the original
#    only inside the numbers that changed (same line count, same bytes
#    elsewhere: checked with cmp on everything but the changed lines);
#    The run is given only the size (--hw), never --input: where the input
#    channels are read from a layer the fix changes, the fix must keep them
#    (it writes the input line the run used);
# 2. the properties of the write: mode kept, a conflicting pair of sizes
#    changes nothing, a '?' is filled, expressions become literals, CRLF
#    and comments survive;
# 3. what --fix and --diff refuse or follow: a link is followed and stays a
#    link; a FIFO, a device, a directory and a file with other hard links
#    are refused before probe reads them, and are left as they were.
# Ends with 'N passed, N failed'.
set -u
P=${1:?usage: run.sh PROBE}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# -- 1. every mismatch-only corpus case ---------------------------------
for json in tests/corpus/*/*.json; do
    case $json in tests/corpus/python/*) continue ;; esac    # section 1b
    grep -q '"status": "mismatch"' "$json" || continue
    # only cases whose errors are all mismatches end ok after the fix
    kinds=$(grep '"kind"' "$json" | grep -vc '"mismatch"')
    [ "$kinds" -eq 0 ] || continue
    cfg=${json%.json}.cfg
    # a model file's case (tests/corpus/python) has no .cfg: --fix of a
    # .py is not checked here (a block class built with several sizes
    # cannot take one literal for them all)
    [ -f "$cfg" ] || continue
    flat=$(tr -d ' \n' < "$json")
    hw=$(echo "$flat" | sed 's/.*"hw":\[\([0-9,]*\)\].*/\1/' | tr , x)
    cp "$cfg" "$T/net.cfg"
    "$P" --net "$T/net.cfg" --hw "$hw" --fix >/dev/null 2>&1
    if "$P" --net "$T/net.cfg" --hw "$hw" --quiet >/dev/null 2>&1; then ok; else bad "$cfg at $hw: not ok after --fix"; fi
    # the same lines but for an input line the fix may add
    if [ "$(grep -vc '^input: ' "$cfg")" -eq "$(grep -vc '^input: ' "$T/net.cfg")" ]; then ok; else bad "$cfg: --fix changed the line count"; fi
done

# -- 1b. every mismatch-only model file (.py) -----------------------------
# After --fix at its size, the model is ok there, and the file differs only
# in the characters of the constructor arguments that changed: the same
# line count, and every line the diff does not touch the same.
for json in tests/corpus/python/*.json; do
    [ -f "$json" ] || continue
    grep -q '"status": "mismatch"' "$json" || continue
    kinds=$(grep '"kind"' "$json" | grep -vc '"mismatch"')
    [ "$kinds" -eq 0 ] || continue
    py=${json%.json}.py
    flat=$(tr -d ' \n' < "$json")
    hw=$(echo "$flat" | sed 's/.*"hw":\[\([0-9,]*\)\].*/\1/' | tr , x)
    cp "$py" "$T/model.py"
    "$P" --net "$T/model.py" --hw "$hw" --fix >/dev/null 2>&1
    if "$P" --net "$T/model.py" --hw "$hw" --quiet >/dev/null 2>&1; then ok; else bad "$py at $hw: not ok after --fix"; fi
    if [ "$(wc -l < "$py")" -eq "$(wc -l < "$T/model.py")" ]; then ok; else bad "$py: --fix changed the line count"; fi
    changed=$(diff "$py" "$T/model.py" | grep -c '^<')
    fixes=$(grep -c '"field"' "$json")
    if [ "$changed" -le "$fixes" ]; then ok; else bad "$py: --fix changed $changed lines for $fixes fixes"; fi
done

# -- 2. properties of the write -----------------------------------------
printf '# keep this comment\r\ninput: 1x28x28\r\nnn.Conv2d(1, 6, 5)\r\nnn.MaxPool2d(2)\r\nnn.Flatten()\r\nfc1 = nn.Linear(16 * 5 * 5,  120)  # tutorial value\r\nnn.Linear(?, 10)\r\n' > "$T/lenet.cfg"
chmod 640 "$T/lenet.cfg"
"$P" --net "$T/lenet.cfg" --fix >/dev/null 2>&1
expect='# keep this comment\r\ninput: 1x28x28\r\nnn.Conv2d(1, 6, 5)\r\nnn.MaxPool2d(2)\r\nnn.Flatten()\r\nfc1 = nn.Linear(864,  120)  # tutorial value\r\nnn.Linear(120, 10)\r\n'
printf "$expect" > "$T/want.cfg"
if cmp -s "$T/want.cfg" "$T/lenet.cfg"; then ok; else bad "fix of expressions, '?', CRLF and comments:"; od -c "$T/lenet.cfg" | head; fi
mode=$(stat -c %a "$T/lenet.cfg")
if [ "$mode" = 640 ]; then ok; else bad "--fix changed the mode to $mode"; fi
ls "$T" | grep -q probe && bad "--fix left a temporary file" || ok

cp probes/forum_block3.cfg "$T/block3.cfg"
"$P" --net "$T/block3.cfg" --hw 8x8 --hw 32x32 --fix >/dev/null 2>"$T/err"
code=$?
if cmp -s probes/forum_block3.cfg "$T/block3.cfg" && [ $code -eq 1 ] &&
   grep -qxF "$T/block3.cfg:17:15: error: in_features: the sizes disagree: it must stay as it is at 8x8 but 65536 at 32x32; nothing was changed" "$T/err"; then ok
else bad "conflicting sizes: file changed or no message (exit $code)"; cat "$T/err"; fi

"$P" --net "$T/block3.cfg" --hw 32x32 --diff > "$T/diff" 2>/dev/null
if cmp -s probes/forum_block3.cfg "$T/block3.cfg" && grep -q '^-    nn.Linear(4096, 1024),$' "$T/diff" &&
   grep -q '^+    nn.Linear(65536, 1024),$' "$T/diff"; then ok; else bad "--diff"; cat "$T/diff"; fi

"$P" --net "$T/block3.cfg" --hw 32x32 --hw 33x33 --fix >/dev/null 2>&1
if grep -q 'nn.Linear(65536, 1024)' "$T/block3.cfg"; then ok; else bad "two sizes that agree: not fixed"; fi

# The input channels read from the layer the fix changes (PixelUnshuffle
# makes 12 of the 3 the Conv2d declares): the fix writes the input line
# the run used, after the leading comments, in the file's line endings, so
# that the next run, given nothing, reads the same input.
printf '# header\r\n\r\n# more\r\nnn.PixelUnshuffle(2)\r\nnn.Conv2d(3, 8, 3)\r\n' > "$T/unshuf.cfg"
cp "$T/unshuf.cfg" "$T/unshuf_orig.cfg"
"$P" --net "$T/unshuf.cfg" --hw 8x8 --diff > "$T/unshuf.diff" 2>"$T/err"
code=$?
if [ $code -eq 1 ] && cmp -s "$T/unshuf.cfg" "$T/unshuf_orig.cfg" && grep -q '^+input: 3x8x8' "$T/unshuf.diff"; then ok
else bad "--diff of an added input line (exit $code)"; cat "$T/unshuf.diff" "$T/err"; fi
"$P" --net "$T/unshuf.cfg" --hw 8x8 --fix >/dev/null 2>&1
printf '# header\r\n\r\n# more\r\ninput: 3x8x8\r\nnn.PixelUnshuffle(2)\r\nnn.Conv2d(12, 8, 3)\r\n' > "$T/want.cfg"
if cmp -s "$T/want.cfg" "$T/unshuf.cfg"; then ok; else bad "input line kept by --fix:"; od -c "$T/unshuf.cfg" | head; fi
if "$P" --net "$T/unshuf.cfg" --quiet >/dev/null 2>&1 && "$P" --net "$T/unshuf.cfg" --hw 8x8 --quiet >/dev/null 2>&1; then ok
else bad "not ok after --fix added the input line"; fi
# the patch --diff printed makes the same file
if patch -s -o "$T/patched.cfg" "$T/unshuf_orig.cfg" < "$T/unshuf.diff" >/dev/null 2>&1 && cmp -s "$T/patched.cfg" "$T/unshuf.cfg"; then ok
else bad "--diff's patch does not make what --fix wrote"; cat "$T/unshuf.diff"; fi
# LF, no comment: the line goes first
printf 'nn.PixelUnshuffle(2)\nnn.Conv2d(3, 8, 3)\n' > "$T/lf.cfg"
"$P" --net "$T/lf.cfg" --hw 8x8 --fix >/dev/null 2>&1
printf 'input: 3x8x8\nnn.PixelUnshuffle(2)\nnn.Conv2d(12, 8, 3)\n' > "$T/want.cfg"
if cmp -s "$T/want.cfg" "$T/lf.cfg"; then ok; else bad "input line first:"; od -c "$T/lf.cfg" | head; fi
# a byte-order mark stays first (where this probe reads a file that has one)
printf '\357\273\277nn.PixelUnshuffle(2)\nnn.Conv2d(3, 8, 3)\n' > "$T/bom.cfg"
"$P" --net "$T/bom.cfg" --hw 8x8 --fix >/dev/null 2>&1
if [ $? -eq 2 ]; then
    echo "skip: input line after a byte-order mark: this probe refuses the mark"
else
    printf '\357\273\277input: 3x8x8\nnn.PixelUnshuffle(2)\nnn.Conv2d(12, 8, 3)\n' > "$T/want.cfg"
    if cmp -s "$T/want.cfg" "$T/bom.cfg"; then ok; else bad "input line after a BOM:"; od -c "$T/bom.cfg" | head; fi
fi
# --input the run was given is the input written
printf 'nn.PixelUnshuffle(2)\nnn.Conv2d(3, 8, 3)\n' > "$T/given.cfg"
"$P" --net "$T/given.cfg" --input 2x6x6 --fix >/dev/null 2>&1
printf 'input: 2x6x6\nnn.PixelUnshuffle(2)\nnn.Conv2d(8, 8, 3)\n' > "$T/want.cfg"
if cmp -s "$T/want.cfg" "$T/given.cfg"; then ok; else bad "input line from --input:"; cat "$T/given.cfg"; fi
# the fix makes the layer declare what the run used: no line is added
printf 'nn.Conv2d(4, 8, 3)\n' > "$T/plain.cfg"
"$P" --net "$T/plain.cfg" --input 3x8x8 --fix >/dev/null 2>&1
if [ "$(cat "$T/plain.cfg")" = 'nn.Conv2d(3, 8, 3)' ]; then ok; else bad "a needless input line:"; cat "$T/plain.cfg"; fi

# -- 3. what --fix and --diff follow, and what they refuse --------------
NET='input: 3x8x8\nnn.Conv2d(4, 8, 3)\n'
FIXED='input: 3x8x8\nnn.Conv2d(3, 8, 3)\n'
printf "$FIXED" > "$T/fixed.cfg"
# meta FILE: type, inode, links, owner, mode (stat does not follow links)
meta() { stat -c '%F %i %h %u:%g %a' "$1"; }

# a link, relative, into another directory: the target is fixed atomically
# in its own directory; the link stays a link to it (exit 1: the mismatch
# the run found, now fixed)
mkdir "$T/real" "$T/links"
printf "$NET" > "$T/real/t.cfg"
chmod 640 "$T/real/t.cfg"
ln -s ../real/t.cfg "$T/links/l.cfg"
ino=$(stat -c %i "$T/real/t.cfg")
"$P" --net "$T/links/l.cfg" --fix > "$T/out" 2>&1
code=$?
if [ $code -eq 1 ] && [ -L "$T/links/l.cfg" ] && [ "$(readlink "$T/links/l.cfg")" = ../real/t.cfg ] &&
   cmp -s "$T/fixed.cfg" "$T/real/t.cfg" && [ "$(stat -c '%F %a' "$T/real/t.cfg")" = "regular file 640" ] &&
   [ "$(stat -c %i "$T/real/t.cfg")" != "$ino" ] && grep -qxF "$T/links/l.cfg: fixed in place" "$T/out" &&
   [ "$(ls -A "$T/real")" = t.cfg ] && [ "$(ls -A "$T/links")" = l.cfg ]; then ok
else bad "--fix through a link (exit $code)"; cat "$T/out"; ls -lA "$T/real" "$T/links"; fi

# a FIFO is never opened (the bound only catches a hang: no writer comes)
mkfifo "$T/fifo.cfg"
for opt in --fix --diff; do
    timeout 60 "$P" --net "$T/fifo.cfg" $opt > "$T/out" 2> "$T/err"
    code=$?
    if [ $code -eq 2 ] && [ -p "$T/fifo.cfg" ] && [ ! -s "$T/out" ] &&
       grep -qxF "probe: error: $opt: '$T/fifo.cfg' is a FIFO (named pipe), not a regular file; copy it to a file and run probe on the copy" "$T/err"; then ok
    else bad "$opt on a FIFO (exit $code)"; cat "$T/err"; fi
done
# standard input through a link, here a pipe: refused as the FIFO it is
ln -s /proc/self/fd/0 "$T/stdin.cfg"
printf "$NET" | timeout 60 "$P" --net "$T/stdin.cfg" --fix > "$T/out" 2> "$T/err"
code=$?
if [ $code -eq 2 ] && [ -L "$T/stdin.cfg" ] && [ "$(readlink "$T/stdin.cfg")" = /proc/self/fd/0 ] &&
   grep -qxF "probe: error: --fix: '$T/stdin.cfg' is a FIFO (named pipe), not a regular file; copy it to a file and run probe on the copy" "$T/err"; then ok
else bad "--fix on a link to a pipe (exit $code)"; cat "$T/err"; fi
# '-' is standard input: --fix prints the patch, as it always has
printf "$NET" | "$P" --net - --fix > "$T/out" 2>/dev/null
if grep -qx '+nn.Conv2d(3, 8, 3)' "$T/out"; then ok; else bad "--fix of '-'"; cat "$T/out"; fi

# a device: a link to /dev/null (read only: it reads empty, so nothing
# would be written even by a probe that did not refuse), and a device node
# of its own when this user may make one
ln -s /dev/null "$T/null.cfg"
"$P" --net "$T/null.cfg" --fix > "$T/out" 2> "$T/err"
code=$?
if [ $code -eq 2 ] && [ -L "$T/null.cfg" ] && [ "$(readlink "$T/null.cfg")" = /dev/null ] && [ -c /dev/null ] &&
   grep -qxF "probe: error: --fix: '$T/null.cfg' is a character device, not a regular file; copy it to a file and run probe on the copy" "$T/err"; then ok
else bad "--fix on a link to /dev/null (exit $code)"; cat "$T/err"; fi
if mknod "$T/dev.cfg" c 1 3 2>/dev/null; then
    before=$(stat -c '%F %i %t:%T' "$T/dev.cfg")
    "$P" --net "$T/dev.cfg" --diff > "$T/out" 2> "$T/err"
    code=$?
    if [ $code -eq 2 ] && [ "$(stat -c '%F %i %t:%T' "$T/dev.cfg")" = "$before" ] &&
       grep -qxF "probe: error: --diff: '$T/dev.cfg' is a character device, not a regular file; copy it to a file and run probe on the copy" "$T/err"; then ok
    else bad "--diff on a device node (exit $code)"; cat "$T/err"; fi
else
    echo "skip: a device node of our own: mknod is not permitted here"
fi

# a directory
mkdir "$T/dir.cfg"
printf "$NET" > "$T/dir.cfg/a.cfg"
"$P" --net "$T/dir.cfg" --fix > "$T/out" 2> "$T/err"
code=$?
if [ $code -eq 2 ] && [ -d "$T/dir.cfg" ] && [ "$(ls -A "$T/dir.cfg")" = a.cfg ] &&
   grep -qxF "probe: error: --fix: '$T/dir.cfg' is a directory, not a regular file; name the files in it (--net '$T/dir.cfg/*.cfg')" "$T/err"; then ok
else bad "--fix on a directory (exit $code)"; cat "$T/err"; fi

# a file with another hard link: a fix writes a new file in its place,
# which would part the names; refused, both left as they were. --diff,
# which writes nothing, shows the change.
printf "$NET" > "$T/h1.cfg"
ln "$T/h1.cfg" "$T/h2.cfg"
before=$(meta "$T/h1.cfg")
"$P" --net "$T/h2.cfg" --fix > "$T/out" 2> "$T/err"
code=$?
printf "$NET" > "$T/net.cfg"
if [ $code -eq 2 ] && [ "$(meta "$T/h1.cfg")" = "$before" ] && [ "$(meta "$T/h2.cfg")" = "$before" ] &&
   cmp -s "$T/net.cfg" "$T/h1.cfg" &&
   grep -qxF "probe: error: --fix: '$T/h2.cfg' has 2 hard links, and a fix writes a new file in its place: the other names would keep the old text; left alone (--diff shows the change)" "$T/err"; then ok
else bad "--fix on a file with two hard links (exit $code)"; cat "$T/err"; fi
"$P" --net "$T/h2.cfg" --diff > "$T/out" 2>/dev/null
if [ "$(meta "$T/h1.cfg")" = "$before" ] && grep -qx '+nn.Conv2d(3, 8, 3)' "$T/out"; then ok; else bad "--diff on a hard link"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
