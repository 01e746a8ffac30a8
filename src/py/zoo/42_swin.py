# Swin Transformer (Liu et al. 2021), as torchvision 0.14 builds and runs
# it, for the shapes: the maps are channels-last [B, H, W, C]. print(model)
# shows neither a window's size nor the heads: every torchvision Swin (V1)
# has 7x7 windows and 32 channels a head, what a printed one assumes.
import torch.nn.functional as F


class PatchMerging(nn.Module):
    def __init__(self, dim, norm_layer=nn.LayerNorm):
        super().__init__()
        self.dim = dim
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
        self.norm = norm_layer(4 * dim)

    def forward(self, x):
        return self.reduction(self.norm(_patch_merging_pad(x)))


def _patch_merging_pad(x):
    # odd sizes get a row or column of zeros, then 2x2 neighbours side by side
    h = x.shape[-3]
    w = x.shape[-2]
    x = F.pad(x, (0, 0, 0, w % 2, 0, h % 2))
    parts = [x[..., 0::2, 0::2, :], x[..., 1::2, 0::2, :], x[..., 0::2, 1::2, :], x[..., 1::2, 1::2, :]]
    return torch.cat(parts, -1)


class ShiftedWindowAttention(nn.Module):
    def __init__(self, dim, window_size, shift_size, num_heads, qkv_bias=True, proj_bias=True, attention_dropout=0.0,
                 dropout=0.0):
        super().__init__()
        self.window_size = window_size
        self.shift_size = shift_size
        self.num_heads = num_heads
        self.attention_dropout = attention_dropout
        self.dropout = dropout
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim, bias=proj_bias)
        self.define_relative_position_bias_table()

    def define_relative_position_bias_table(self):
        # a table of (2*Wh-1)*(2*Ww-1) biases a head: no module
        self.relative_position_bias_table = nn.Parameter(
            torch.zeros((2 * self.window_size[0] - 1) * (2 * self.window_size[1] - 1), self.num_heads))

    def forward(self, x):
        return _window_attention(self, x, getattr(self, "window_size", [7, 7]),
                                 getattr(self, "num_heads", x.shape[-1] // 32))


def _window_attention(attn, x, win, heads):
    # shared by V1 and V2 (cosine attention and the bias change no shape)
    b, h, w, c = x.shape
    # padded to whole windows; the shift (a roll) keeps the shape
    x = F.pad(x, (0, 0, 0, (win[1] - w % win[1]) % win[1], 0, (win[0] - h % win[0]) % win[0]))
    ph = x.shape[1]
    pw = x.shape[2]
    n = win[0] * win[1]
    windows = (ph // win[0]) * (pw // win[1])
    x = x.view(b, ph // win[0], win[0], pw // win[1], win[1], c).permute(0, 1, 3, 2, 4, 5)
    x = x.reshape(b * windows, n, c)
    qkv = attn.qkv(x).reshape(b * windows, n, 3, heads, c // heads).permute(2, 0, 3, 1, 4)
    scores = F.softmax(qkv[0].matmul(qkv[1].transpose(-2, -1)), dim=-1)
    x = scores.matmul(qkv[2]).transpose(1, 2).reshape(b * windows, n, c)
    x = attn.proj(x)
    x = x.view(b, ph // win[0], pw // win[1], win[0], win[1], c).permute(0, 1, 3, 2, 4, 5).reshape(b, ph, pw, c)
    return x[:, :h, :w, :]


class SwinTransformerBlock(nn.Module):
    def __init__(self, dim, num_heads, window_size, shift_size, mlp_ratio=4.0, dropout=0.0, attention_dropout=0.0,
                 stochastic_depth_prob=0.0, norm_layer=nn.LayerNorm, attn_layer=ShiftedWindowAttention):
        super().__init__()
        self.norm1 = norm_layer(dim)
        self.attn = attn_layer(dim, window_size, shift_size, num_heads, attention_dropout=attention_dropout,
                               dropout=dropout)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")
        self.norm2 = norm_layer(dim)
        self.mlp = MLP(dim, [int(dim * mlp_ratio), dim], activation_layer=nn.GELU, inplace=None, dropout=dropout)

    def forward(self, x):
        x = x + self.stochastic_depth(self.attn(self.norm1(x)))
        return x + self.stochastic_depth(self.mlp(self.norm2(x)))


class SwinTransformer(nn.Module):
    def __init__(self, patch_size, embed_dim, depths, num_heads, window_size, mlp_ratio=4.0, dropout=0.0,
                 attention_dropout=0.0, stochastic_depth_prob=0.1, num_classes=1000, norm_layer=None, block=None,
                 downsample_layer=PatchMerging):
        super().__init__()
        block = block if block is not None else SwinTransformerBlock
        norm = norm_layer if norm_layer is not None else nn.LayerNorm
        layers = [nn.Sequential(nn.Conv2d(3, embed_dim, kernel_size=(patch_size[0], patch_size[1]),
                                          stride=(patch_size[0], patch_size[1])),
                                Permute([0, 2, 3, 1]), norm(embed_dim))]
        total = sum(depths)
        block_id = 0
        for i in range(len(depths)):
            dim = embed_dim * 2 ** i
            stage = []
            for j in range(depths[i]):
                shift = [0 if j % 2 == 0 else s // 2 for s in window_size]
                stage.append(block(dim, num_heads[i], window_size=window_size, shift_size=shift, mlp_ratio=mlp_ratio,
                                   dropout=dropout, attention_dropout=attention_dropout,
                                   stochastic_depth_prob=stochastic_depth_prob * float(block_id) / (total - 1),
                                   norm_layer=norm))
                block_id += 1
            layers.append(nn.Sequential(*stage))
            if i < len(depths) - 1:
                layers.append(downsample_layer(dim, norm))
        self.features = nn.Sequential(*layers)
        features = embed_dim * 2 ** (len(depths) - 1)
        self.norm = norm(features)
        self.permute = Permute([0, 3, 1, 2])
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten(1)
        self.head = nn.Linear(features, num_classes)

    def forward(self, x):
        # features[0] is conv, Permute([0, 2, 3, 1]), norm; self.permute is
        # Permute([0, 3, 1, 2]): a printed Permute() does not show them
        stem = self.features[0]
        x = stem[2](stem[0](x).permute(0, 2, 3, 1))
        for i in range(1, len(self.features)):
            x = self.features[i](x)
        x = self.norm(x).permute(0, 3, 1, 2)
        return self.head(self.flatten(self.avgpool(x)))


def _swin_transformer(embed_dim, depths, num_heads, stochastic_depth_prob, **kwargs):
    return SwinTransformer([4, 4], embed_dim, depths, num_heads, [7, 7], stochastic_depth_prob=stochastic_depth_prob,
                           **kwargs)


def swin_t(weights=None, progress=True, **kwargs):
    return _swin_transformer(96, [2, 2, 6, 2], [3, 6, 12, 24], 0.2, **kwargs)


def swin_s(weights=None, progress=True, **kwargs):
    return _swin_transformer(96, [2, 2, 18, 2], [3, 6, 12, 24], 0.3, **kwargs)


def swin_b(weights=None, progress=True, **kwargs):
    return _swin_transformer(128, [2, 2, 18, 2], [4, 8, 16, 32], 0.5, **kwargs)
