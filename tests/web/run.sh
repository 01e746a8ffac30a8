#!/bin/sh
# tests/web/run.sh WEBDIR - the page of `make web` in a real browser:
# headless Chromium driven through chromedriver's W3C WebDriver HTTP API
# with curl (no npm, no terminal needed). It opens WEBDIR/index.html from the
# file system, pastes the forum's net (probes/forum_block3.cfg), sets 32x32
# and checks the verdict, the fix and PyTorch's error with its caret, then
# that the picture (an <svg> from `probe --svg -`) is drawn, then a net with
# a syntax error and its located message. A screenshot of each state is kept
# in WEBDIR (web-*.png). A missing tool is a failure, not a skip; every
# request has a time limit; chromedriver and Chromium are stopped on exit.
set -u
WEB=${1:?usage: tests/web/run.sh WEBDIR}
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
fails=0
passes=0

die() { echo "web-test: FAIL: $*" >&2; exit 1; }
for tool in curl base64 sed awk setsid; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (make test installs it: tools/deps.sh)"
done
[ -x "$CHROMEDRIVER" ] || die "$CHROMEDRIVER is missing (Debian's chromium-driver; make test installs it)"
[ -x "$CHROMIUM" ] || die "$CHROMIUM is missing (Debian's chromium; make test installs it)"
[ -f "$WEB/index.html" ] && [ -f "$WEB/probe.js" ] || die "$WEB has no page: run make web"
[ -f probes/forum_block3.cfg ] || die "run from the top of the source tree"

PAGE="file://$(cd "$WEB" && pwd)/index.html"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/probe-web.XXXXXX") || die "cannot make a temporary directory"
DRIVER_PID=
SID=
BASE=

cleanup() {
    if [ -n "$SID" ]; then
        curl -s --max-time 10 -X DELETE "$BASE/session/$SID" >/dev/null 2>&1
    fi
    # chromedriver started Chromium: stopping its process group stops both
    if [ -n "$DRIVER_PID" ]; then
        kill -TERM "-$DRIVER_PID" 2>/dev/null || kill -TERM "$DRIVER_PID" 2>/dev/null
        sleep 0.5
        kill -KILL "-$DRIVER_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---- WebDriver over HTTP --------------------------------------------------
# req METHOD PATH [JSON]: the response body on stdout; a request that takes
# over 30 s fails.
req() {
    if [ $# -ge 3 ]; then
        curl -s --max-time 30 -X "$1" -H 'Content-Type: application/json' --data-binary "$3" "$BASE$2"
    else
        curl -s --max-time 30 -X "$1" "$BASE$2"
    fi
}

# A file or a string as a JSON string (quotes included).
json_file() {
    awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); s = s $0 "\\n" } END { printf "\"%s\"", s }' "$1"
}
json_str() { printf '%s\n' "$1" | awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "\"%s\"", $0 }'; }

# js SCRIPT [ARGS-JSON]: runs SCRIPT in the page; its "value" as raw JSON.
js() {
    req POST "/session/$SID/execute/sync" "{\"script\": $(json_str "$1"), \"args\": [${2:-}]}" |
        sed -n 's/^{"value":\(.*\)}$/\1/p'
}

element() {
    req POST "/session/$SID/element" "{\"using\": \"css selector\", \"value\": $(json_str "$1")}" |
        sed -n 's/.*"element-6066-11e4-a52e-4f735466cecf":"\([^"]*\)".*/\1/p'
}

# type_into SELECTOR JSON-STRING: clears the control and types the text, as
# a user pasting it would (an input event each).
type_into() {
    el=$(element "$1")
    [ -n "$el" ] || { check_failed "type into $1" "no element $1"; return; }
    req POST "/session/$SID/element/$el/clear" '{}' >/dev/null
    req POST "/session/$SID/element/$el/value" "{\"text\": $2}" >/dev/null
}

screenshot() {
    req GET "/session/$SID/screenshot" | sed -n 's/^{"value":"\(.*\)"}$/\1/p' | base64 -d >"$WEB/$1" 2>/dev/null
    if [ -s "$WEB/$1" ]; then echo "  screenshot: $WEB/$1"; else check_failed "screenshot $1" "no image"; fi
}

check_passed() { passes=$((passes + 1)); echo "  ok   $1"; }
check_failed() { fails=$((fails + 1)); echo "  FAIL $1: $2"; }

# wait_true SCRIPT [ARGS-JSON]: waits up to 10 s for SCRIPT to return true
# in the page (it runs probe 250 ms after the last keystroke); 1 if it never
# does.
wait_true() {
    i=0
    while [ $i -lt 40 ]; do
        [ "$(js "$1" "${2:-}")" = true ] && return 0
        sleep 0.25
        i=$((i + 1))
    done
    return 1
}

# expect NAME SELECTOR TEXT: the element's text comes to contain TEXT.
expect() {
    if wait_true "var e = document.querySelector(arguments[0]); return !!e && e.textContent.indexOf(arguments[1]) >= 0;" \
        "$(json_str "$2"), $(json_str "$3")"; then
        check_passed "$1"
        return 0
    fi
    check_failed "$1" "'$3' not in $2, which reads: $(js "var e = document.querySelector(arguments[0]); return e ? e.textContent : null;" "$(json_str "$2")")"
}

# ---- chromedriver on a free local port ------------------------------------
start_driver() {
    tries=0
    while [ $tries -lt 10 ]; do
        port=$(( (($$ + tries * 7919) % 20000) + 30000 ))
        tries=$((tries + 1))
        # a port something answers on is taken
        curl -s --max-time 2 "http://127.0.0.1:$port/" >/dev/null 2>&1
        [ $? -eq 7 ] || continue
        # its own process group, so that cleanup reaches Chromium too
        setsid "$CHROMEDRIVER" --port="$port" --log-path="$TMP/chromedriver.log" </dev/null >"$TMP/driver.out" 2>&1 &
        DRIVER_PID=$!
        BASE="http://127.0.0.1:$port"
        n=0
        while [ $n -lt 40 ]; do
            if req GET /status 2>/dev/null | grep -q '"ready":true'; then return 0; fi
            kill -0 "$DRIVER_PID" 2>/dev/null || break
            sleep 0.25
            n=$((n + 1))
        done
        kill -TERM "$DRIVER_PID" 2>/dev/null
        DRIVER_PID=
    done
    cat "$TMP/driver.out" >&2 2>/dev/null
    die "chromedriver did not start"
}

start_driver
caps='{"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:loggingPrefs": {"browser": "ALL"}, "goog:chromeOptions": {"binary": "'"$CHROMIUM"'", "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1400", "--user-data-dir='"$TMP"'/profile"]}}}}'
resp=$(req POST /session "$caps")
SID=$(printf '%s' "$resp" | sed -n 's/.*"sessionId":"\([^"]*\)".*/\1/p')
[ -n "$SID" ] || { echo "$resp" >&2; tail -20 "$TMP/chromedriver.log" >&2; die "Chromium did not start"; }

echo "web-test: $PAGE in headless $("$CHROMIUM" --version 2>/dev/null | sed -n 's/^\(Chromium [0-9.]*\).*/\1/p')"
req POST "/session/$SID/url" "{\"url\": $(json_str "$PAGE")}" >/dev/null

# ---- the page loads probe --------------------------------------------------
expect "probe.js loads and starts" "#state" "probe is loaded"

# ---- the forum's net at 32x32 ----------------------------------------------
echo "the forum's net (probes/forum_block3.cfg) at 32x32:"
type_into "#net" "$(json_file probes/forum_block3.cfg)"
type_into "#size" '"32x32"'
expect "verdict" "#verdict" "verdict: mismatch; the first Linear needs in_features=65536"
expect "verdict: exit code in words" "#verdict" "exit 1: a shape problem"
expect "fix" "#verdict" "fix: nn.Linear(65536, 1024)"
expect "PyTorch's error" "#diag" "net.cfg:17:15: error: mat1 and mat2 shapes cannot be multiplied (1x65536 and 4096x1024)"
expect "caret under 4096" "#diag" "    |               ^~~~"
expect "table" "#table" "nn.Linear(4096, 1024)"
expect "explanation" "#explain" "H_out = W_out = floor((32 + 2*1 - 1*(3-1) - 1)/1 + 1) = 32"
expect "trick" "#trick" "x = torch.rand(1, 128, 32, 32)"
expect "formula" "#formula" "in_features = 256 * floor(H / 2) * floor(W / 2)      for H, W >= 2"
expect "formula at the size set" "#formula" "(at 32x32: 256 * 16 * 16 = 65536)"
screenshot web-forum-32x32.png

# The picture is --svg -'s text put in the page: an <svg> element.
echo "the picture (probe --svg -):"
if wait_true "return document.querySelectorAll('#picture svg').length > 0;"; then
    check_passed "picture: an <svg> is drawn"
else
    check_failed "picture: an <svg> is drawn" "#picture reads: $(js "return document.getElementById('picture').textContent;")"
fi

# ---- a net with a syntax error ---------------------------------------------
echo "a net with a syntax error:"
printf 'nn.Conv2d(3, 8, 3\nnn.Linear(10, 2)\n' >"$TMP/bad.cfg"
type_into "#net" "$(json_file "$TMP/bad.cfg")"
expect "located message" "#diag" "net.cfg:1:10: error: '(' was never closed: add the ')' that ends this call"
expect "caret" "#diag" " 1 | nn.Conv2d(3, 8, 3"
expect "caret under the '('" "#diag" "   |          ^"
expect "verdict: invalid" "#verdict" "exit 2: an invalid net or a bad option"
screenshot web-syntax-error.png

# ---- the same page at a phone's width ---------------------------------------
req POST "/session/$SID/window/rect" '{"width": 390, "height": 1600}' >/dev/null
type_into "#net" "$(json_file probes/lenet5.cfg)"
expect "a phone's width: LeNet-5 at its input: line" "#verdict" "verdict: ok; the first Linear needs in_features=400"
overflow=$(js "return document.documentElement.scrollWidth <= window.innerWidth + 1;")
if [ "$overflow" = true ]; then check_passed "a phone's width: nothing wider than the screen"
else check_failed "a phone's width: nothing wider than the screen" "the page scrolls sideways"; fi
screenshot web-phone.png

# The page's policy allows no connection: an attempt to send or fetch
# anything would be logged as an error, as would any script error.
log=$(req POST "/session/$SID/se/log" '{"type": "browser"}')
case $log in
*'"value":['*) ;;
*) check_failed "the browser's log" "chromedriver gave none: $log" ;;
esac
if printf '%s' "$log" | grep -q '"level":"SEVERE"'; then
    check_failed "no error in the browser's console (no connection attempted)" "$(printf '%s' "$log" | cut -c1-600)"
else
    check_passed "no error in the browser's console (no connection attempted)"
fi

echo "web-test: $passes passed, $fails failed"
[ $fails -eq 0 ]
