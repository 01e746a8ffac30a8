# MobileNetV2, MobileNetV3 and MNASNet, as torchvision 0.14 builds and runs
# them. InvertedResidual is one class for torchvision's three of that name
# (mobilenetv2's, mobilenetv3's, shufflenetv2's): print(model) names them
# alike, so forward() tells them apart by their children -- `conv`
# (MobileNetV2), `block` (MobileNetV3), branch1/branch2 (ShuffleNetV2).


class InvertedResidual(nn.Module):
    def __init__(self, variant, *args, **kwargs):
        super().__init__()
        if variant == "mobilenet_v2":
            self._init_v2(*args, **kwargs)
        elif variant == "mobilenet_v3":
            self._init_v3(*args, **kwargs)
        else:
            self._init_shufflenet(*args, **kwargs)

    def _init_v2(self, inp, oup, stride, expand_ratio, norm_layer=None):
        norm = norm_layer if norm_layer is not None else nn.BatchNorm2d
        hidden = int(round(inp * expand_ratio))
        layers = []
        if expand_ratio != 1:
            layers.append(Conv2dNormActivation(inp, hidden, kernel_size=1, norm_layer=norm, activation_layer=nn.ReLU6))
        layers.append(Conv2dNormActivation(hidden, hidden, stride=stride, groups=hidden, norm_layer=norm,
                                           activation_layer=nn.ReLU6))
        layers.append(nn.Conv2d(hidden, oup, 1, 1, 0, bias=False))
        layers.append(norm(oup))
        self.conv = nn.Sequential(*layers)
        self.out_channels = oup

    def _init_v3(self, cnf, norm_layer, se_layer=None):
        act = nn.Hardswish if cnf.use_hs else nn.ReLU
        layers = []
        if cnf.expanded_channels != cnf.input_channels:
            layers.append(Conv2dNormActivation(cnf.input_channels, cnf.expanded_channels, kernel_size=1,
                                               norm_layer=norm_layer, activation_layer=act))
        stride = 1 if cnf.dilation > 1 else cnf.stride
        layers.append(Conv2dNormActivation(cnf.expanded_channels, cnf.expanded_channels, kernel_size=cnf.kernel,
                                           stride=stride, dilation=cnf.dilation, groups=cnf.expanded_channels,
                                           norm_layer=norm_layer, activation_layer=act))
        if cnf.use_se:
            squeeze = _make_divisible(cnf.expanded_channels // 4, 8)
            if se_layer is None:
                layers.append(SqueezeExcitation(cnf.expanded_channels, squeeze, scale_activation=nn.Hardsigmoid))
            else:
                layers.append(se_layer(cnf.expanded_channels, squeeze))
        layers.append(Conv2dNormActivation(cnf.expanded_channels, cnf.out_channels, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=None))
        self.block = nn.Sequential(*layers)
        self.out_channels = cnf.out_channels

    def _init_shufflenet(self, inp, oup, stride):
        if stride < 1 or stride > 3:
            raise ValueError("illegal stride value")
        half = oup // 2
        if stride == 1 and inp != half * 2:
            raise ValueError("Invalid combination of stride " + str(stride) + ", inp " + str(inp) + " and oup " +
                             str(oup) + " values. If stride == 1 then inp should be equal to oup // 2 << 1.")
        if stride > 1:
            self.branch1 = nn.Sequential(
                nn.Conv2d(inp, inp, 3, stride, 1, bias=False, groups=inp), nn.BatchNorm2d(inp),
                nn.Conv2d(inp, half, kernel_size=1, stride=1, padding=0, bias=False), nn.BatchNorm2d(half),
                nn.ReLU(inplace=True))
        else:
            self.branch1 = nn.Sequential()
        self.branch2 = nn.Sequential(
            nn.Conv2d(inp if stride > 1 else half, half, kernel_size=1, stride=1, padding=0, bias=False),
            nn.BatchNorm2d(half), nn.ReLU(inplace=True),
            nn.Conv2d(half, half, 3, stride, 1, bias=False, groups=half), nn.BatchNorm2d(half),
            nn.Conv2d(half, half, kernel_size=1, stride=1, padding=0, bias=False), nn.BatchNorm2d(half),
            nn.ReLU(inplace=True))

    def forward(self, x):
        if getattr(self, "branch2", None) is not None:
            return self._forward_shufflenet(x)
        if getattr(self, "conv", None) is not None:
            return self._forward_v2(x)
        return self._forward_v3(x)

    def _forward_v2(self, x):
        # the shortcut when the depthwise stride is 1 and the channels stay
        conv = self.conv
        n = len(conv)
        same = _unit_stride(conv[n - 3][0]) and conv[0][0].in_channels == conv[n - 2].out_channels
        if same:
            return x + conv(x)
        return conv(x)

    def _forward_v3(self, x):
        block = self.block
        result = block(x)
        if _block_keeps_shape(block):
            result += x
        return result

    def _forward_shufflenet(self, x):
        # stride 1 has an empty branch1 (print(model)'s "Sequential()", which
        # names no child): half the channels pass by
        branch1 = getattr(self, "branch1", None)
        if branch1 is None or len(branch1) == 0:
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
        else:
            out = torch.cat((branch1(x), self.branch2(x)), dim=1)
        return channel_shuffle(out, 2)


def _block_keeps_shape(block):
    # a Sequential of Conv2dNormActivation (and SqueezeExcitation) blocks
    # whose convolutions all have stride 1, from the first block's input
    # channels to the last one's output channels
    n = len(block)
    for i in range(n):
        conv = getattr(block[i], "0", None)
        if conv is not None and not _unit_stride(conv):
            return False
    return block[0][0].in_channels == block[n - 1][0].out_channels


def channel_shuffle(x, groups):
    batchsize, num_channels, height, width = x.size()
    x = x.view(batchsize, groups, num_channels // groups, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(batchsize, -1, height, width)


class MobileNetV2(nn.Module):
    def __init__(self, num_classes=1000, width_mult=1.0, inverted_residual_setting=None, round_nearest=8, block=None,
                 norm_layer=None, dropout=0.2):
        super().__init__()
        norm = norm_layer if norm_layer is not None else nn.BatchNorm2d
        setting = inverted_residual_setting
        if setting is None:
            setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
                       [6, 320, 1, 1]]
        if len(setting) == 0 or len(setting[0]) != 4:
            raise ValueError("inverted_residual_setting should be non-empty or a 4-element list, got " + str(setting))
        input_channel = _make_divisible(32 * width_mult, round_nearest)
        self.last_channel = _make_divisible(1280 * max(1.0, width_mult), round_nearest)
        features = [Conv2dNormActivation(3, input_channel, stride=2, norm_layer=norm, activation_layer=nn.ReLU6)]
        for t, c, n, s in setting:
            output_channel = _make_divisible(c * width_mult, round_nearest)
            for i in range(n):
                stride = s if i == 0 else 1
                if block is None:
                    features.append(InvertedResidual("mobilenet_v2", input_channel, output_channel, stride, t, norm))
                else:
                    features.append(block(input_channel, output_channel, stride, expand_ratio=t, norm_layer=norm))
                input_channel = output_channel
        features.append(Conv2dNormActivation(input_channel, self.last_channel, kernel_size=1, norm_layer=norm,
                                             activation_layer=nn.ReLU6))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout), nn.Linear(self.last_channel, num_classes))

    def forward(self, x):
        x = self.features(x)
        x = nn.functional.adaptive_avg_pool2d(x, (1, 1))
        x = torch.flatten(x, 1)
        return self.classifier(x)


def mobilenet_v2(weights=None, progress=True, **kwargs):
    return MobileNetV2(**kwargs)


class InvertedResidualConfig:
    # one row of the MobileNetV3 paper's tables 1 and 2
    def __init__(self, input_channels, kernel, expanded_channels, out_channels, use_se, activation, stride, dilation,
                 width_mult):
        self.input_channels = _make_divisible(input_channels * width_mult, 8)
        self.kernel = kernel
        self.expanded_channels = _make_divisible(expanded_channels * width_mult, 8)
        self.out_channels = _make_divisible(out_channels * width_mult, 8)
        self.use_se = use_se
        self.use_hs = activation == "HS"
        self.stride = stride
        self.dilation = dilation


def _bn_mobilenet_v3(channels):
    return nn.BatchNorm2d(channels, eps=0.001, momentum=0.01)


class MobileNetV3(nn.Module):
    def __init__(self, inverted_residual_setting, last_channel, num_classes=1000, block=None, norm_layer=None,
                 dropout=0.2, **kwargs):
        super().__init__()
        if not inverted_residual_setting:
            raise ValueError("The inverted_residual_setting should not be empty")
        norm = norm_layer if norm_layer is not None else _bn_mobilenet_v3
        setting = inverted_residual_setting
        layers = [Conv2dNormActivation(3, setting[0].input_channels, kernel_size=3, stride=2, norm_layer=norm,
                                       activation_layer=nn.Hardswish)]
        for cnf in setting:
            if block is None:
                layers.append(InvertedResidual("mobilenet_v3", cnf, norm))
            else:
                layers.append(block(cnf, norm))
        last_in = setting[len(setting) - 1].out_channels
        last_out = 6 * last_in
        layers.append(Conv2dNormActivation(last_in, last_out, kernel_size=1, norm_layer=norm,
                                           activation_layer=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Linear(last_out, last_channel), nn.Hardswish(inplace=True),
                                        nn.Dropout(p=dropout, inplace=True), nn.Linear(last_channel, num_classes))

    def forward(self, x):
        x = self.avgpool(self.features(x))
        x = torch.flatten(x, 1)
        return self.classifier(x)


# the rows of the MobileNetV3 paper's tables before the last stage:
# input, kernel, expanded, output channels, SE, activation, stride
_V3_LARGE = [(16, 3, 16, 16, False, "RE", 1), (16, 3, 64, 24, False, "RE", 2), (24, 3, 72, 24, False, "RE", 1),
             (24, 5, 72, 40, True, "RE", 2), (40, 5, 120, 40, True, "RE", 1), (40, 5, 120, 40, True, "RE", 1),
             (40, 3, 240, 80, False, "HS", 2), (80, 3, 200, 80, False, "HS", 1), (80, 3, 184, 80, False, "HS", 1),
             (80, 3, 184, 80, False, "HS", 1), (80, 3, 480, 112, True, "HS", 1), (112, 3, 672, 112, True, "HS", 1)]
_V3_SMALL = [(16, 3, 16, 16, True, "RE", 2), (16, 3, 72, 24, False, "RE", 2), (24, 3, 88, 24, False, "RE", 1),
             (24, 5, 96, 40, True, "HS", 2), (40, 5, 240, 40, True, "HS", 1), (40, 5, 240, 40, True, "HS", 1),
             (40, 5, 120, 48, True, "HS", 1), (48, 5, 144, 48, True, "HS", 1)]


def _mobilenet_v3_conf(arch, width_mult=1.0, reduced_tail=False, dilated=False, **kwargs):
    # the last stage (C4): its channels halved by reduced_tail, dilated by dilated
    r = 2 if reduced_tail else 1
    d = 2 if dilated else 1
    if arch == "mobilenet_v3_large":
        rows, last, c_in, exp1, c4, exp4 = _V3_LARGE, 1280, 112, 672, 160, 960
    elif arch == "mobilenet_v3_small":
        rows, last, c_in, exp1, c4, exp4 = _V3_SMALL, 1024, 48, 288, 96, 576
    else:
        raise ValueError("Unsupported model type " + arch)
    setting = []
    for i, k, e, o, se, act, s in rows:
        setting.append(InvertedResidualConfig(i, k, e, o, se, act, s, 1, width_mult))
    setting.append(InvertedResidualConfig(c_in, 5, exp1, c4 // r, True, "HS", 2, d, width_mult))
    for _ in range(2):
        setting.append(InvertedResidualConfig(c4 // r, 5, exp4 // r, c4 // r, True, "HS", 1, d, width_mult))
    return setting, _make_divisible(last // r * width_mult, 8)


def _conf_kwargs(kwargs):
    # the keywords _mobilenet_v3_conf reads, taken out of the model's
    conf = {}
    for k in ["width_mult", "reduced_tail", "dilated"]:
        if k in kwargs:
            conf[k] = kwargs.pop(k)
    return conf


def mobilenet_v3_large(weights=None, progress=True, **kwargs):
    setting, last_channel = _mobilenet_v3_conf("mobilenet_v3_large", **_conf_kwargs(kwargs))
    return MobileNetV3(setting, last_channel, **kwargs)


def mobilenet_v3_small(weights=None, progress=True, **kwargs):
    setting, last_channel = _mobilenet_v3_conf("mobilenet_v3_small", **_conf_kwargs(kwargs))
    return MobileNetV3(setting, last_channel, **kwargs)


# MNASNet
class _InvertedResidual(nn.Module):
    def __init__(self, in_ch, out_ch, kernel_size, stride, expansion_factor, bn_momentum=0.1):
        super().__init__()
        if stride not in [1, 2]:
            raise ValueError("stride should be 1 or 2 instead of " + str(stride))
        if kernel_size not in [3, 5]:
            raise ValueError("kernel_size should be 3 or 5 instead of " + str(kernel_size))
        mid = in_ch * expansion_factor
        self.layers = nn.Sequential(
            nn.Conv2d(in_ch, mid, 1, bias=False), nn.BatchNorm2d(mid, momentum=bn_momentum), nn.ReLU(inplace=True),
            nn.Conv2d(mid, mid, kernel_size, padding=kernel_size // 2, stride=stride, groups=mid, bias=False),
            nn.BatchNorm2d(mid, momentum=bn_momentum), nn.ReLU(inplace=True),
            nn.Conv2d(mid, out_ch, 1, bias=False), nn.BatchNorm2d(out_ch, momentum=bn_momentum))

    def forward(self, input):
        # the shortcut when the depthwise stride is 1 and the channels stay
        layers = self.layers
        if _unit_stride(layers[3]) and layers[0].in_channels == layers[6].out_channels:
            return layers(input) + input
        return layers(input)


def _stack(in_ch, out_ch, kernel_size, stride, exp_factor, repeats, bn_momentum):
    blocks = [_InvertedResidual(in_ch, out_ch, kernel_size, stride, exp_factor, bn_momentum=bn_momentum)]
    for _ in range(1, repeats):
        blocks.append(_InvertedResidual(out_ch, out_ch, kernel_size, 1, exp_factor, bn_momentum=bn_momentum))
    return nn.Sequential(*blocks)


def _round_to_multiple_of(val, divisor, round_up_bias=0.9):
    new_val = max(divisor, int(val + divisor / 2) // divisor * divisor)
    return new_val if new_val >= round_up_bias * val else new_val + divisor


class MNASNet(nn.Module):
    def __init__(self, alpha, num_classes=1000, dropout=0.2):
        super().__init__()
        if alpha <= 0.0:
            raise ValueError("alpha should be greater than 0.0 instead of " + str(alpha))
        self.alpha = alpha
        self.num_classes = num_classes
        d = [_round_to_multiple_of(v * alpha, 8) for v in [32, 16, 24, 40, 80, 96, 192, 320]]
        mom = 1 - 0.9997
        self.layers = nn.Sequential(
            nn.Conv2d(3, d[0], 3, padding=1, stride=2, bias=False), nn.BatchNorm2d(d[0], momentum=mom),
            nn.ReLU(inplace=True),
            nn.Conv2d(d[0], d[0], 3, padding=1, stride=1, groups=d[0], bias=False),
            nn.BatchNorm2d(d[0], momentum=mom), nn.ReLU(inplace=True),
            nn.Conv2d(d[0], d[1], 1, padding=0, stride=1, bias=False), nn.BatchNorm2d(d[1], momentum=mom),
            _stack(d[1], d[2], 3, 2, 3, 3, mom), _stack(d[2], d[3], 5, 2, 3, 3, mom),
            _stack(d[3], d[4], 5, 2, 6, 3, mom), _stack(d[4], d[5], 3, 1, 6, 2, mom),
            _stack(d[5], d[6], 5, 2, 6, 4, mom), _stack(d[6], d[7], 3, 1, 6, 1, mom),
            nn.Conv2d(d[7], 1280, 1, padding=0, stride=1, bias=False), nn.BatchNorm2d(1280, momentum=mom),
            nn.ReLU(inplace=True))
        self.classifier = nn.Sequential(nn.Dropout(p=dropout, inplace=True), nn.Linear(1280, num_classes))

    def forward(self, x):
        x = self.layers(x)
        x = x.mean([2, 3])
        return self.classifier(x)


def mnasnet0_5(weights=None, progress=True, **kwargs):
    return MNASNet(0.5, **kwargs)


def mnasnet0_75(weights=None, progress=True, **kwargs):
    return MNASNet(0.75, **kwargs)


def mnasnet1_0(weights=None, progress=True, **kwargs):
    return MNASNet(1.0, **kwargs)


def mnasnet1_3(weights=None, progress=True, **kwargs):
    return MNASNet(1.3, **kwargs)
