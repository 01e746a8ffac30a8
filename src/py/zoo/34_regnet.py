# RegNet (Radosavovic et al.), as torchvision 0.14 builds and runs it.


class SimpleStemIN(Conv2dNormActivation):
    # 3x3 convolution at stride 2, norm, activation
    def __init__(self, width_in, width_out, norm_layer, activation_layer):
        super().__init__(width_in, width_out, kernel_size=3, stride=2, norm_layer=norm_layer,
                         activation_layer=activation_layer)


class BottleneckTransform(nn.Sequential):
    # 1x1, grouped 3x3 (+ squeeze-excitation), 1x1: children a, b, se, c
    def __init__(self, width_in, width_out, stride, norm_layer, activation_layer, group_width, bottleneck_multiplier,
                 se_ratio):
        w_b = int(round(width_out * bottleneck_multiplier))
        layers = {}
        layers["a"] = Conv2dNormActivation(width_in, w_b, kernel_size=1, stride=1, norm_layer=norm_layer,
                                           activation_layer=activation_layer)
        layers["b"] = Conv2dNormActivation(w_b, w_b, kernel_size=3, stride=stride, groups=w_b // group_width,
                                           norm_layer=norm_layer, activation_layer=activation_layer)
        if se_ratio:
            # the squeeze is a share of the block's input width
            layers["se"] = SqueezeExcitation(w_b, int(round(se_ratio * width_in)), activation=activation_layer)
        layers["c"] = Conv2dNormActivation(w_b, width_out, kernel_size=1, stride=1, norm_layer=norm_layer,
                                           activation_layer=None)
        super().__init__(layers)


class ResBottleneckBlock(nn.Module):
    def __init__(self, width_in, width_out, stride, norm_layer, activation_layer, group_width=1,
                 bottleneck_multiplier=1.0, se_ratio=None):
        super().__init__()
        self.proj = None
        if width_in != width_out or stride != 1:
            # the shortcut projects when the shape changes
            self.proj = Conv2dNormActivation(width_in, width_out, kernel_size=1, stride=stride, norm_layer=norm_layer,
                                             activation_layer=None)
        self.f = BottleneckTransform(width_in, width_out, stride, norm_layer, activation_layer, group_width,
                                     bottleneck_multiplier, se_ratio)
        self.activation = activation_layer(inplace=True)

    def forward(self, x):
        proj = getattr(self, "proj", None)
        if proj is not None:
            x = proj(x) + self.f(x)
        else:
            x = x + self.f(x)
        return self.activation(x)


class AnyStage(nn.Sequential):
    # depth blocks named "block<stage>-<i>", the first one changing the size
    def __init__(self, width_in, width_out, stride, depth, block_constructor, norm_layer, activation_layer,
                 group_width, bottleneck_multiplier, se_ratio=None, stage_index=0):
        super().__init__()
        for i in range(depth):
            block = block_constructor(width_in if i == 0 else width_out, width_out, stride if i == 0 else 1,
                                      norm_layer, activation_layer, group_width, bottleneck_multiplier, se_ratio)
            self.add_module("block" + str(stage_index) + "-" + str(i), block)


class BlockParams:
    def __init__(self, depths, widths, group_widths, bottleneck_multipliers, strides, se_ratio=None):
        self.depths, self.widths, self.group_widths = depths, widths, group_widths
        self.bottleneck_multipliers, self.strides, self.se_ratio = bottleneck_multipliers, strides, se_ratio


def _block_params(depth, w_0, w_a, w_m, group_width, bottleneck_multiplier=1.0, se_ratio=None, **kwargs):
    # the paper's quantized linear widths: one stage per distinct width
    if w_a < 0 or w_0 <= 0 or w_m <= 1 or w_0 % 8 != 0:
        raise ValueError("Invalid RegNet settings")
    widths, depths = [], []
    for i in range(depth):
        capacity = round(math.log2((i * w_a + w_0) / w_0) / math.log2(w_m))
        w = int(round(w_0 * w_m ** capacity / 8) * 8)
        if widths and widths[len(widths) - 1] == w:
            depths[len(depths) - 1] += 1
        else:
            widths.append(w)
            depths.append(1)
    # stage and group widths made compatible
    stage_widths, group_widths = [], []
    for w in widths:
        w_bot = int(w * bottleneck_multiplier)
        g = min(group_width, w_bot)
        stage_widths.append(int(_make_divisible(w_bot, g) / bottleneck_multiplier))
        group_widths.append(g)
    n = len(widths)
    return BlockParams(depths, stage_widths, group_widths, [bottleneck_multiplier] * n, [2] * n, se_ratio)


class RegNet(nn.Module):
    def __init__(self, block_params, num_classes=1000, stem_width=32, stem_type=None, block_type=None,
                 norm_layer=None, activation=None):
        super().__init__()
        stem = stem_type if stem_type is not None else SimpleStemIN
        norm = norm_layer if norm_layer is not None else nn.BatchNorm2d
        block = block_type if block_type is not None else ResBottleneckBlock
        act = activation if activation is not None else nn.ReLU
        self.stem = stem(3, stem_width, norm, act)
        width = stem_width
        stages = {}
        p = block_params
        for i in range(len(p.widths)):
            stages["block" + str(i + 1)] = AnyStage(width, p.widths[i], p.strides[i], p.depths[i], block, norm, act,
                                                    p.group_widths[i], p.bottleneck_multipliers[i], p.se_ratio,
                                                    stage_index=i + 1)
            width = p.widths[i]
        self.trunk_output = nn.Sequential(stages)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(in_features=width, out_features=num_classes)

    def forward(self, x):
        x = self.avgpool(self.trunk_output(self.stem(x)))
        x = x.flatten(start_dim=1)
        return self.fc(x)


def _regnet_builder(depth, w_0, w_a, w_m, group_width, se_ratio=None):
    def build(weights=None, progress=True, **kwargs):
        params = _block_params(depth, w_0, w_a, w_m, group_width, se_ratio=se_ratio, **kwargs)
        return RegNet(params, **kwargs)
    return build


# depth, w_0, w_a, w_m, group width (and the Y models' squeeze-excitation)
regnet_y_400mf = _regnet_builder(16, 48, 27.89, 2.09, 8, 0.25)
regnet_y_800mf = _regnet_builder(14, 56, 38.84, 2.4, 16, 0.25)
regnet_y_1_6gf = _regnet_builder(27, 48, 20.71, 2.65, 24, 0.25)
regnet_y_3_2gf = _regnet_builder(21, 80, 42.63, 2.66, 24, 0.25)
regnet_y_8gf = _regnet_builder(17, 192, 76.82, 2.19, 56, 0.25)
regnet_y_16gf = _regnet_builder(18, 200, 106.23, 2.48, 112, 0.25)
regnet_y_32gf = _regnet_builder(20, 232, 115.89, 2.53, 232, 0.25)
regnet_y_128gf = _regnet_builder(27, 456, 160.83, 2.52, 264, 0.25)
regnet_x_400mf = _regnet_builder(22, 24, 24.48, 2.54, 16)
regnet_x_800mf = _regnet_builder(16, 56, 35.73, 2.28, 16)
regnet_x_1_6gf = _regnet_builder(18, 80, 34.01, 2.25, 24)
regnet_x_3_2gf = _regnet_builder(25, 88, 26.31, 2.25, 48)
regnet_x_8gf = _regnet_builder(23, 80, 49.56, 2.88, 120)
regnet_x_16gf = _regnet_builder(22, 216, 55.59, 2.1, 128)
regnet_x_32gf = _regnet_builder(23, 320, 69.86, 2.0, 168)
