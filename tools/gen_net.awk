# gen_net.awk - writes a net.cfg of n layers for the benchmarks:
#   awk -v n=1000000 -f tools/gen_net.awk > big.cfg
#   awk -v n=1000000 -v form=print -f tools/gen_net.awk > big.cfg
#   awk -v n=1000000 -v form=unique -f tools/gen_net.awk > big.cfg
# Conv2d / BatchNorm2d / ReLU triples that keep an 8x8x8 tensor as it is,
# then a classifier, so the whole net passes at 8x8. form=print writes it
# as print(model) would: every argument spelled out (5 a layer, not 2) and
# twice the text. form=unique writes it so too, but no Conv2d or
# BatchNorm2d line like another (each Conv2d its own dilation and padding,
# each BatchNorm2d its own eps): nothing for probe to share.
BEGIN {
    if (form == "print" || form == "unique") {
        print "Net("
        print "  (body): Sequential("
        for (i = 0; i < n - 2; i++) {
            k = i % 3
            d = form == "unique" ? int(i / 3) + 1 : 1
            if (k == 0 && d == 1) printf "    (%d): Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n", i
            else if (k == 0) printf "    (%d): Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(%d, %d), dilation=(%d, %d))\n", i, d, d, d, d
            else if (k == 1 && form == "unique") printf "    (%d): BatchNorm2d(8, eps=%d, momentum=0.1, affine=True, track_running_stats=True)\n", i, i
            else if (k == 1) printf "    (%d): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n", i
            else printf "    (%d): ReLU(inplace=True)\n", i
        }
        print "  )"
        print "  (flat): Flatten(start_dim=1, end_dim=-1)"
        print "  (fc): Linear(in_features=512, out_features=10, bias=True)"
        print ")"
        exit
    }
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
