#!/bin/sh
# tests/hostile/run.sh - probe against hostile input.
#
#   sh tests/hostile/run.sh PROBE [valgrind]
#
# Each case writes a net.cfg or a model file NAME.py (generated here, the
# huge ones too, so that nothing big is committed; only binary_garbage.py
# is a committed file) or passes a bad command-line value, and checks
# that probe
#   - exits with the expected code: 2 for an invalid config or bad usage,
#     1 where it is a shape problem;
#   - says where on stderr: a line that starts with "FILE:LINE:COL: error: "
#     and the start of the message (or "probe: error: " for a command-line
#     value, "FILE: error: " for a file with nothing to point at);
#   - ends at all: each case has HANG_SECONDS (60 s; 50 times that under
#     valgrind) before it counts as hung. That bound catches a hang or
#     runaway work, not slowness: a loaded machine or a sanitizer build must
#     not fail a test, so speed is measured by `make bench`
#     (tools/bench.sh), never here.
# With `valgrind` each case runs under valgrind --error-exitcode=99
# --leak-check=full instead, and any error or leak fails it. The last line
# is "N passed, N failed"; the exit status is 1 if any failed. POSIX sh
# (dash), run from anywhere.

set -u

if [ $# -lt 1 ] || [ $# -gt 2 ] || { [ $# -eq 2 ] && [ "$2" != valgrind ]; }; then
    echo "usage: sh tests/hostile/run.sh PROBE [valgrind]" >&2
    exit 2
fi
probe=$1
case $probe in
    /*) ;;
    *) probe=$(pwd)/$probe ;;
esac
if [ ! -f "$probe" ] || [ ! -x "$probe" ]; then
    echo "run.sh: '$1' is not an executable file" >&2
    exit 2
fi
vg=${2-}
if [ -n "$vg" ]; then
    command -v valgrind >/dev/null 2>&1 || { echo "run.sh: valgrind is not installed" >&2; exit 2; }
    slowdown=50
else
    slowdown=1
fi
# seconds before a case counts as hung (not a speed test: see above)
hang=${HANG_SECONDS:-60}

LC_ALL=C
export LC_ALL

# the committed inputs (binary_garbage.py), found before the cd below
here=$(cd "$(dirname "$0")" && pwd) || exit 2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/probe-hostile.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2

passed=0
failed=0
stdin=/dev/null

# run CODE WHERE ARGS... - runs probe with ARGS (standard input: $stdin)
# and checks the exit code, that a stderr line starts with WHERE (a
# standard output line: WHERE written "stdout:TEXT"), and that it ends
# (see HANG_SECONDS).
run() {
    want=$1
    where=$2
    shift 2
    file=err
    case $where in
        stdout:*) file=out; where=${where#stdout:} ;;
    esac
    limit=$((hang * slowdown))
    if [ -n "$vg" ]; then
        timeout "$limit" valgrind -q --error-exitcode=99 --leak-check=full \
            "$probe" "$@" <"$stdin" >out 2>err
    else
        timeout "$limit" "$probe" "$@" <"$stdin" >out 2>err
    fi
    code=$?
    why=
    if [ $code -eq 124 ]; then
        why="still running after $limit s: hung"
    elif [ -n "$vg" ] && [ $code -eq 99 ]; then
        why="valgrind found errors"
    elif [ $code -ne "$want" ]; then
        why="exit code $code, expected $want"
    elif ! WHERE=$where awk 'index($0, ENVIRON["WHERE"]) == 1 { found = 1 } END { exit !found }' $file; then
        why="no $file line starts with: $where"
    fi
    if [ -z "$why" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name: $why"
        echo "  command: probe $(printf "'%s' " "$@" | cut -c1-300)"
        head -c 2000 err | sed -n '1,12s/^/  stderr: /p'
    fi
}

# net NAME FORMAT [ARG...] - writes NAME.cfg with printf
net() {
    name=$1
    shift
    # shellcheck disable=SC2059
    printf "$@" >"$name.cfg"
}

# bad NAME CODE WHERE [ARG...] - probe --net NAME.cfg --hw 32x32 ARG...;
# WHERE is what follows the file name on the error line
bad() {
    name=$1
    code=$2
    where=$3
    shift 3
    run "$code" "$name.cfg$where" --net "$name.cfg" --hw 32x32 "$@"
}

# repeat N TEXT - TEXT N times, without a newline
repeat() {
    awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}

# ---- text that is not a net.cfg ----------------------------------------
net empty ''
bad empty 2 ": error: no layers"
net only_comments '# my CNN\n\n   # layers to follow\n'
bad only_comments 2 ": error: no layers"
# 4096 pseudo-random bytes, the same every run and with every awk: an LCG
# small enough to be exact in a double, printed as octal escapes
name=random_bytes
printf "$(awk 'BEGIN { x = 1; for (i = 0; i < 4096; i++) { x = (x * 75 + 74) % 65537; printf "\\%03o", x % 256 } }')" >random_bytes.cfg
bad random_bytes 2 ":1:1: error: invalid UTF-8"
net nul_byte 'nn.Conv2d(3, 8, 3)\nnn.ReLU(\000)\n'
bad nul_byte 2 ":2:9: error: NUL byte in the file"
net nul_in_comment 'nn.Conv2d(3, 8, 3)  # \000\n'
bad nul_in_comment 2 ":1:23: error: NUL byte in the file"
net invalid_utf8 'nn.Conv2d(3, 8, 3)  # caf\351\n'
bad invalid_utf8 2 ":1:26: error: invalid UTF-8"
net overlong_utf8 'nn.Conv2d(3, 8, 3)  # \300\257\n'
bad overlong_utf8 2 ":1:23: error: invalid UTF-8"
net truncated_utf8 'nn.Conv2d(3, 8, 3)  # \342\202'
bad truncated_utf8 2 ":1:23: error: invalid UTF-8"
net surrogate_utf8 'nn.Conv2d(3, 8, 3)  # \355\240\200\n'
bad surrogate_utf8 2 ":1:23: error: invalid UTF-8"
# a Cyrillic capital Es for the C of Conv2d
net lookalike_letter 'nn.\320\241onv2d(3, 8, 3)\n'
bad lookalike_letter 2 ":1:4: error: non-ASCII character outside a string or comment"
net stray_character 'nn.Conv2d(3, 8, 3) $\n'
bad stray_character 2 ":1:20: error: unexpected character"

# ---- numbers -------------------------------------------------------------
net huge_int 'nn.Conv2d(3, 99999999999999999999, 3)\n'
bad huge_int 2 ":1:14: error: number too large: sizes must fit in a signed 64-bit integer"
net int64_plus_one 'nn.Conv2d(3, 9223372036854775808, 3)\n'
bad int64_plus_one 2 ":1:14: error: number too large"
net huge_negative 'nn.Conv2d(3, 8, 3, padding=-99999999999999999999)\n'
bad huge_negative 2 ":1:29: error: number too large"
net huge_float 'nn.Dropout(p=1e400)\n'
bad huge_float 2 ":1:14: error: number too large for a float"
net overflowing_sum 'nn.Conv2d(3, 9223372036854775807 + 1, 3)\n'
bad overflowing_sum 2 ":1:14: error: arithmetic overflows a signed 64-bit integer"
net overflowing_product 'nn.Flatten()\nnn.Linear(3037000500 * 3037000500, 10)\n'
bad overflowing_product 2 ":2:11: error: arithmetic overflows a signed 64-bit integer" --input 3x32x32
net int64_min_as_none 'nn.Conv2d(3, 8, 3)\nnn.Softmax(dim=-9223372036854775807 - 1)\n'
bad int64_min_as_none 2 ":2:16: error: -9223372036854775808 is out of range for Softmax() argument 'dim'"
net division_by_zero 'nn.Conv2d(3, 8, 3 // 0)\n'
bad division_by_zero 2 ":1:19: error: division by zero"
net long_number "nn.Conv2d(3, 8, $(repeat 70 0)3)\n"
bad long_number 2 ":1:17: error: number too long"
net huge_input_line 'input: 99999999999999999999x32x32\nnn.Conv2d(3, 8, 3)\n'
run 2 "huge_input_line.cfg:1:8: error: number too large" --net huge_input_line.cfg
net input_too_many_elements 'input: 3x3037000500x3037000500\nnn.Conv2d(3, 8, 3)\n'
run 1 "input_too_many_elements.cfg:1:8: error: the input [1, 3, 3037000500, 3037000500] would have more than 9223372036854775807 elements" \
    --net input_too_many_elements.cfg
net output_too_many_elements 'nn.Conv2d(3, 8, 3)\nnn.Upsample(size=(3037000500, 3037000500))\n'
bad output_too_many_elements 1 ":2:1: error: the output of this layer [1, 8, 3037000500, 3037000500] would have more than 9223372036854775807 elements"
net channels_overflow 'nn.Conv2d(3, 9223372036854775807, 1)\n'
bad channels_overflow 1 ":1:1: error: Conv2d: a size here does not fit in a signed 64-bit integer"
net in_features_overflow 'nn.Flatten()\nnn.Linear(9223372036854775807, 2)\n'
bad in_features_overflow 1 ":2:11: error: mat1 and mat2 shapes cannot be multiplied (1x3072 and 9223372036854775807x2)" --input 3x32x32
net out_features_overflow 'nn.Flatten()\nnn.Linear(3072, 9223372036854775807)\n'
bad out_features_overflow 1 ":2:1: error: Linear: a size here does not fit in a signed 64-bit integer" --input 3x32x32
net scale_overflow 'nn.Conv2d(3, 8, 3)\nnn.Upsample(scale_factor=1e300)\n'
bad scale_overflow 1 ":2:1: error: Upsample: a size here does not fit in a signed 64-bit integer"
net padding_overflow 'nn.Conv2d(3, 8, 3, padding=9223372036854775807)\n'
bad padding_overflow 1 ":1:1: error: Conv2d: a size here does not fit in a signed 64-bit integer"

# ---- zero and negative sizes ---------------------------------------------
net zero_kernel 'nn.Conv2d(3, 8, 0)\n'
bad zero_kernel 2 ":1:17: error: kernel size should be greater than zero"
net negative_kernel 'nn.Conv2d(3, 8, -3)\n'
bad negative_kernel 2 ":1:17: error: Trying to create tensor with negative dimension -3"
net zero_stride 'nn.Conv2d(3, 8, 3, stride=0)\n'
bad zero_stride 2 ":1:27: error: non-positive stride is not supported"
net negative_stride 'nn.Conv2d(3, 8, 3, stride=(1, -2))\n'
bad negative_stride 2 ":1:27: error: non-positive stride is not supported"
net zero_pool_stride 'nn.Conv2d(3, 8, 3)\nnn.MaxPool2d(2, stride=0)\n'
bad zero_pool_stride 2 ":2:24: error: stride should not be zero"
net zero_out_channels 'nn.Conv2d(3, 0, 3)\n'
bad zero_out_channels 2 ":1:14: error: Given groups=1, expected weight to be at least 1 at dimension 0"
net negative_in_channels 'nn.Conv2d(-3, 8, 3)\n'
bad negative_in_channels 2 ":1:11: error: Trying to create tensor with negative dimension -3"
net negative_out_channels 'nn.Conv2d(3, -8, 3)\n'
bad negative_out_channels 2 ":1:14: error: Trying to create tensor with negative dimension -8"
net negative_padding 'nn.Conv2d(3, 8, 3, padding=-1)\n'
bad negative_padding 2 ":1:28: error: negative padding is not supported"
net negative_features 'nn.Flatten()\nnn.Linear(3072, -1)\n'
bad negative_features 2 ":2:17: error: Trying to create tensor with negative dimension -1" --input 3x32x32
net zero_groups 'nn.Conv2d(3, 8, 3, groups=0)\n'
bad zero_groups 2 ":1:27: error: groups must be a positive integer"

# ---- calls Python would refuse -------------------------------------------
net duplicated_keyword 'nn.Conv2d(3, 8, kernel_size=3, kernel_size=5)\n'
bad duplicated_keyword 2 ":1:32: error: keyword argument repeated: 'kernel_size'"
net keyword_twice 'nn.Conv2d(3, 8, 3, kernel_size=5)\n'
bad keyword_twice 2 ":1:20: error: Conv2d() got multiple values for argument 'kernel_size'"
net too_many_arguments "nn.Conv2d(3, 8, 3, 1, 0, 1, 1, True, 'zeros', None, None, 7)\n"
bad too_many_arguments 2 ":1:59: error: Conv2d() takes from 3 to 11 positional arguments but 12 were given"
net positional_after_keyword 'nn.Conv2d(3, out_channels=8, 3)\n'
bad positional_after_keyword 2 ":1:30: error: positional argument follows keyword argument"
net missing_argument 'nn.Conv2d(3, 8)\n'
bad missing_argument 2 ":1:1: error: Conv2d() missing 1 required positional argument: 'kernel_size'"
net unclosed_string "nn.Conv2d(3, 8, 3, padding_mode='zeros)\n"
bad unclosed_string 2 ":1:33: error: unterminated string"
net unclosed_paren 'nn.Conv2d(3, 8, 3\nnn.ReLU()\n'
bad unclosed_paren 2 ":1:10: error: '(' was never closed"
net unclosed_paren_at_eof 'nn.Conv2d(3, 8, 3,'
bad unclosed_paren_at_eof 2 ":1:10: error: '(' was never closed"
net unclosed_tuple 'nn.Conv2d(3, 8, (3, 3)\nnn.ReLU()\n'
bad unclosed_tuple 2 ":1:10: error: '(' was never closed"
net stray_paren 'nn.Conv2d(3, 8, 3)\n)\n'
bad stray_paren 2 ":2:1: error: unmatched ')': no container is open here"
net stray_paren_after_call 'nn.Conv2d(3, 8, 3))\n'
bad stray_paren_after_call 2 ":1:19: error: unmatched ')'"
net question_not_inferable 'nn.Conv2d(3, 8, ?)\n'
bad question_not_inferable 2 ":1:17: error: '?' cannot stand for Conv2d() argument 'kernel_size'"
net question_in_activation 'nn.Conv2d(3, 8, 3)\nnn.ReLU(?)\n'
bad question_in_activation 2 ":2:9: error: '?' cannot stand for ReLU() argument 'inplace'"
# the run stops before the Linear: nothing says what its '?' is
net question_never_reached 'nn.Conv2d(3, 8, 64)\nnn.Flatten()\nnn.Linear(?, 10)\n'
bad question_never_reached 1 ":1:1: error: Calculated padded input size per channel: (32 x 32). Kernel size: (64 x 64). Kernel size can't be greater than actual input size"

# ---- the input: line -----------------------------------------------------
net input_two_sizes 'input: 3x32\nnn.Conv2d(3, 8, 3)\n'
# a 1-D input to a 2-D layer: PyTorch reads [1, 3, 32] as one unbatched sample
run 1 "input_two_sizes.cfg:2:11: error: Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 1, 3, 32] to have 3 channels, but got 1 channels instead" --net input_two_sizes.cfg
net input_four_sizes 'input: 3x32x32x4\nnn.Conv2d(3, 8, 3)\n'
run 1 "input_four_sizes.cfg:2:1: error: Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [1, 3, 32, 32, 4]" --net input_four_sizes.cfg
net input_five_sizes 'input: 3x8x8x8x8\nnn.Conv2d(3, 8, 3)\n'
run 2 "input_five_sizes.cfg:1:15: error: expected 'input: CxL', 'input: CxHxW' or 'input: CxDxHxW'" --net input_five_sizes.cfg
net input_zero 'input: 3x0x32\nnn.Conv2d(3, 8, 3)\n'
run 2 "input_zero.cfg:1:10: error: input sizes must be positive" --net input_zero.cfg
net input_negative 'input: -3x32x32\nnn.Conv2d(3, 8, 3)\n'
run 2 "input_negative.cfg:1:8: error: expected 'input: CxL', 'input: CxHxW' or 'input: CxDxHxW'" --net input_negative.cfg
net input_words 'input: three by thirty-two\nnn.Conv2d(3, 8, 3)\n'
run 2 "input_words.cfg:1:8: error: expected 'input: CxL', 'input: CxHxW' or 'input: CxDxHxW'" --net input_words.cfg
net input_after_layer 'nn.Conv2d(3, 8, 3)\ninput: 3x32x32\n'
run 2 "input_after_layer.cfg:2:1: error: the input line must come before the first layer" --net input_after_layer.cfg
net input_twice 'input: 3x32x32\ninput: 3x32x32\nnn.Conv2d(3, 8, 3)\n'
run 2 "input_twice.cfg:2:1: error: a second input line" --net input_twice.cfg

# ---- bad command-line values ---------------------------------------------
net good 'nn.Conv2d(3, 8, 3)\n'
for hw in 0x0 -3x4 abc 0 32x x32 1x2x3x4 '' 0x32 32x-1 '32x32,'; do
    name="hw '$hw'"
    run 2 "probe: error: --hw '$hw': expected L, HxW or DxHxW" --net good.cfg --hw "$hw"
done
# a size of another rank than the layers': PyTorch's own error (a length
# to a Conv2d is one unbatched sample of 1 channel; a 5-D input it refuses)
name="hw '32'"
run 1 "good.cfg:1:11: error: Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 1, 3, 32] to have 3 channels, but got 1 channels instead" --net good.cfg --hw 32
name="hw '3x4x5'"
run 1 "good.cfg:1:1: error: Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [1, 3, 3, 4, 5]" --net good.cfg --hw 3x4x5
for hw in 99999999999999999999x32 32x99999999999999999999; do
    name="hw '$hw'"
    run 2 "probe: error: --hw '$hw': number too large" --net good.cfg --hw "$hw"
done
name=hw_too_many_elements
run 1 "good.cfg: error: the input [1, 3, 3037000500, 3037000500] would have more than 9223372036854775807 elements" \
    --net good.cfg --hw 3037000500x3037000500
for input in 0x32x32 3x abc 3x32x32x1x1 99999999999999999999x32x32; do
    name="input '$input'"
    run 2 "probe: error: --input '$input'" --net good.cfg --input "$input"
done

# ---- limits (see the README) ---------------------------------------------
# 100,000 nested brackets in one argument: refused at the 65th
name=nested_brackets
{ printf 'nn.Conv2d(3, 8, '; repeat 100000 '('; printf 3; repeat 100000 ')'; printf ')\n'; } >nested_brackets.cfg
bad nested_brackets 2 ":1:81: error: nesting deeper than 64 levels"
name=nested_lists
{ printf 'nn.AdaptiveAvgPool2d('; repeat 100000 '['; repeat 100000 ']'; printf ')\n'; } >nested_lists.cfg
bad nested_lists 2 ":1:86: error: nesting deeper than 64 levels"
# 100,000 containers nested on one line, as model code writes them
name=nested_inline_containers
{ repeat 100000 'nn.Sequential('; printf 'nn.Conv2d(3, 8, 3)'; repeat 100000 ')'; printf '\n'; } >nested_inline_containers.cfg
bad nested_inline_containers 2 ":1:911: error: nesting deeper than 64 levels"
# 100,000 nested containers, one per line: refused at the 65th
name=nested_containers
{ repeat 100000 'nn.Sequential(\n'; printf 'nn.Conv2d(3, 8, 3)\n'; repeat 100000 ')\n'; } >nested_containers.cfg
bad nested_containers 2 ":65:1: error: nesting deeper than 64 levels"
# a million layers, and a million containers opened and closed: read up to
# the mistake in the last line
name=million_layers
{ printf 'nn.Conv2d(3, 8, 3)\n'; repeat 999999 'nn.ReLU()\n'; printf 'nn.Bogus()\n'; } >million_layers.cfg
bad million_layers 2 ":1000001:1: error: unknown layer 'Bogus'"
name=million_containers
{ printf 'nn.Conv2d(3, 8, 3)\n'; repeat 1000000 'nn.Sequential(\n)\n'; printf 'nn.Bogus()\n'; } >million_containers.cfg
bad million_containers 2 ":2000002:1: error: unknown layer 'Bogus'"
# --formula over a million layers: its runs are planned against the work
# limit, and it says at once why it fits nothing
name=million_layers_formula
{ printf 'input: 3x8x8\n'; repeat 1000000 'nn.ReLU()\n'; } >million_layers_formula.cfg
run 1 "stdout:  no formula: a run makes 1000000 layer calls" --net million_layers_formula.cfg --formula
# a line of 5 MB: read in linear time, columns counted right
name=long_line
{ printf 'nn.Conv2d(3, 8, 3,'; repeat 5000000 ' '; printf 'kernel_size=5)\n'; } >long_line.cfg
bad long_line 2 ":1:5000019: error: Conv2d() got multiple values for argument 'kernel_size'"
name=long_name
{ printf 'nn.Conv2d(3, 8, 3)\nnn.'; repeat 5000000 'x'; printf '()\n'; } >long_name.cfg
bad long_name 2 ":2:1: error: unknown layer 'xxxxxxxx"
name=long_string
{ printf "nn.Conv2d(3, 8, 3, padding_mode='"; repeat 5000000 'z'; printf "')\n"; } >long_string.cfg
bad long_string 2 ":1:33: error: "
# a million signs before one number: no recursion, -3 in the end
name=million_signs
{ printf 'nn.Conv2d(3, 8, '; repeat 1000001 '-'; printf '3)\n'; } >million_signs.cfg
bad million_signs 2 ":1:17: error: Trying to create tensor with negative dimension -3"
# a sum of 100,001 terms: a kernel too large for the input, a shape problem
name=long_sum
{ printf 'nn.Conv2d(3, 8, 1'; repeat 100000 ' + 1'; printf ')\n'; } >long_sum.cfg
bad long_sum 1 ":1:1: error: Calculated padded input size per channel: (32 x 32). Kernel size: (100001 x 100001)"
name=many_arguments
{ printf 'nn.ReLU('; repeat 100000 '1, '; printf ')\n'; } >many_arguments.cfg
bad many_arguments 2 ":1:774: error: more than 255 arguments in one call"
name=many_inline_children
{ printf 'nn.Sequential('; repeat 100000 'nn.ReLU(), '; printf ')\n'; } >many_inline_children.cfg
bad many_inline_children 2 ":1:2820: error: more than 255 arguments in one call"
name=many_tuple_items
{ printf 'nn.Conv2d(3, 8, ('; repeat 100000 '3, '; printf '))\n'; } >many_tuple_items.cfg
bad many_tuple_items 2 ":1:300018: error: too many items in a tuple (at most 64)"
# a value of 16 MiB + 2 bytes: a bound argument's length has 24 bits
name=huge_value
{ printf 'nn.Conv2d(3, 8, 1'; repeat 8388608 '+1'; printf ')\n'; } >huge_value.cfg
bad huge_value 2 ":1:17: error: this value is 16777217 bytes long: probe reads values of at most 16777215 bytes"
rm -f huge_value.cfg
# one byte over the 256 MiB a net.cfg may have: refused unread
name=huge_file
{ printf 'nn.Conv2d(3, 8, 3)\n#'; head -c 268435437 /dev/zero | tr '\000' '-'; } >huge_file.cfg
run 2 "probe: error: cannot read 'huge_file.cfg': larger than 256 MiB (268435456 bytes)" --net huge_file.cfg
rm -f huge_file.cfg
# a device and a standard input without end: refused once past the limit
# (their memory is measured by tests/unit/cli/test_cli_read.c)
name=dev_zero
run 2 "probe: error: cannot read '/dev/zero': larger than 256 MiB (268435456 bytes)" --net /dev/zero
name=endless_stdin
stdin=/dev/zero
run 2 "probe: error: cannot read '-': larger than 256 MiB (268435456 bytes)" --net -
stdin=/dev/null

# ---- model files (.py): probe interprets them, never runs them ---------
# model NAME - writes NAME.py from standard input (a here-document) after
# the imports (3 lines). Each Net calls a Conv2d first in forward(): its
# in_channels are the input's, so no case needs --input.
model() {
    { printf 'import torch\nimport torch.nn as nn\n\n'; cat; } >"$1.py"
}

# convnet NAME - NAME.py as model writes it, its Net's __init__ begun
# with a Conv2d(3, 8, 3) (line 7); standard input goes on from there
convnet() {
    model "$1" <<'EOF'
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
EOF
    cat >>"$1.py"
}

# badpy NAME CODE WHERE [ARG...] - probe --net NAME.py --hw 32x32 ARG...;
# WHERE is what follows the file name on the error line
badpy() {
    name=$1
    code=$2
    where=$3
    shift 3
    run "$code" "$name.py$where" --net "$name.py" --hw 32x32 "$@"
}

# absent FILE - a check of its own: FILE, which the model file asked a
# command to create, does not exist
absent() {
    if [ -e "$1" ]; then
        failed=$((failed + 1))
        echo "FAIL $name: $1 was created: probe ran the model file's command"
        rm -f "$1"
    else
        passed=$((passed + 1))
    fi
}

# okpy NAME - probe --net NAME.py --hw 32x32 exits 0 with "verdict: ok"
okpy() {
    name=$1
    timeout "$((hang * slowdown))" "$probe" --net "$name.py" --hw 32x32 </dev/null >out 2>err
    code=$?
    if [ $code -eq 0 ] && [ "$(tail -n 1 out)" = "verdict: ok" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name: exit code $code, expected 0 and 'verdict: ok'"
        head -c 2000 err | sed -n '1,12s/^/  stderr: /p'
    fi
}

# endless work: the step limit (5,000,000 steps an evaluation) ends it
convnet loop_in_forward <<'EOF'

    def forward(self, x):
        x = self.conv(x)
        while True:
            pass
        return x
EOF
badpy loop_in_forward 2 ":12:13: error: RuntimeError: the model file runs more than 5000000 steps here: an endless loop? (probe's limit on one evaluation)"
convnet loop_in_init <<'EOF'
        while True:
            pass

    def forward(self, x):
        return self.conv(x)
EOF
badpy loop_in_init 2 ":9:13: error: RuntimeError: the model file runs more than 5000000 steps here: an endless loop? (probe's limit on one evaluation)"
model loop_in_helper <<'EOF'
def spin(x):
    n = 0
    while True:
        n = n + 1
    return x


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return spin(self.conv(x))
EOF
badpy loop_in_helper 2 ":7:9: error: RuntimeError: the model file runs more than 5000000 steps here: an endless loop? (probe's limit on one evaluation)"
convnet huge_range_loop <<'EOF'

    def forward(self, x):
        x = self.conv(x)
        for i in range(10**18):
            x = x + 1
        return x
EOF
badpy huge_range_loop 2 ":11:18: error: MemoryError: a range of 1000000000000000000 items: probe's limit is 1000000"
model huge_range_comprehension <<'EOF'
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(3, 3, 1) for i in range(10**9)])

    def forward(self, x):
        return self.convs[0](x)
EOF
badpy huge_range_comprehension 2 ":7:65: error: MemoryError: a range of 1000000000 items: probe's limit is 1000000"

# recursion: 200 nested calls at most
convnet method_recursion <<'EOF'

    def deeper(self, x):
        return self.deeper(x)

    def forward(self, x):
        return self.deeper(self.conv(x))
EOF
badpy method_recursion 2 ":10:16: error: RecursionError: maximum recursion depth exceeded (probe's limit: 200 nested calls)"
model classes_build_each_other <<'EOF'
class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = B()

    def forward(self, x):
        return self.b(x)


class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = A()

    def forward(self, x):
        return self.a(x)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.a = A()

    def forward(self, x):
        return self.a(self.conv(x))
EOF
badpy classes_build_each_other 2 ":7:18: error: RecursionError: maximum recursion depth exceeded (probe's limit: 200 nested calls)"
# nn.Sequential nested 100,000 deep by a loop: each level is a call
convnet nested_sequential <<'EOF'
        s = nn.ReLU()
        for i in range(100000):
            s = nn.Sequential(s)
        self.s = s

    def forward(self, x):
        return self.s(self.conv(x))
EOF
badpy nested_sequential 2 ":14:16: error: RecursionError: maximum recursion depth exceeded (probe's limit: 200 nested calls)"
# lists nested a million deep by a loop: compared, ordered and returned
# without recursion on the C stack
convnet nested_lists_compared <<'EOF'
        y = 1
        z = 2
        for i in range(1000000):
            y = [y]
            z = [z]
        self.same = y == z
        if y < z:
            self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return self.conv(x)
EOF
badpy nested_lists_compared 2 ":14:12: error: RecursionError: maximum recursion depth exceeded in comparison"
convnet list_holds_itself <<'EOF'
        y = []
        y.append(y)
        z = []
        z.append(z)
        self.same = y == y and y is y and y in y
        if y < z:
            self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return self.conv(x)
EOF
badpy list_holds_itself 2 ":13:12: error: RecursionError: maximum recursion depth exceeded in comparison"
convnet nested_list_returned <<'EOF'

    def forward(self, x):
        x = self.conv(x)
        for i in range(1000000):
            x = [x]
        return x
EOF
okpy nested_list_returned

# sizes: a million items, a million characters, 64-bit integers
convnet huge_list <<'EOF'
        x = [0] * 10**13

    def forward(self, x):
        return self.conv(x)
EOF
badpy huge_list 2 ":8:13: error: MemoryError: a list of 1 x 10000000000000 items: probe's limit is 1000000"
convnet string_doubling <<'EOF'
        s = 'a'
        while True:
            s = s + s

    def forward(self, x):
        return self.conv(x)
EOF
badpy string_doubling 2 ":10:17: error: MemoryError: a string of 1048576 characters: probe's limit is 1000000"
convnet power_tower <<'EOF'
        n = 10 ** 10 ** 10

    def forward(self, x):
        return self.conv(x)
EOF
badpy power_tower 2 ":8:13: error: OverflowError: this integer does not fit in 64 bits: probe's integers are signed 64-bit, and no tensor size is larger"
# a Linear of 2**62 x 2**62 weights: a mismatch (repaired), then its size
# does not fit in 64 bits, as for a net.cfg (in_features_overflow)
convnet linear_overflow <<'EOF'
        self.fc = nn.Linear(2**62, 2**62)

    def forward(self, x):
        x = self.conv(x)
        return self.fc(x.flatten(1))
EOF
badpy linear_overflow 1 ":8:29: error: mat1 and mat2 shapes cannot be multiplied (1x7200 and 4611686018427387904x4611686018427387904)"
badpy linear_overflow 1 ":8:19: error: Linear: a size here does not fit in a signed 64-bit integer (input [1, 7200]); PyTorch could not allocate such a tensor"

# deep nesting: refused by the parser, without recursion to match
name=nested_parens
{ printf 'N = '; repeat 1000 '('; printf 3; repeat 1000 ')'; printf '\n'; } >nested_parens.py
badpy nested_parens 2 ":1:205: error: SyntaxError: too many nested parentheses"
name=nested_lists_literal
{ printf 'N = '; repeat 1000 '['; repeat 1000 ']'; printf '\n'; } >nested_lists_literal.py
badpy nested_lists_literal 2 ":1:205: error: SyntaxError: too many nested parentheses"
name=nested_ifs
awk 'BEGIN { print "def f(x):"; for (i = 1; i <= 300; i++) { for (j = 0; j < i; j++) printf "    "; print "if x:" }
             for (j = 0; j <= 300; j++) printf "    "; print "pass" }' >nested_ifs.py
badpy nested_ifs 2 ":101:1: error: IndentationError: too many levels of indentation"
name=unary_minus
{ printf 'N = '; repeat 100000 '-'; printf '3\n'; } >unary_minus.py
badpy unary_minus 2 ":1:205: error: SyntaxError: too deeply nested: probe reads at most 200 levels of nested expressions and blocks"

# what would run code or touch files: refused at its line, never run
convnet call_exec <<'EOF'
        exec('import os')

    def forward(self, x):
        return self.conv(x)
EOF
badpy call_exec 2 ":8:9: error: probe never runs exec(): it reads the model, it does not execute the file; take the call out of the model's code"
model call_eval <<'EOF'
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, eval('1'))

    def forward(self, x):
        return self.conv(x)
EOF
badpy call_eval 2 ":7:37: error: probe never runs eval(): it reads the model, it does not execute the file; take the call out of the model's code"
convnet call_open <<'EOF'
        self.text = open('/etc/passwd').read()

    def forward(self, x):
        return self.conv(x)
EOF
badpy call_open 2 ":8:21: error: probe never runs open(): it reads the model, it does not execute the file; take the call out of the model's code"
convnet dunder_import <<'EOF'

    def forward(self, x):
        x = self.conv(x)
        __import__('os').system('touch pwned_dunder_import')
        return x
EOF
badpy dunder_import 2 ":11:9: error: probe never runs __import__(): it reads the model, it does not execute the file; take the call out of the model's code"
absent pwned_dunder_import
{ printf 'import os\n'; convnet os_system <<'EOF'
        os.system('touch pwned_os_system')

    def forward(self, x):
        return self.conv(x)
EOF
cat os_system.py; } >os_system.tmp && mv os_system.tmp os_system.py
badpy os_system 2 ":9:9: error: probe does not know the module 'os': a model file may import it, not use it (os.system)"
absent pwned_os_system
{ printf 'import subprocess\n'; convnet subprocess_run <<'EOF'

    def forward(self, x):
        x = self.conv(x)
        subprocess.run(['touch', 'pwned_subprocess'])
        return x
EOF
cat subprocess_run.py; } >subprocess_run.tmp && mv subprocess_run.tmp subprocess_run.py
badpy subprocess_run 2 ":12:9: error: probe does not know the module 'subprocess': a model file may import it, not use it (subprocess.run)"
absent pwned_subprocess
convnet torch_load <<'EOF'
        self.weights = torch.load('x.pt')

    def forward(self, x):
        return self.conv(x)
EOF
badpy torch_load 2 ":8:24: error: probe never loads or saves anything: it reads the model, it does not execute the file"

# text that is not Python
model bad_indent <<'EOF'
class Net(nn.Module):
    def __init__(self):
        super().__init__()
          self.conv = nn.Conv2d(3, 8, 3)
EOF
badpy bad_indent 2 ":7:10: error: IndentationError: unexpected indent"
name=tab_error
printf 'import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n\tself.conv = nn.Conv2d(3, 8, 3)\n' >tab_error.py
badpy tab_error 2 ":6:1: error: TabError: inconsistent use of tabs and spaces in indentation"
model unclosed_bracket <<'EOF'
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3

    def forward(self, x):
        return self.conv(x)
EOF
badpy unclosed_bracket 2 ":7:30: error: SyntaxError: '(' was never closed"
name=nul_byte_py
printf 'import torch.nn as nn\nN = 3\000\n' >nul_byte_py.py
badpy nul_byte_py 2 ":2:6: error: SyntaxError: source code cannot contain null bytes"
name=invalid_utf8_py
printf 'import torch.nn as nn  # caf\351\n' >invalid_utf8_py.py
badpy invalid_utf8_py 2 ":1:29: error: SyntaxError: Non-UTF-8 code starting with '\\xe9' on line 1, but no encoding declared"
# 4096 bytes of /dev/urandom, committed
name=binary_garbage
cp "$here/binary_garbage.py" binary_garbage.py
badpy binary_garbage 2 ":1:2: error: SyntaxError: Non-UTF-8 code starting with '\\x8b' on line 1, but no encoding declared"
name=empty_py
: >empty_py.py
badpy empty_py 2 ":1:1: error: ValueError: no model in this file: probe looks for an nn.Module class whose forward() takes one input; name it with --model NAME"
name=only_comments_py
printf '# my model\n\n   # to follow\n' >only_comments_py.py
badpy only_comments_py 2 ":1:1: error: ValueError: no model in this file: probe looks for an nn.Module class whose forward() takes one input; name it with --model NAME"
model no_module <<'EOF'
class Config(object):
    channels = 8


class Helper:
    def __init__(self):
        self.n = Config.channels
EOF
badpy no_module 2 ":1:1: error: ValueError: no model in this file: probe looks for an nn.Module class whose forward() takes one input; name it with --model NAME"

# a forward() that returns no tensor, and one that needs data
convnet returns_empty_list <<'EOF'

    def forward(self, x):
        x = self.conv(x)
        return []
EOF
badpy returns_empty_list 2 ":9:9: error: TypeError: forward() returned list, not a tensor"
convnet returns_list_of_ints <<'EOF'

    def forward(self, x):
        x = self.conv(x)
        return [x.size(0), x.size(1)]
EOF
badpy returns_list_of_ints 2 ":9:9: error: TypeError: forward() returned list, not a tensor"
# a list of tensors is the output's first tensor, as for a tuple (MODELPY.md)
convnet returns_list <<'EOF'

    def forward(self, x):
        return [self.conv(x)]
EOF
okpy returns_list
convnet item_branch <<'EOF'

    def forward(self, x):
        x = self.conv(x)
        if x.mean().item() > 0:
            x = x * 2
        return x
EOF
badpy item_branch 2 ":11:12: error: this needs the tensor's values: probe has shapes, not data"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
