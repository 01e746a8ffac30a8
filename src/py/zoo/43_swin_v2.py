# Swin Transformer V2 (Liu et al. 2022), as torchvision 0.14 builds and runs
# it: the V1 model of 42_swin.py with other blocks. Every torchvision V2 has
# 8x8 windows, which print(model) does not show; the heads are the width of
# the attention's position-bias MLP (cpb_mlp), which it does.


class PatchMergingV2(nn.Module):
    def __init__(self, dim, norm_layer=nn.LayerNorm):
        super().__init__()
        self.dim = dim
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
        # V2 normalizes after the reduction, so the norm has 2 * dim
        self.norm = norm_layer(2 * dim)

    def forward(self, x):
        return self.norm(self.reduction(_patch_merging_pad(x)))


class ShiftedWindowAttentionV2(ShiftedWindowAttention):
    def __init__(self, dim, window_size, shift_size, num_heads, qkv_bias=True, proj_bias=True, attention_dropout=0.0,
                 dropout=0.0):
        super().__init__(dim, window_size, shift_size, num_heads, qkv_bias=qkv_bias, proj_bias=proj_bias,
                         attention_dropout=attention_dropout, dropout=dropout)
        self.logit_scale = nn.Parameter(torch.zeros(num_heads, 1, 1))
        # the position bias is computed from the relative coordinates
        self.cpb_mlp = nn.Sequential(nn.Linear(2, 512, bias=True), nn.ReLU(inplace=True),
                                     nn.Linear(512, num_heads, bias=False))

    def define_relative_position_bias_table(self):
        # V2 has no table of biases: cpb_mlp computes them
        pass

    def forward(self, x):
        win = getattr(self, "window_size", [8, 8])
        heads = getattr(self, "num_heads", self.cpb_mlp[2].out_features)
        # the bias MLP runs first, on a [1, 2*Wh-1, 2*Ww-1, 2] table
        self.cpb_mlp(torch.zeros(1, 2 * win[0] - 1, 2 * win[1] - 1, 2)).view(-1, heads)
        return _window_attention(self, x, win, heads)


class SwinTransformerBlockV2(SwinTransformerBlock):
    def __init__(self, dim, num_heads, window_size, shift_size, mlp_ratio=4.0, dropout=0.0, attention_dropout=0.0,
                 stochastic_depth_prob=0.0, norm_layer=nn.LayerNorm, attn_layer=ShiftedWindowAttentionV2):
        super().__init__(dim, num_heads, window_size, shift_size, mlp_ratio=mlp_ratio, dropout=dropout,
                         attention_dropout=attention_dropout, stochastic_depth_prob=stochastic_depth_prob,
                         norm_layer=norm_layer, attn_layer=attn_layer)

    def forward(self, x):
        # V2 normalizes each branch's output (res-post-norm)
        x = x + self.stochastic_depth(self.norm1(self.attn(x)))
        return x + self.stochastic_depth(self.norm2(self.mlp(x)))


def _swin_v2(embed_dim, depths, num_heads, stochastic_depth_prob, **kwargs):
    return SwinTransformer([4, 4], embed_dim, depths, num_heads, [8, 8], stochastic_depth_prob=stochastic_depth_prob,
                           block=SwinTransformerBlockV2, downsample_layer=PatchMergingV2, **kwargs)


def swin_v2_t(weights=None, progress=True, **kwargs):
    return _swin_v2(96, [2, 2, 6, 2], [3, 6, 12, 24], 0.2, **kwargs)


def swin_v2_s(weights=None, progress=True, **kwargs):
    return _swin_v2(96, [2, 2, 18, 2], [3, 6, 12, 24], 0.3, **kwargs)


def swin_v2_b(weights=None, progress=True, **kwargs):
    return _swin_v2(128, [2, 2, 18, 2], [4, 8, 16, 32], 0.5, **kwargs)
