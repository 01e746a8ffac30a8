# MaxVit (Tu et al. 2022), as torchvision 0.14 builds and runs it. Its
# attention layers are built for one image size (224x224 unless
# input_size= says otherwise): each cuts its map into the windows or the
# grid of that size, and another size fails in a reshape, as in PyTorch.
# print(model) shows neither that size nor the partition size (7 in every
# torchvision MaxVit) nor the head width (32): a printed one assumes them,
# and MaxVit.forward() passes each printed block the grid it was built for.
_MAXVIT_PARTITION = 7
_MAXVIT_HEAD_DIM = 32


def _conv_out_size(size):
    # a 3x3 convolution of stride 2 and padding 1: the stem's and each block's
    return (size - 3 + 2) // 2 + 1


class _MaxVitMBConv(nn.Module):
    # MaxVit's MBConv: printed, it is named MBConv as EfficientNet's is, so
    # that class (32_efficientnet.py) hands a block with `layers` to this
    # forward
    def __init__(self, in_channels, out_channels, expansion_ratio, squeeze_ratio, stride, activation_layer,
                 norm_layer, p_stochastic_dropout=0.0):
        super().__init__()
        if stride != 1 or in_channels != out_channels:
            proj = [nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=1, bias=True)]
            if stride == 2:
                proj = [nn.AvgPool2d(kernel_size=3, stride=stride, padding=1)] + proj
            self.proj = nn.Sequential(*proj)
        else:
            self.proj = nn.Identity()
        mid = int(out_channels * expansion_ratio)
        if p_stochastic_dropout:
            self.stochastic_depth = StochasticDepth(p_stochastic_dropout, "row")
        else:
            self.stochastic_depth = nn.Identity()
        layers = nn.Sequential()
        layers.add_module("pre_norm", norm_layer(in_channels))
        layers.add_module("conv_a", Conv2dNormActivation(in_channels, mid, kernel_size=1, stride=1, padding=0,
                                                         activation_layer=activation_layer, norm_layer=norm_layer,
                                                         inplace=None))
        layers.add_module("conv_b", Conv2dNormActivation(mid, mid, kernel_size=3, stride=stride, padding=1,
                                                         activation_layer=activation_layer, norm_layer=norm_layer,
                                                         groups=mid, inplace=None))
        layers.add_module("squeeze_excitation", SqueezeExcitation(mid, int(out_channels * squeeze_ratio),
                                                                  activation=nn.SiLU))
        layers.add_module("conv_c", nn.Conv2d(mid, out_channels, kernel_size=1, bias=True))
        self.layers = layers

    def forward(self, x):
        return self.proj(x) + self.stochastic_depth(self.layers(x))


class RelativePositionalMultiHeadAttention(nn.Module):
    def __init__(self, feat_dim, head_dim, max_seq_len):
        super().__init__()
        if feat_dim % head_dim != 0:
            raise ValueError("feat_dim: " + str(feat_dim) + " must be divisible by head_dim: " + str(head_dim))
        self.n_heads = feat_dim // head_dim
        self.head_dim = head_dim
        self.max_seq_len = max_seq_len
        self.to_qkv = nn.Linear(feat_dim, self.n_heads * head_dim * 3)
        self.merge = nn.Linear(self.n_heads * head_dim, feat_dim)
        side = 2 * _MAXVIT_PARTITION - 1
        self.relative_position_bias_table = nn.Parameter(torch.zeros(side * side, self.n_heads))

    def forward(self, x):
        b, g, p, d = x.shape
        dh = getattr(self, "head_dim", _MAXVIT_HEAD_DIM)
        heads = getattr(self, "n_heads", self.to_qkv.in_features // dh)
        seq = getattr(self, "max_seq_len", _MAXVIT_PARTITION * _MAXVIT_PARTITION)
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q = q.reshape(b, g, p, heads, dh).permute(0, 1, 3, 2, 4)
        k = k.reshape(b, g, p, heads, dh).permute(0, 1, 3, 2, 4)
        v = v.reshape(b, g, p, heads, dh).permute(0, 1, 3, 2, 4)
        # the position bias is [1, heads, seq, seq]: a partition of another
        # length fails to broadcast with it
        scores = F.softmax(q.matmul(k.transpose(-2, -1)) + torch.zeros(1, heads, seq, seq), dim=-1)
        out = scores.matmul(v).permute(0, 1, 3, 2, 4).reshape(b, g, p, d)
        return self.merge(out)


class SwapAxes(nn.Module):
    def __init__(self, a, b):
        super().__init__()
        self.a = a
        self.b = b

    def forward(self, x):
        # printed SwapAxes() shows no axes: MaxVit's are always -2, -3
        return x.transpose(getattr(self, "a", -2), getattr(self, "b", -3))


class WindowPartition(nn.Module):
    def forward(self, x, p):
        # [B, C, H, W] -> [B, windows, p*p, C]
        b, c, h, w = x.shape
        x = x.reshape(b, c, h // p, p, w // p, p).permute(0, 2, 4, 3, 5, 1)
        return x.reshape(b, (h // p) * (w // p), p * p, c)


class WindowDepartition(nn.Module):
    def forward(self, x, p, h_partitions, w_partitions):
        b, g, pp, c = x.shape
        x = x.reshape(b, h_partitions, w_partitions, p, p, c).permute(0, 5, 1, 3, 2, 4)
        return x.reshape(b, c, h_partitions * p, w_partitions * p)


class PartitionAttentionLayer(nn.Module):
    def __init__(self, in_channels, head_dim, partition_size, partition_type, grid_size, mlp_ratio, activation_layer,
                 norm_layer, attention_dropout, mlp_dropout, p_stochastic_dropout):
        super().__init__()
        if partition_type not in ["grid", "window"]:
            raise ValueError("partition_type must be either 'grid' or 'window'")
        self.grid_size = grid_size
        self.p = _partition_side(partition_type == "grid", grid_size, partition_size)
        self.partition_op = WindowPartition()
        self.departition_op = WindowDepartition()
        self.partition_swap = SwapAxes(-2, -3) if partition_type == "grid" else nn.Identity()
        self.departition_swap = SwapAxes(-2, -3) if partition_type == "grid" else nn.Identity()
        self.attn_layer = nn.Sequential(norm_layer(in_channels),
                                        RelativePositionalMultiHeadAttention(in_channels, head_dim,
                                                                             partition_size ** 2),
                                        nn.Dropout(attention_dropout))
        self.mlp_layer = nn.Sequential(nn.LayerNorm(in_channels), nn.Linear(in_channels, in_channels * mlp_ratio),
                                       activation_layer(), nn.Linear(in_channels * mlp_ratio, in_channels),
                                       nn.Dropout(mlp_dropout))
        self.stochastic_dropout = StochasticDepth(p_stochastic_dropout, "row")

    def forward(self, x, grid_size=None):
        # printed, the grid is the one its block passes, else the map's own
        grid = getattr(self, "grid_size", grid_size)
        if grid is None:
            grid = (x.shape[-2], x.shape[-1])
        p = getattr(self, "p", None)
        if p is None:
            p = _partition_side(isinstance(self.partition_swap, SwapAxes), grid, _MAXVIT_PARTITION)
        torch._assert(grid[0] % p == 0 and grid[1] % p == 0,
                      "Grid size must be divisible by partition size. Got grid size of " + str(grid) +
                      " and partition size of " + str(p))
        x = self.partition_swap(self.partition_op(x, p))
        x = x + self.stochastic_dropout(self.attn_layer(x))
        x = x + self.stochastic_dropout(self.mlp_layer(x))
        return self.departition_op(self.departition_swap(x), p, grid[0] // p, grid[1] // p)


def _partition_side(is_grid, grid_size, partition_size):
    # a window is partition_size wide; a grid cell is as wide as the
    # number of windows across the map
    return grid_size[0] // partition_size if is_grid else partition_size


class MaxVitLayer(nn.Module):
    def __init__(self, in_channels, out_channels, squeeze_ratio, expansion_ratio, stride, norm_layer,
                 activation_layer, head_dim, mlp_ratio, mlp_dropout, attention_dropout, p_stochastic_dropout,
                 partition_size, grid_size):
        super().__init__()
        layers = nn.Sequential()
        layers.add_module("MBconv", _MaxVitMBConv(in_channels, out_channels, expansion_ratio, squeeze_ratio, stride,
                                                  activation_layer, norm_layer, p_stochastic_dropout))
        for kind in ["window", "grid"]:
            layers.add_module(kind + "_attention",
                              PartitionAttentionLayer(out_channels, head_dim, partition_size, kind, grid_size,
                                                      mlp_ratio, activation_layer, nn.LayerNorm, attention_dropout,
                                                      mlp_dropout, p_stochastic_dropout))
        self.layers = layers

    def forward(self, x, grid_size=None):
        layers = self.layers
        x = getattr(layers, "MBconv")(x)
        return layers.grid_attention(layers.window_attention(x, grid_size), grid_size)


class MaxVitBlock(nn.Module):
    def __init__(self, in_channels, out_channels, squeeze_ratio, expansion_ratio, norm_layer, activation_layer,
                 head_dim, mlp_ratio, mlp_dropout, attention_dropout, partition_size, input_grid_size, n_layers,
                 p_stochastic):
        super().__init__()
        if len(p_stochastic) != n_layers:
            raise ValueError("p_stochastic must have length n_layers=" + str(n_layers))
        self.layers = nn.ModuleList()
        self.grid_size = (_conv_out_size(input_grid_size[0]), _conv_out_size(input_grid_size[1]))
        for i in range(n_layers):
            self.layers.append(MaxVitLayer(in_channels if i == 0 else out_channels, out_channels, squeeze_ratio,
                                           expansion_ratio, 2 if i == 0 else 1, norm_layer, activation_layer,
                                           head_dim, mlp_ratio, mlp_dropout, attention_dropout, p_stochastic[i],
                                           partition_size, self.grid_size))

    def forward(self, x, grid_size=None):
        # printed, the grid is the one MaxVit passes (torchvision's forward
        # takes x alone: the extra argument is for print(model) text)
        grid = getattr(self, "grid_size", grid_size)
        for layer in self.layers:
            x = layer(x, grid)
        return x


def _maxvit_bn(channels):
    return nn.BatchNorm2d(channels, eps=1e-3, momentum=0.99)


class MaxVit(nn.Module):
    def __init__(self, input_size, stem_channels, partition_size, block_channels, block_layers, head_dim,
                 stochastic_depth_prob, norm_layer=None, activation_layer=nn.GELU, squeeze_ratio=0.25,
                 expansion_ratio=4, mlp_ratio=4, mlp_dropout=0.0, attention_dropout=0.0, num_classes=1000):
        super().__init__()
        norm = norm_layer if norm_layer is not None else _maxvit_bn
        _check_partition(input_size, len(block_channels), partition_size)
        self.stem = nn.Sequential(
            Conv2dNormActivation(3, stem_channels, 3, stride=2, norm_layer=norm, activation_layer=activation_layer,
                                 bias=False, inplace=None),
            Conv2dNormActivation(stem_channels, stem_channels, 3, stride=1, norm_layer=None, activation_layer=None,
                                 bias=True))
        grid = (_conv_out_size(input_size[0]), _conv_out_size(input_size[1]))
        self.partition_size = partition_size
        self.blocks = nn.ModuleList()
        total = sum(block_layers)
        done = 0
        for i in range(len(block_channels)):
            # the stochastic depth rises linearly from 0 over all the layers
            probs = [stochastic_depth_prob * (done + j) / max(1, total - 1) for j in range(block_layers[i])]
            block = MaxVitBlock(stem_channels if i == 0 else block_channels[i - 1], block_channels[i], squeeze_ratio,
                                expansion_ratio, norm, activation_layer, head_dim, mlp_ratio, mlp_dropout,
                                attention_dropout, partition_size, grid, block_layers[i], probs)
            self.blocks.append(block)
            grid = block.grid_size
            done += block_layers[i]
        last = block_channels[-1]
        self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.LayerNorm(last),
                                        nn.Linear(last, last), nn.Tanh(), nn.Linear(last, num_classes, bias=False))

    def forward(self, x):
        x = self.stem(x)
        size = _conv_out_size(224)
        for block in self.blocks:
            # a printed block was built for a 224x224 image
            size = _conv_out_size(size)
            x = block(x, (size, size))
        return self.classifier(x)


def _check_partition(input_size, blocks, partition_size):
    h = _conv_out_size(input_size[0])
    w = _conv_out_size(input_size[1])
    for i in range(blocks):
        h = _conv_out_size(h)
        w = _conv_out_size(w)
        if h % partition_size != 0 or w % partition_size != 0:
            raise ValueError("Input size (" + str(h) + ", " + str(w) + ") of block " + str(i) +
                             " is not divisible by partition size " + str(partition_size) + ".")


def maxvit_t(weights=None, progress=True, input_size=(224, 224), **kwargs):
    return MaxVit(input_size, 64, 7, [64, 128, 256, 512], [2, 2, 5, 2], 32, 0.2, **kwargs)
