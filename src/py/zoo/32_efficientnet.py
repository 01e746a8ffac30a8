# EfficientNet (B0-B7) and EfficientNetV2 (S, M, L), as torchvision 0.14
# builds and runs them. A block adds its input back when its convolutions
# keep the size and the channels: read from its printed children.


class _MBConvConfig:
    # one row of the EfficientNet paper's table 1 (V2: table 4); block is
    # the class that builds it
    def __init__(self, expand_ratio, kernel, stride, input_channels, out_channels, num_layers, block):
        self.expand_ratio, self.kernel, self.stride = expand_ratio, kernel, stride
        self.input_channels, self.out_channels = input_channels, out_channels
        self.num_layers, self.block = num_layers, block


def MBConvConfig(expand_ratio, kernel, stride, input_channels, out_channels, num_layers, width_mult=1.0,
                 depth_mult=1.0, block=None):
    return _MBConvConfig(expand_ratio, kernel, stride, _make_divisible(input_channels * width_mult, 8),
                         _make_divisible(out_channels * width_mult, 8), int(math.ceil(num_layers * depth_mult)),
                         MBConv if block is None else block)


def FusedMBConvConfig(expand_ratio, kernel, stride, input_channels, out_channels, num_layers, block=None):
    return _MBConvConfig(expand_ratio, kernel, stride, input_channels, out_channels, num_layers,
                         FusedMBConv if block is None else block)


def _silu_inplace():
    return nn.SiLU(inplace=True)


class _MBBlock(nn.Module):
    # what MBConv and FusedMBConv share: their layers in `block`, and the
    # input added back when the block keeps the size and the channels
    # (stochastic depth is the identity in eval())
    def _finish(self, cnf, layers, stochastic_depth_prob):
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")
        self.out_channels = cnf.out_channels

    def forward(self, input):
        result = self.block(input)
        if _block_keeps_shape(self.block):
            result = self.stochastic_depth(result)
            result += input
        return result


def _expanded(cnf):
    if cnf.stride < 1 or cnf.stride > 2:
        raise ValueError("illegal stride value")
    return _make_divisible(cnf.input_channels * cnf.expand_ratio, 8)


class MBConv(_MBBlock):
    def __init__(self, cnf, stochastic_depth_prob, norm_layer, se_layer=None):
        super().__init__()
        expanded = _expanded(cnf)
        layers = []
        if expanded != cnf.input_channels:
            layers.append(Conv2dNormActivation(cnf.input_channels, expanded, kernel_size=1, norm_layer=norm_layer,
                                               activation_layer=nn.SiLU))
        layers.append(Conv2dNormActivation(expanded, expanded, kernel_size=cnf.kernel, stride=cnf.stride,
                                           groups=expanded, norm_layer=norm_layer, activation_layer=nn.SiLU))
        se = SqueezeExcitation if se_layer is None else se_layer
        layers.append(se(expanded, max(1, cnf.input_channels // 4), activation=_silu_inplace))
        layers.append(Conv2dNormActivation(expanded, cnf.out_channels, kernel_size=1, norm_layer=norm_layer,
                                           activation_layer=None))
        self._finish(cnf, layers, stochastic_depth_prob)

    def forward(self, input):
        # MaxVit's MBConv prints under this name too: its layers are in
        # `layers` (44_maxvit.py)
        if getattr(self, "layers", None) is not None:
            return _MaxVitMBConv.forward(self, input)
        return _MBBlock.forward(self, input)


class FusedMBConv(_MBBlock):
    def __init__(self, cnf, stochastic_depth_prob, norm_layer):
        super().__init__()
        expanded = _expanded(cnf)
        if expanded != cnf.input_channels:
            # the fused expansion, then the projection
            layers = [Conv2dNormActivation(cnf.input_channels, expanded, kernel_size=cnf.kernel, stride=cnf.stride,
                                           norm_layer=norm_layer, activation_layer=nn.SiLU),
                      Conv2dNormActivation(expanded, cnf.out_channels, kernel_size=1, norm_layer=norm_layer,
                                           activation_layer=None)]
        else:
            layers = [Conv2dNormActivation(cnf.input_channels, cnf.out_channels, kernel_size=cnf.kernel,
                                           stride=cnf.stride, norm_layer=norm_layer, activation_layer=nn.SiLU)]
        self._finish(cnf, layers, stochastic_depth_prob)


class EfficientNet(nn.Module):
    def __init__(self, inverted_residual_setting, dropout, stochastic_depth_prob=0.2, num_classes=1000,
                 norm_layer=None, last_channel=None, **kwargs):
        super().__init__()
        if not inverted_residual_setting:
            raise ValueError("The inverted_residual_setting should not be empty")
        norm = norm_layer if norm_layer is not None else nn.BatchNorm2d
        setting = inverted_residual_setting
        layers = [Conv2dNormActivation(3, setting[0].input_channels, kernel_size=3, stride=2, norm_layer=norm,
                                       activation_layer=nn.SiLU)]
        total = 0
        for cnf in setting:
            total += cnf.num_layers
        block_id = 0
        for cnf in setting:
            stage = []
            for k in range(cnf.num_layers):
                # the stage's first block changes the size; the others keep it
                c = _MBConvConfig(cnf.expand_ratio, cnf.kernel, cnf.stride if k == 0 else 1,
                                  cnf.input_channels if k == 0 else cnf.out_channels, cnf.out_channels,
                                  cnf.num_layers, cnf.block)
                stage.append(cnf.block(c, stochastic_depth_prob * float(block_id) / total, norm))
                block_id += 1
            layers.append(nn.Sequential(*stage))
        last_in = setting[len(setting) - 1].out_channels
        last_out = last_channel if last_channel is not None else 4 * last_in
        layers.append(Conv2dNormActivation(last_in, last_out, kernel_size=1, norm_layer=norm,
                                           activation_layer=nn.SiLU))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout, inplace=True), nn.Linear(last_out, num_classes))

    def forward(self, x):
        x = self.avgpool(self.features(x))
        x = torch.flatten(x, 1)
        return self.classifier(x)


# EfficientNetV2's stages: (fused, expand, kernel, stride, in, out, layers)
_V2 = {
    "s": [(True, 1, 3, 1, 24, 24, 2), (True, 4, 3, 2, 24, 48, 4), (True, 4, 3, 2, 48, 64, 4),
          (False, 4, 3, 2, 64, 128, 6), (False, 6, 3, 1, 128, 160, 9), (False, 6, 3, 2, 160, 256, 15)],
    "m": [(True, 1, 3, 1, 24, 24, 3), (True, 4, 3, 2, 24, 48, 5), (True, 4, 3, 2, 48, 80, 5),
          (False, 4, 3, 2, 80, 160, 7), (False, 6, 3, 1, 160, 176, 14), (False, 6, 3, 2, 176, 304, 18),
          (False, 6, 3, 1, 304, 512, 5)],
    "l": [(True, 1, 3, 1, 32, 32, 4), (True, 4, 3, 2, 32, 64, 7), (True, 4, 3, 2, 64, 96, 7),
          (False, 4, 3, 2, 96, 192, 10), (False, 6, 3, 1, 192, 224, 19), (False, 6, 3, 2, 224, 384, 25),
          (False, 6, 3, 1, 384, 640, 7)],
}


def _efficientnet_v1(width_mult, depth_mult, dropout, norm_layer, kwargs):
    rows = [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
            (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)]
    setting = []
    for e, k, s, i, o, n in rows:
        setting.append(MBConvConfig(e, k, s, i, o, n, width_mult=width_mult, depth_mult=depth_mult))
    if norm_layer is not None and "norm_layer" not in kwargs:
        kwargs["norm_layer"] = norm_layer
    return EfficientNet(setting, dropout, last_channel=None, **kwargs)


def _bn_eps3_mom01(channels):
    return nn.BatchNorm2d(channels, eps=0.001, momentum=0.01)


def _bn_eps3(channels):
    return nn.BatchNorm2d(channels, eps=0.001)


def _efficientnet_v2(size, kwargs):
    setting = []
    for fused, e, k, s, i, o, n in _V2[size]:
        setting.append(FusedMBConvConfig(e, k, s, i, o, n) if fused else MBConvConfig(e, k, s, i, o, n))
    if "norm_layer" not in kwargs:
        kwargs["norm_layer"] = _bn_eps3
    return EfficientNet(setting, 0.2 if size == "s" else 0.3 if size == "m" else 0.4, last_channel=1280, **kwargs)


def _v1_builder(width_mult, depth_mult, dropout, norm_layer=None):
    def build(weights=None, progress=True, **kwargs):
        return _efficientnet_v1(width_mult, depth_mult, dropout, norm_layer, kwargs)
    return build


def _v2_builder(size):
    def build(weights=None, progress=True, **kwargs):
        return _efficientnet_v2(size, kwargs)
    return build


# width, depth, dropout (and the norm from B5 on), per the paper's scaling
efficientnet_b0 = _v1_builder(1.0, 1.0, 0.2)
efficientnet_b1 = _v1_builder(1.0, 1.1, 0.2)
efficientnet_b2 = _v1_builder(1.1, 1.2, 0.3)
efficientnet_b3 = _v1_builder(1.2, 1.4, 0.3)
efficientnet_b4 = _v1_builder(1.4, 1.8, 0.4)
efficientnet_b5 = _v1_builder(1.6, 2.2, 0.4, _bn_eps3_mom01)
efficientnet_b6 = _v1_builder(1.8, 2.6, 0.5, _bn_eps3_mom01)
efficientnet_b7 = _v1_builder(2.0, 3.1, 0.5, _bn_eps3_mom01)
efficientnet_v2_s = _v2_builder("s")
efficientnet_v2_m = _v2_builder("m")
efficientnet_v2_l = _v2_builder("l")
