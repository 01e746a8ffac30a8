#!/bin/sh
# tests/fuzz/seeds.sh - the fuzzers' seed corpora and dictionary.
#
#   sh tests/fuzz/seeds.sh OUTDIR
#
# Makes OUTDIR/parse/ (every probes/*.cfg and tests/corpus/*/*.cfg as it
# is), OUTDIR/probe/ (the same behind fuzz_probe's 4 option bytes: once at
# 32x32, once at the size the file gives or infers, once with huge sizes
# and the strict/explain flags) and OUTDIR/netcfg.dict (the tokens of a
# net.cfg, layer and parameter names taken from src/ops/ops.def so that the
# dictionary follows the layers). The crash inputs of tests/fuzz/regressions
# are seeds too. OUTDIR/cli/ holds argument vectors for fuzz_cli (those of
# tests/cli/cases, and a few of --fix, --sweep and --min-hw) and
# OUTDIR/cli.dict its options and file names. OUTDIR/py/ holds the Python
# model files of tests/unit/py/data and the crashes of
# tests/fuzz/regressions-py for fuzz_py, OUTDIR/py.dict Python's tokens. Run from the repository
# root; POSIX sh.

set -eu
out=${1:?usage: sh tests/fuzz/seeds.sh OUTDIR}
mkdir -p "$out/parse" "$out/probe" "$out/cli" "$out/py" "$out/model"

# fuzz_model: every model file of probes/ and of the Python corpus, behind
# fuzz_probe's 4 option bytes (32x32 and the file's own size), and the
# model files' saved crashes
n=0
for f in probes/*.py tests/corpus/python/*.py tests/fuzz/regressions-model/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    { printf '\040\040\000\100'; cat "$f"; } > "$out/model/seed$n-a"
    { printf '\000\000\002\010'; cat "$f"; } > "$out/model/seed$n-b"
done

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

# fuzz_cli: the argument vectors of the CLI tests, one argument a line, the
# example nets by their names in the fuzzer's scratch directory
n=0
for a in tests/cli/cases/*/args; do
    n=$((n + 1))
    sed 's|^@PROBES@/||; s|^@CASE@/||' "$a" > "$out/cli/case$n"
done
printf -- '--net\nlenet5.cfg\n--hw\n8x8,9x9\n--hw\n10x10\n--fix\n' > "$out/cli/fix-sizes"
printf -- '--net\nlink.cfg\n--fix\n--net\nshuffle.cfg\n--net\n*.cfg\n--diff\n' > "$out/cli/fix-links"
printf -- '--net\nforum_block3.cfg\n--sweep\n1..64\n--json\n--net\ndir.cfg\n' > "$out/cli/sweep"
printf -- '--net\nalexnet.cfg\n--min-hw\n--hw\n224x?\n--format=github\n' > "$out/cli/min-hw"
{
    grep -o -- '--[a-z-]*' src/cli/cli_args.c | sort -u | while read -r o; do printf '"%s"\n"%s="\n' "$o" "$o"; done
    for t in '\x0a' 'x' ',' '?' '..' '-' '*' '[' 'text' 'json' 'github' '-h' \
             '32x32' '224x224,320x320' '3x32x32' '1..1000000' '9223372036854775807' '0' \
             'lenet5.cfg' 'forum_block3.cfg' 'alexnet.cfg' 'shuffle.cfg' 'link.cfg' 'dangling.cfg' \
             'dir.cfg' 'empty.cfg' 'not_utf8.cfg' 'missing.cfg' '*.cfg'; do
        printf '"%s"\n' "$t"
    done
} > "$out/cli.dict"

# fuzz_py: the Python model files of the tests and its saved crashes, and
# the tokens of Python
n=0
for f in tests/unit/py/data/*.py tests/fuzz/regressions-py/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    cp "$f" "$out/py/seed$n"
done
{
    for t in '(' ')' '[' ']' '{' '}' ',' ':' '.' ';' '@' '=' '->' '...' ':=' '==' '!=' '<' '>' '<=' '>=' \
             '+' '-' '*' '/' '//' '%' '**' '~' '&' '|' '^' '<<' '>>' '+=' '**=' '//=' '@=' '>>=' \
             '\x0a' '\x0d\x0a' '\x09' '    ' '\\\x0a' '#' "'" '\"' "'''" "f'" "b'" "rb'" '0x' '1_0' '1e5' '.5' \
             '9223372036854775808' 'False' 'None' 'True' 'and' 'as' 'assert' 'async' 'await' 'break' \
             'class' 'continue' 'def' 'del' 'elif' 'else' 'except' 'finally' 'for' 'from' 'global' \
             'if' 'import' 'in' 'is' 'lambda' 'nonlocal' 'not' 'or' 'pass' 'raise' 'return' 'try' \
             'while' 'with' 'yield' 'match' 'case' 'self' 'nn.' 'torch' 'forward' '__init__'; do
        printf '"%s"\n' "$t"
    done
} > "$out/py.dict"

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
    sed -n 's/^OP([A-Z0-9_]*, *[a-z0-9_]*, *[A-Z_0-9| ]*, *"\([A-Za-z0-9_]*\)(.*/\1/p' src/ops/ops.def |
        while read -r name; do printf '"%s"\n"%s("\n' "$name" "$name"; done
    grep -o '[(,] *~\{0,1\}[a-z_][a-z_0-9]*:' src/ops/ops.def | sed 's/^[(,] *~\{0,1\}//; s/:$//' | sort -u |
        while read -r p; do printf '"%s="\n' "$p"; done
} > "$dict"
echo "seeds.sh: seeds and dictionaries in $out"
