#!/bin/sh
# tests/fix/run.sh PROBE - --fix and --diff end to end:
# 1. every corpus case whose only errors are mismatches: after --fix at its
#    size, the same probe says ok; and the file differs from the original
#    only inside the numbers that changed (same line count, same bytes
#    elsewhere: checked with cmp on everything but the changed lines);
# 2. the properties of the write: mode kept, a conflicting pair of sizes
#    changes nothing, a '?' is filled, expressions become literals, CRLF
#    and comments survive.
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
    grep -q '"status": "mismatch"' "$json" || continue
    # only cases whose errors are all mismatches end ok after the fix
    kinds=$(grep '"kind"' "$json" | grep -vc '"mismatch"')
    [ "$kinds" -eq 0 ] || continue
    cfg=${json%.json}.cfg
    flat=$(tr -d ' \n' < "$json")
    hw=$(echo "$flat" | sed 's/.*"hw":\[\([0-9]*\),\([0-9]*\)\].*/\1x\2/')
    # the same input: its channels too, which a net may take from a layer the fix changes
    input=$(echo "$flat" | sed 's/.*"input":\[1,\([0-9]*\),\([0-9]*\),\([0-9]*\)\].*/\1x\2x\3/')
    cp "$cfg" "$T/net.cfg"
    "$P" --net "$T/net.cfg" --input "$input" --fix >/dev/null 2>&1
    if "$P" --net "$T/net.cfg" --input "$input" --quiet >/dev/null 2>&1; then ok; else bad "$cfg at $input: not ok after --fix"; fi
    if [ "$(wc -l < "$cfg")" -eq "$(wc -l < "$T/net.cfg")" ]; then ok; else bad "$cfg: --fix changed the line count"; fi
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
   grep -q "the sizes disagree: it must stay as it is at 8x8 but 65536 at 32x32; nothing was changed" "$T/err"; then ok
else bad "conflicting sizes: file changed or no message (exit $code)"; cat "$T/err"; fi

"$P" --net "$T/block3.cfg" --hw 32x32 --diff > "$T/diff" 2>/dev/null
if cmp -s probes/forum_block3.cfg "$T/block3.cfg" && grep -q '^-    nn.Linear(4096, 1024),$' "$T/diff" &&
   grep -q '^+    nn.Linear(65536, 1024),$' "$T/diff"; then ok; else bad "--diff"; cat "$T/diff"; fi

"$P" --net "$T/block3.cfg" --hw 32x32 --hw 33x33 --fix >/dev/null 2>&1
if grep -q 'nn.Linear(65536, 1024)' "$T/block3.cfg"; then ok; else bad "two sizes that agree: not fixed"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
