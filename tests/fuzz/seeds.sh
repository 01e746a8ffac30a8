#!/bin/sh
# tests/fuzz/seeds.sh - the fuzzers' seed corpora and dictionary.
#
#   sh tests/fuzz/seeds.sh OUTDIR
#
# Makes OUTDIR/parse/ (every probes/*.cfg and tests/corpus/*/*.cfg as it
# is), OUTDIR/probe/ (the same behind fuzz_probe's 4 option bytes: once at
# 32x32, once at the size the file gives or infers, once with huge sizes
# and the strict/explain flags) and OUTDIR/netcfg.dict (the tokens of a
# net.cfg, layer and parameter names taken from src/ops.def so that the
# dictionary follows the layers). The crash inputs of tests/fuzz/regressions
# are seeds too. Run from the repository root; POSIX sh.

set -eu
out=${1:?usage: sh tests/fuzz/seeds.sh OUTDIR}
mkdir -p "$out/parse" "$out/probe"

n=0
for f in probes/*.cfg tests/corpus/*/*.cfg tests/fuzz/regressions/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    cp "$f" "$out/parse/seed$n"
    # H W flags accepts: 32x32; the file's own size; 2^31+1 x 3037000500 strict+explain
    { printf '\040\040\000\100'; cat "$f"; } > "$out/probe/seed$n-a"
    { printf '\000\000\002\377'; cat "$f"; } > "$out/probe/seed$n-b"
    { printf '\203\204\003\001'; cat "$f"; } > "$out/probe/seed$n-c"
done

dict=$out/netcfg.dict
{
    for t in '(' ')' '[' ']' ',' '=' ':' '.' '?' '+' '-' '*' '/' '//' '#' '\\' \
             '\x0a' '\x0d\x0a' '\x09' "'" '\"' 'input:' 'input: 3x32x32' 'x' 'nn.' 'torch.nn.' 'torch.' \
             'self.' '(0): ' 'True' 'False' 'None' "'same'" "'valid'" "'zeros'" "'nearest'" "'bilinear'" \
             'Sequential(' 'ModuleList(' 'ModuleDict(' 'BasicBlock(' '(downsample): ' \
             '9223372036854775807' '9223372036854775808' '-9223372036854775808' '3037000500' \
             '1e308' '1e300' '1e-300' '0.5' '0' '-1' '1_000' '.5' '1.e5' 'inf' 'nan' \
             '\xd0\xa1' '\xef\xbb\xbf' '\x00' '\xff'; do
        printf '"%s"\n' "$t"
    done
    # layer names and parameter names of the schemas
    sed -n 's/^OP([A-Z0-9_]*, *[a-z0-9_]*, *[A-Z_]*, *"\([A-Za-z0-9_]*\)(.*/\1/p' src/ops.def |
        while read -r name; do printf '"%s"\n"%s("\n' "$name" "$name"; done
    grep -o '[(,] *~\{0,1\}[a-z_][a-z_0-9]*:' src/ops.def | sed 's/^[(,] *~\{0,1\}//; s/:$//' | sort -u |
        while read -r p; do printf '"%s="\n' "$p"; done
} > "$dict"
echo "seeds.sh: $n files, $(wc -l < "$dict") dictionary entries in $out"
