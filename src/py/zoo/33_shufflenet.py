# ShuffleNetV2, as torchvision 0.14 builds and runs it; its blocks are the
# library's InvertedResidual (31_mobilenet.py), told apart by their
# branch1/branch2 children.


class ShuffleNetV2(nn.Module):
    def __init__(self, stages_repeats, stages_out_channels, num_classes=1000, inverted_residual=None):
        super().__init__()
        if len(stages_repeats) != 3:
            raise ValueError("expected stages_repeats as list of 3 positive ints")
        if len(stages_out_channels) != 5:
            raise ValueError("expected stages_out_channels as list of 5 positive ints")
        self._stage_out_channels = stages_out_channels
        c = stages_out_channels[0]
        self.conv1 = nn.Sequential(nn.Conv2d(3, c, 3, 2, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True))
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        for k in range(3):
            out = stages_out_channels[k + 1]
            seq = [self._block(inverted_residual, c, out, 2)]
            for _ in range(stages_repeats[k] - 1):
                seq.append(self._block(inverted_residual, out, out, 1))
            setattr(self, "stage" + str(k + 2), nn.Sequential(*seq))
            c = out
        last = stages_out_channels[4]
        self.conv5 = nn.Sequential(nn.Conv2d(c, last, 1, 1, 0, bias=False), nn.BatchNorm2d(last),
                                   nn.ReLU(inplace=True))
        self.fc = nn.Linear(last, num_classes)

    def _block(self, inverted_residual, inp, oup, stride):
        if inverted_residual is None:
            return InvertedResidual("shufflenet_v2", inp, oup, stride)
        return inverted_residual(inp, oup, stride)

    def forward(self, x):
        x = self.maxpool(self.conv1(x))
        x = self.stage4(self.stage3(self.stage2(x)))
        x = self.conv5(x)
        x = x.mean([2, 3])
        return self.fc(x)


def _shufflenet_builder(out_channels):
    def build(weights=None, progress=True, **kwargs):
        return ShuffleNetV2([4, 8, 4], out_channels, **kwargs)
    return build


shufflenet_v2_x0_5 = _shufflenet_builder([24, 48, 96, 192, 1024])
shufflenet_v2_x1_0 = _shufflenet_builder([24, 116, 232, 464, 1024])
shufflenet_v2_x1_5 = _shufflenet_builder([24, 176, 352, 704, 1024])
shufflenet_v2_x2_0 = _shufflenet_builder([24, 244, 488, 976, 2048])
