#!/bin/sh
# tests/install/run.sh BUILD_DIR - make install into a DESTDIR, then use
# what it installed as a packager's user would: the binary, the man page,
# the headers and library through pkg-config; then make uninstall.
# Also the README's CI recipes (pre-commit entry, GitHub annotations) and
# colour only on a terminal. Ends with 'N passed, N failed'.
set -u
B=${1:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
check() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $*"; fi; }
D=$T/dest
P=/opt/probe-test

make --no-print-directory B="$B" install DESTDIR="$D" PREFIX=$P >"$T/log" 2>&1 || { cat "$T/log"; echo "0 passed, 1 failed"; exit 1; }
check test -x "$D$P/bin/probe"
check test -f "$D$P/lib/libprobe.a"
check test -f "$D$P/lib/libprobe.so.0.1.0"
check test "$(readlink "$D$P/lib/libprobe.so.0")" = libprobe.so.0.1.0
check test "$(readlink "$D$P/lib/libprobe.so")" = libprobe.so.0
check test -f "$D$P/include/probe.h"
check test -f "$D$P/include/probe_plugin.h"
check test -f "$D$P/share/man/man1/probe.1"
check sh -c "objdump -p '$D$P/lib/libprobe.so.0.1.0' | grep -q 'SONAME *libprobe.so.0'"
# the shared library exports its API and nothing else: every defined
# dynamic symbol is a probe_* function of include/
nm -D --defined-only "$D$P/lib/libprobe.so.0.1.0" | awk '{ print $3 }' > "$T/exports"
check grep -q '^probe_run$' "$T/exports"
check test "$(grep -cv '^probe_' "$T/exports")" -eq 0
check sh -c "'$D$P/bin/probe' --version | grep -q '^probe '"
# the man page documents every option the binary knows
for opt in $("$D$P/bin/probe" --help | grep -o -- '--[a-z-]*' | sort -u); do
    check grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$D$P/share/man/man1/probe.1"
done

# a C program built with pkg-config against the installed library
cat > "$T/app.c" <<'C'
#include <probe.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    const char *text = "input: 1x28x28\nnn.Conv2d(1, 6, 5)\nnn.Flatten()\nnn.Linear(?, 10)\n";
    probe_registry *reg = probe_registry_new();
    probe_net *net = probe_net_parse(reg, "app.cfg", text, strlen(text));
    probe_result *res = probe_run(net, NULL);
    printf("%s %lld\n", probe_status_name(probe_result_status(res)), (long long)probe_result_in_features(res));
    probe_result_free(res);
    probe_net_free(net);
    probe_registry_free(reg);
    return 0;
}
C
PC="$D$P/lib/pkgconfig"
# the .pc names the final prefix; a DESTDIR install is found by redirecting it
flags=$(PKG_CONFIG_PATH=$PC pkg-config --define-variable=prefix="$D$P" --define-variable=libdir="$D$P/lib" --cflags --libs --static probe)
check sh -c "cc -o '$T/app' '$T/app.c' $flags"
check sh -c "LD_LIBRARY_PATH='$D$P/lib' '$T/app' | grep -qx 'ok 3456'"

make --no-print-directory B="$B" uninstall DESTDIR="$D" PREFIX=$P >"$T/log" 2>&1
check test -z "$(find "$D" -type f -o -type l)"

# the README's pre-commit entry, on two staged files, one of them wrong
cp probes/lenet5.cfg "$T/good.cfg"
sed 's/16 \* 5 \* 5/16 * 4 * 4/' probes/lenet5.cfg > "$T/bad.cfg"
PATH="$B:$PATH" sh -c 'for f; do probe --quiet --net "$f" || exit $?; done' -- "$T/good.cfg" >"$T/out" 2>&1
check test $? -eq 0
PATH="$B:$PATH" sh -c 'for f; do probe --quiet --net "$f" || exit $?; done' -- "$T/good.cfg" "$T/bad.cfg" >"$T/out" 2>&1
check test $? -eq 1
# the GitHub step: annotations on the changed line
"$B/probe" --net "$T/bad.cfg" --format=github >"$T/out" 2>&1
check grep -qF "::error file=$T/bad.cfg,line=16,col=17::mat1 and mat2 shapes cannot be multiplied (1x400 and 256x120) (fix: nn.Linear(400, 120))" "$T/out"

# colour: on a terminal only, and never with NO_COLOR. The terminal is a
# pseudo-terminal from script(1); a machine without /dev/pts (a container)
# cannot give one, so script is tried first on a plain echo, and the colour
# checks are skipped with the reason printed when it fails. Every check
# also needs the verdict in the output: empty output passes nothing.
tty_ok=no
if command -v script >/dev/null 2>&1 &&
   script -qec "echo probe-tty-check" /dev/null 2>/dev/null | grep -q probe-tty-check; then
    tty_ok=yes
fi
if [ "$tty_ok" = yes ]; then
    script -qec "$B/probe --net probes/lenet5.cfg" /dev/null > "$T/tty" 2>&1
    check grep -q "$(printf '\033')\[1;32mok" "$T/tty"
    NO_COLOR=1 script -qec "$B/probe --net probes/lenet5.cfg" /dev/null > "$T/tty" 2>&1
    check grep -q "^verdict: ok" "$T/tty"
    check sh -c "! grep -q '$(printf '\033')' '$T/tty'"
    TERM=dumb script -qec "$B/probe --net probes/lenet5.cfg" /dev/null > "$T/tty" 2>&1
    check grep -q "^verdict: ok" "$T/tty"
    check sh -c "! grep -q '$(printf '\033')' '$T/tty'"
else
    echo "SKIP: colour on a terminal: no pseudo-terminal can be opened here (script(1) missing or /dev/pts unavailable)"
fi
"$B/probe" --net probes/lenet5.cfg > "$T/pipe" 2>&1
check grep -q "^verdict: ok" "$T/pipe"
check sh -c "! grep -q '$(printf '\033')' '$T/pipe'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
