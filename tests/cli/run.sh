#!/bin/sh
# tests/cli/run.sh - the command-line tests of probe.
#
#   sh tests/cli/run.sh [--update] PROBE [CASE...]
#
# Each case is a directory tests/cli/cases/NAME/ holding
#   args     the arguments, one per line, passed as they are (no shell
#            word splitting, globbing or quoting); @PROBES@ stands for the
#            probes/ directory and @CASE@ for the case's own directory,
#            both relative to the repository root so that the paths probe
#            prints are the same on every machine
#   stdin    optional: fed to standard input (else /dev/null)
#   stdout, stderr, code
#            what probe must print and its exit status, compared exactly
# PROBE runs from the repository root. Every failure prints a diff; the last
# line is "N passed, N failed" and the exit status is 1 if any failed.
#
# --update rewrites stdout, stderr and code of every case from what PROBE
# does now (also to fill in a new case that has only args), so that a
# deliberate change can be reviewed with git diff before it is committed.
# tests/cli/pending/ holds cases whose right output probe does not give yet;
# they are not run. Written for POSIX sh (dash), not bash.

set -u

update=0
if [ "${1-}" = "--update" ]; then
    update=1
    shift
fi
if [ $# -lt 1 ]; then
    echo "usage: sh tests/cli/run.sh [--update] PROBE [CASE...]" >&2
    exit 2
fi
probe=$1

# The probe's path is taken relative to where we were started, before the
# cd to the repository root.
case $probe in
    /*) ;;
    */*) probe=$(pwd)/$probe ;;
    *) probe=$(command -v "$probe") || { echo "run.sh: no program '$1' in PATH" >&2; exit 2; } ;;
esac
if [ ! -f "$probe" ] || [ ! -x "$probe" ]; then
    echo "run.sh: '$1' is not an executable file" >&2
    exit 2
fi
shift

here=$(dirname "$0")
root=$(cd "$here/../.." && pwd) || exit 2
cd "$root" || exit 2
cases=tests/cli/cases

# Messages must not depend on the caller's locale.
LC_ALL=C
export LC_ALL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/probe-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# subst TEXT: TEXT with every @PROBES@ and @CASE@ replaced; the result is
# left in $out (a command substitution would eat trailing newlines).
subst() {
    out=
    rest=$1
    while :; do
        case $rest in
            *@PROBES@*|*@CASE@*) ;;
            *) break ;;
        esac
        a=${rest%%@PROBES@*}
        b=${rest%%@CASE@*}
        # the token that comes first is the shorter prefix
        if [ ${#a} -le ${#b} ]; then
            out=$out${a}probes
            rest=${rest#*@PROBES@}
        else
            out=$out${b}$dir
            rest=${rest#*@CASE@}
        fi
    done
    out=$out$rest
}

# run_case DIR: runs probe as DIR says; leaves stdout, stderr and code in $tmp.
run_case() {
    dir=$1
    cmdline=probe
    set --
    if [ -f "$dir/args" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            subst "$line"
            set -- "$@" "$out"
            cmdline="$cmdline '$out'"
        done < "$dir/args"
    fi
    input=/dev/null
    if [ -f "$dir/stdin" ]; then
        input=$dir/stdin
        cmdline="$cmdline < $input"
    fi
    "$probe" "$@" < "$input" > "$tmp/stdout" 2> "$tmp/stderr"
    echo $? > "$tmp/code"
}

if [ $# -gt 0 ]; then
    names=$*
else
    names=
    for d in "$cases"/*/; do
        [ -d "$d" ] || continue
        d=${d%/}
        names="$names ${d##*/}"
    done
fi

passed=0
failed=0
updated=0
for name in $names; do
    dir=$cases/$name
    if [ ! -f "$dir/args" ]; then
        echo "FAIL $name: no file $dir/args"
        failed=$((failed + 1))
        continue
    fi
    run_case "$dir"
    same=1
    for f in stdout stderr code; do
        if [ ! -f "$dir/$f" ] || ! cmp -s "$tmp/$f" "$dir/$f"; then
            same=0
        fi
    done
    if [ $same = 1 ]; then
        passed=$((passed + 1))
        continue
    fi
    if [ $update = 1 ]; then
        for f in stdout stderr code; do
            cp "$tmp/$f" "$dir/$f"
        done
        echo "updated $name"
        updated=$((updated + 1))
        continue
    fi
    echo "FAIL $name"
    echo "  command: $cmdline"
    for f in stdout stderr code; do
        if [ ! -f "$dir/$f" ]; then
            echo "  no expected $f: write it with --update"
        elif ! cmp -s "$tmp/$f" "$dir/$f"; then
            echo "  $f differs (- expected, + got):"
            diff -u "$dir/$f" "$tmp/$f" | sed -e '1,2d' -e 's/^/    /'
        fi
    done
    failed=$((failed + 1))
done

if [ $update = 1 ]; then
    echo "$updated updated, $passed unchanged"
    exit 0
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
