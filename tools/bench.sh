#!/bin/sh
# bench.sh - probe's benchmarks (`make bench`): wall time (median of N runs)
# and peak memory of whole processes, next to a process that only reads the
# file and, when /usr/bin/python3 can import torch, the forum trick itself.
# Usage: tools/bench.sh BUILD_DIR
set -eu
B=${1:-build}
P=$B/probe
M=$B/measure
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

row() { # label, runs, command...
    label=$1; n=$2; shift 2
    set -- $("$M" "$n" "$@")
    printf '%-52s %10s ms %9s KiB  exit %s\n' "$label" "$1" "$2" "$3"
    LAST_MS=$1
    LAST_RSS=$2
}

echo "machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')"
echo "probe:   $($P --version)"
echo

echo "== the example nets (median of 50 runs) =="
row "read the file only (cat probes/alexnet.cfg)" 50 cat probes/alexnet.cfg
READ_MS=$LAST_MS
row "probe alexnet.cfg --hw 224x224" 50 "$P" --net probes/alexnet.cfg --hw 224x224
ALEX_MS=$LAST_MS
for f in probes/forum_block3.cfg probes/cifar10_cnn.cfg probes/lenet5.cfg probes/vgg16.cfg; do
    row "probe $(basename "$f") --hw 32x32" 50 "$P" --net "$f" --hw 32x32
done

echo
echo "== sizes: inference, --min-hw, --sweep on VGG16 (median of 20 runs) =="
row "probe vgg16.cfg (no size: search 1..4096)" 20 "$P" --net probes/vgg16.cfg
row "probe vgg16.cfg --min-hw" 20 "$P" --net probes/vgg16.cfg --min-hw
row "probe forum_block3.cfg (no size: search 1..4096)" 20 "$P" --net probes/forum_block3.cfg
row "probe vgg16.cfg --sweep 1..4096 (every size)" 5 "$P" --net probes/vgg16.cfg --sweep 1..4096

echo
echo "== cost per layer (median of 3 runs) =="
awk -v n=10000 -f tools/gen_net.awk > "$T/net10k.cfg"
awk -v n=1000000 -f tools/gen_net.awk > "$T/net1m.cfg"
row "10,000 layers --hw 8x8 --quiet" 3 "$P" --net "$T/net10k.cfg" --hw 8x8 --quiet
row "1,000,000 layers --hw 8x8 --quiet ($(du -m "$T/net1m.cfg" | cut -f1) MB)" 3 "$P" --net "$T/net1m.cfg" --hw 8x8 --quiet
M_MS=$LAST_MS
M_RSS=$LAST_RSS
row "1,000,000 layers --hw 8x8, printing the table" 3 "$P" --net "$T/net1m.cfg" --hw 8x8
T_MS=$LAST_MS
T_RSS=$LAST_RSS
row "1,000,000 layers --hw 8x8 --json" 3 "$P" --net "$T/net1m.cfg" --hw 8x8 --json
awk -v n=1000000 -v form=print -f tools/gen_net.awk > "$T/print1m.cfg"
row "1,000,000 layers as print(model) writes them ($(du -m "$T/print1m.cfg" | cut -f1) MB), --quiet" 3 "$P" --net "$T/print1m.cfg" --input 8x8x8 --quiet
P_MS=$LAST_MS
P_RSS=$LAST_RSS
row "1,000,000 layers as print(model) writes them, the table" 3 "$P" --net "$T/print1m.cfg" --input 8x8x8
PT_MS=$LAST_MS
PT_RSS=$LAST_RSS
awk -v n=1000000 -v form=unique -f tools/gen_net.awk > "$T/unique1m.cfg"
row "the same, no two lines alike ($(du -m "$T/unique1m.cfg" | cut -f1) MB), --quiet" 3 "$P" --net "$T/unique1m.cfg" --input 8x8x8 --quiet
U_MS=$LAST_MS
U_RSS=$LAST_RSS
row "read the 1,000,000-layer file only (cat)" 3 cat "$T/net1m.cfg"

echo
echo "== many nets x sizes in one run (median of 3 runs) =="
mkdir -p "$T/nets"
i=0
while [ $i -lt 1000 ]; do
    for f in probes/forum_demo.cfg probes/cifar10_cnn.cfg probes/lenet5.cfg probes/alexnet.cfg; do
        [ $i -lt 1000 ] && cp "$f" "$T/nets/net$i.cfg"
        i=$((i + 1))
    done
done
row "1,000 nets x 4 sizes (--quiet)" 3 "$P" --net "$T/nets/*.cfg" --hw 32x32,64x64,128x128,224x224 --quiet
NETS_MS=$LAST_MS

echo
echo "== 1-D and 3-D nets (median of 20 runs) =="
row "read the file only (cat m5_audio.cfg)" 20 cat probes/m5_audio.cfg
row "probe m5_audio.cfg --hw 8000" 20 "$P" --net probes/m5_audio.cfg --hw 8000
row "probe m5_audio.cfg (no size: lengths 1..1,000,000)" 20 "$P" --net probes/m5_audio.cfg
row "read the file only (cat c3d.cfg)" 20 cat probes/c3d.cfg
row "probe c3d.cfg --hw 16x112x112" 20 "$P" --net probes/c3d.cfg --hw 16x112x112
row "probe c3d.cfg --min-hw --hw 16x?x?" 20 "$P" --net probes/c3d.cfg --min-hw --hw '16x?x?'
row "probe ct_volume.cfg --min-hw (cubes)" 20 "$P" --net probes/ct_volume.cfg --min-hw

echo
echo "== model files: forward() interpreted (median of 20 runs) =="
row "read the file only (cat resnet50_scratch.py)" 20 cat tools/bench/resnet50_scratch.py
PYREAD_MS=$LAST_MS
row "probe resnet50_scratch.py --hw 224x224" 20 "$P" --net tools/bench/resnet50_scratch.py --hw 224x224 --quiet
R50_MS=$LAST_MS
row "probe cifar10_tutorial.py --hw 32x32" 20 "$P" --net probes/cifar10_tutorial.py --hw 32x32 --quiet
row "probe mnist_net.py --hw 28x28" 20 "$P" --net probes/mnist_net.py --hw 28x28 --quiet
row "probe resnet50_scratch.py (no size: search 1..4096)" 5 "$P" --net tools/bench/resnet50_scratch.py --quiet
mkdir -p "$T/models"
i=0
while [ $i -lt 1000 ]; do
    for f in probes/cifar10_tutorial.py probes/mnist_net.py probes/resnet_scratch.py probes/unet_small.py; do
        [ $i -lt 1000 ] && cp "$f" "$T/models/m$i.py"
        i=$((i + 1))
    done
done
row "1,000 model files x 4 sizes (--quiet)" 3 "$P" --net "$T/models/*.py" --hw 32x32,64x64,128x128,224x224 --quiet
PYN_MS=$LAST_MS
for n in 10000 1000000; do
    sed "s/N_CALLS/$n/" tools/bench/calls.py > "$T/calls$n.py"
    row "one layer called $n times in a loop" 3 "$P" --net "$T/calls$n.py" --hw 8x8 --quiet
done
CALLS_MS=$LAST_MS
CALLS_RSS=$LAST_RSS
awk -v r="$R50_MS" -v c="$PYREAD_MS" -v n="$PYN_MS" -v cm="$CALLS_MS" -v crss="$CALLS_RSS" 'BEGIN {
    printf "ResNet-50 file: %.2fx a process that only reads it (target: 3x)\n", r / c
    printf "1,000 model files x 4 sizes: %.0f ms (target: 2 s)\n", n
    printf "a layer call in forward(): %.2f us and %.0f bytes each (a million calls: %.2f s, %.0f MiB)\n",
           cm * 1000 / 1000000, crss * 1024 / 1000000, cm / 1000, crss / 1024 }'

echo
echo "== torchvision's models as print(model) writes them (median of 20 runs) =="
row "read the file only (cat resnet50_print.txt)" 20 cat tools/bench/resnet50_print.txt
ZREAD_MS=$LAST_MS
row "probe resnet50_print.txt --hw 224x224" 20 "$P" --net tools/bench/resnet50_print.txt --hw 224x224 --quiet
ZR_MS=$LAST_MS
row "probe swin_t_print.txt --hw 224x224" 20 "$P" --net tools/bench/swin_t_print.txt --hw 224x224 --quiet
ZS_MS=$LAST_MS
awk -v r="$ZR_MS" -v s="$ZS_MS" -v c="$ZREAD_MS" 'BEGIN {
    printf "ResNet-50 print text: %.2fx a read of it; Swin-T: %.2fx (target: 3x)\n", r / c, s / c }'
if /usr/bin/python3 -c 'import torchvision' 2>/dev/null; then
    for spec in resnet50 swin_t; do
        row "python3 tools/forum_trick_zoo.py $spec 224" 3 /usr/bin/python3 tools/forum_trick_zoo.py "$spec" 224
    done
fi

echo
echo "== teaching: --formula, --svg (median of 5 runs) =="
# --formula runs the net along each input size (hundreds of runs): its cost
# is a few hundred runs of the net, whatever the size shown
row "probe lenet5.cfg --formula" 5 "$P" --net probes/lenet5.cfg --formula
row "probe forum_block3.cfg --formula" 5 "$P" --net probes/forum_block3.cfg --formula
row "probe resnet_scratch.py --formula" 5 "$P" --net probes/resnet_scratch.py --formula
row "probe resnet50_print.txt --formula" 5 "$P" --net tools/bench/resnet50_print.txt --formula
row "probe swin_t_print.txt --formula" 5 "$P" --net tools/bench/swin_t_print.txt --formula
row "probe forum_block3.cfg --hw 32x32 --svg -" 5 "$P" --net probes/forum_block3.cfg --hw 32x32 --svg -
row "probe resnet50_print.txt --hw 224x224 --svg -" 5 "$P" --net tools/bench/resnet50_print.txt --hw 224x224 --svg -
"$P" --net tools/bench/resnet50_print.txt --hw 224x224 --svg "$T/r50.svg" >/dev/null
row "1,000,000 layers --hw 8x8 --svg (600 nodes drawn)" 3 "$P" --net "$T/net1m.cfg" --hw 8x8 --svg "$T/net1m.svg" --quiet
echo "pictures: ResNet-50 $(wc -c <"$T/r50.svg") bytes, 1,000,000 layers $(wc -c <"$T/net1m.svg") bytes"

echo
echo "== the targets =="
awk -v ms="$M_MS" -v rss="$M_RSS" -v tms="$T_MS" -v trss="$T_RSS" -v nms="$NETS_MS" \
    -v pms="$P_MS" -v prss="$P_RSS" -v ptms="$PT_MS" -v ptrss="$PT_RSS" -v ums="$U_MS" -v urss="$U_RSS" 'BEGIN {
    printf "1,000,000 layers: %.2f s and %.0f MiB quiet, %.2f s and %.0f MiB with the table (target: 2 s, 200 MiB)\n",
           ms / 1000, rss / 1024, tms / 1000, trss / 1024
    printf "  written as print(model) does: %.2f s and %.0f MiB quiet, %.2f s and %.0f MiB with the table\n",
           pms / 1000, prss / 1024, ptms / 1000, ptrss / 1024
    printf "  as print(model) does, no two lines alike: %.2f s and %.0f MiB quiet\n", ums / 1000, urss / 1024
    printf "1,000 nets x 4 sizes: %.0f ms (target: 1 s)\n", nms }'

echo
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    echo "== against the forum trick in PyTorch (median of 5 runs; probe: of 20) =="
    echo "   each net at one size; the trick's answer and probe --trick's, which must agree"
    # (row sets n: the loop's variable is another)
    for spec in alexnet:224 vgg16:224 cifar10_cnn:32 forum_block3:32 forum_demo:32 lenet5:32 linear_question:32 too_small:16; do
        f=probes/${spec%%:*}.cfg
        s=${spec##*:}
        row "python3 tools/forum_trick.py $f $s" 5 /usr/bin/python3 tools/forum_trick.py "$f" "$s"
        TRICK_MS=$LAST_MS
        row "probe --net $f --hw ${s}x$s" 20 "$P" --net "$f" --hw "${s}x$s"
        said=$(/usr/bin/python3 tools/forum_trick.py "$f" "$s" 2>&1 | tail -n 1)
        ours=$("$P" --net "$f" --hw "${s}x$s" --trick 2>/dev/null | tail -n 1)
        verdict=agrees
        [ "$said" = "$ours" ] || verdict="DISAGREES: probe says '$ours'"
        awk -v t="$TRICK_MS" -v p="$LAST_MS" -v said="$said" -v v="$verdict" 'BEGIN {
            printf "   -> %.0fx faster; the trick says \"%s\": %s\n", t / p, said, v }'
        if [ "$spec" = alexnet:224 ]; then
            ALEX_TRICK_MS=$TRICK_MS
            ALEX_MS=$LAST_MS
        fi
    done
    awk -v t="$ALEX_TRICK_MS" -v p="$ALEX_MS" -v r="$READ_MS" 'BEGIN {
        printf "AlexNet@224: probe is %.0fx faster than the forum trick, and %.2fx a process that only reads the file\n", t / p, p / r }'
    echo
    echo "== model files against the forum trick in PyTorch (median of 3 runs; probe: of 20) =="
    for spec in probes/cifar10_tutorial.py:3:32 probes/mnist_net.py:1:28 tools/bench/resnet50_scratch.py:3:224; do
        f=${spec%%:*}
        rest=${spec#*:}
        c=${rest%%:*}
        s=${rest##*:}
        row "python3 tools/forum_trick_model.py $f $c $s" 3 /usr/bin/python3 tools/forum_trick_model.py "$f" "$c" "$s"
        TRICK_MS=$LAST_MS
        row "probe --net $f --hw ${s}x$s" 20 "$P" --net "$f" --hw "${s}x$s" --quiet
        said=$(/usr/bin/python3 tools/forum_trick_model.py "$f" "$c" "$s" 2>&1 | tail -n 1)
        awk -v t="$TRICK_MS" -v p="$LAST_MS" -v said="$said" 'BEGIN {
            printf "   -> %.0fx faster (target: 500x); PyTorch says \"%s\"\n", t / p, said }'
    done
else
    echo "(no PyTorch under /usr/bin/python3: the forum-trick comparison is skipped)"
fi
