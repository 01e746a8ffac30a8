# gen_net.awk - writes a net.cfg of n layers for the benchmarks:
#   awk -v n=1000000 -f tools/gen_net.awk > big.cfg
# Conv2d / BatchNorm2d / ReLU triples that keep an 8x8x8 tensor as it is,
# then a classifier, so the whole net passes at 8x8.
BEGIN {
    print "input: 8x8x8"
    for (i = 0; i < n - 2; i++) {
        k = i % 3
        if (k == 0) printf "conv%d = nn.Conv2d(8, 8, kernel_size=3, padding=1)\n", i
        else if (k == 1) print "nn.BatchNorm2d(8)"
        else print "nn.ReLU(inplace=True)"
    }
    print "nn.Flatten()"
    print "nn.Linear(512, 10)"
}
