# ConvNeXt (Liu et al. 2022), as torchvision 0.14 builds and runs it.


class LayerNorm2d(nn.Module):
    # torchvision's is an nn.LayerNorm over the channels of NCHW (through a
    # permute). Printed, it has no children (its size is not read): it keeps
    # the shape, as a LayerNorm of the printed model's right size does.
    def __init__(self, normalized_shape, eps=1e-05, elementwise_affine=True):
        super().__init__()
        self.norm = nn.LayerNorm(normalized_shape, eps=eps, elementwise_affine=elementwise_affine)

    def forward(self, x):
        norm = getattr(self, "norm", None)
        if norm is None:
            return x
        return norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class CNBlock(nn.Module):
    def __init__(self, dim, layer_scale, stochastic_depth_prob, norm_layer=None):
        super().__init__()
        norm = norm_layer if norm_layer is not None else _layer_norm_eps6
        self.block = nn.Sequential(
            nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim, bias=True),
            Permute([0, 2, 3, 1]),
            norm(dim),
            nn.Linear(in_features=dim, out_features=4 * dim, bias=True),
            nn.GELU(),
            nn.Linear(in_features=4 * dim, out_features=dim, bias=True),
            Permute([0, 3, 1, 2]),
        )
        self.layer_scale = nn.Parameter(torch.ones(dim, 1, 1) * layer_scale)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")

    def forward(self, x):
        # block[1] and block[6] are Permute([0, 2, 3, 1]) and Permute([0, 3, 1, 2])
        b = self.block
        y = b[0](x).permute(0, 2, 3, 1)
        y = b[5](b[4](b[3](b[2](y)))).permute(0, 3, 1, 2)
        # layer_scale (dim, 1, 1) scales channels: the shape stays
        return self.stochastic_depth(y) + x


def _layer_norm_eps6(dim):
    return nn.LayerNorm(dim, eps=1e-6)


def _layer_norm2d_eps6(dim):
    return LayerNorm2d(dim, eps=1e-6)


class CNBlockConfig:
    def __init__(self, input_channels, out_channels, num_layers):
        self.input_channels = input_channels
        self.out_channels = out_channels
        self.num_layers = num_layers


class ConvNeXt(nn.Module):
    def __init__(self, block_setting, stochastic_depth_prob=0.0, layer_scale=1e-6, num_classes=1000, block=None,
                 norm_layer=None, **kwargs):
        super().__init__()
        block = block if block is not None else CNBlock
        norm = norm_layer if norm_layer is not None else _layer_norm2d_eps6
        layers = [Conv2dNormActivation(3, block_setting[0].input_channels, kernel_size=4, stride=4, padding=0,
                                       norm_layer=norm, activation_layer=None, bias=True)]
        total = sum([cnf.num_layers for cnf in block_setting])
        block_id = 0
        for cnf in block_setting:
            stage = []
            for _ in range(cnf.num_layers):
                stage.append(block(cnf.input_channels, layer_scale, stochastic_depth_prob * block_id / (total - 1.0)))
                block_id += 1
            layers.append(nn.Sequential(*stage))
            if cnf.out_channels is not None:
                layers.append(nn.Sequential(norm(cnf.input_channels),
                                            nn.Conv2d(cnf.input_channels, cnf.out_channels, kernel_size=2, stride=2)))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        last = block_setting[-1]
        channels = last.out_channels if last.out_channels is not None else last.input_channels
        self.classifier = nn.Sequential(norm(channels), nn.Flatten(1), nn.Linear(channels, num_classes))

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)))


def _convnext(widths, depths, stochastic_depth_prob, **kwargs):
    setting = []
    for i in range(len(depths)):
        out = widths[i + 1] if i + 1 < len(widths) else None
        setting.append(CNBlockConfig(widths[i], out, depths[i]))
    return ConvNeXt(setting, stochastic_depth_prob=stochastic_depth_prob, **kwargs)


def convnext_tiny(weights=None, progress=True, **kwargs):
    return _convnext([96, 192, 384, 768], [3, 3, 9, 3], 0.1, **kwargs)


def convnext_small(weights=None, progress=True, **kwargs):
    return _convnext([96, 192, 384, 768], [3, 3, 27, 3], 0.4, **kwargs)


def convnext_base(weights=None, progress=True, **kwargs):
    return _convnext([128, 256, 512, 1024], [3, 3, 27, 3], 0.5, **kwargs)


def convnext_large(weights=None, progress=True, **kwargs):
    return _convnext([192, 384, 768, 1536], [3, 3, 27, 3], 0.5, **kwargs)
