# Vision Transformer (Dosovitskiy et al.), as torchvision 0.14 builds and
# runs it. print(model) shows no parameters (class token, position
# embedding) and not the image size: every torchvision ViT is built for
# 224x224, the image size a printed one checks.


class MultiheadAttention(nn.Module):
    # nn.MultiheadAttention: its printed form is a block with one child,
    # out_proj, so it is the library's. Attention keeps the query's shape;
    # only out_proj of its projections is a module (the others are
    # parameters), and a query of the wrong width fails as PyTorch's does.
    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=bias)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                average_attn_weights=True):
        proj = self.out_proj
        width = query.shape[-1]
        torch._assert(width == proj.in_features,
                      "was expecting embedding dimension of " + str(proj.in_features) + ", but got " + str(width))
        return proj(query), None


class MLPBlock(MLP):
    def __init__(self, in_dim, mlp_dim, dropout):
        super().__init__(in_dim, [mlp_dim, in_dim], activation_layer=nn.GELU, inplace=None, dropout=dropout)


def _layer_norm_eps6(dim):
    return nn.LayerNorm(dim, eps=1e-6)


def _check_tokens(x):
    if x.dim() != 3:
        torch._assert(False, "Expected (batch_size, seq_length, hidden_dim) got " + str(x.shape))


class EncoderBlock(nn.Module):
    def __init__(self, num_heads, hidden_dim, mlp_dim, dropout, attention_dropout, norm_layer=_layer_norm_eps6):
        super().__init__()
        self.num_heads = num_heads
        self.ln_1 = norm_layer(hidden_dim)
        self.self_attention = MultiheadAttention(hidden_dim, num_heads, dropout=attention_dropout, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.ln_2 = norm_layer(hidden_dim)
        self.mlp = MLPBlock(hidden_dim, mlp_dim, dropout)

    def forward(self, input):
        _check_tokens(input)
        x = self.ln_1(input)
        x, _ = self.self_attention(x, x, x, need_weights=False)
        x = self.dropout(x) + input
        return x + self.mlp(self.ln_2(x))


class Encoder(nn.Module):
    def __init__(self, seq_length, num_layers, num_heads, hidden_dim, mlp_dim, dropout, attention_dropout,
                 norm_layer=_layer_norm_eps6):
        super().__init__()
        self.pos_embedding = nn.Parameter(torch.zeros(1, seq_length, hidden_dim))
        self.dropout = nn.Dropout(dropout)
        layers = nn.Sequential()
        for i in range(num_layers):
            layers.add_module("encoder_layer_" + str(i), EncoderBlock(num_heads, hidden_dim, mlp_dim, dropout,
                                                                  attention_dropout, norm_layer))
        self.layers = layers
        self.ln = norm_layer(hidden_dim)

    def forward(self, input):
        _check_tokens(input)
        # printed, there is no pos_embedding: it has the sequence's shape
        pos = getattr(self, "pos_embedding", None)
        if pos is not None:
            input = input + pos
        return self.ln(self.layers(self.dropout(input)))


class VisionTransformer(nn.Module):
    def __init__(self, image_size, patch_size, num_layers, num_heads, hidden_dim, mlp_dim, dropout=0.0,
                 attention_dropout=0.0, num_classes=1000, representation_size=None, norm_layer=_layer_norm_eps6,
                 conv_stem_configs=None):
        super().__init__()
        torch._assert(image_size % patch_size == 0, "Input shape indivisible by patch size!")
        self.image_size = image_size
        self.patch_size = patch_size
        self.hidden_dim = hidden_dim
        self.conv_proj = nn.Conv2d(3, hidden_dim, kernel_size=patch_size, stride=patch_size)
        seq_length = (image_size // patch_size) ** 2 + 1
        self.class_token = nn.Parameter(torch.zeros(1, 1, hidden_dim))
        self.encoder = Encoder(seq_length, num_layers, num_heads, hidden_dim, mlp_dim, dropout, attention_dropout,
                               norm_layer)
        self.seq_length = seq_length
        heads = nn.Sequential()
        if representation_size is None:
            heads.add_module("head", nn.Linear(hidden_dim, num_classes))
        else:
            heads.add_module("pre_logits", nn.Linear(hidden_dim, representation_size))
            heads.add_module("act", nn.Tanh())
            heads.add_module("head", nn.Linear(representation_size, num_classes))
        self.heads = heads

    def _process_input(self, x):
        n, c, h, w = x.shape
        size = getattr(self, "image_size", 224)
        torch._assert(h == size, "Wrong image height! Expected " + str(size) + " but got " + str(h) + "!")
        torch._assert(w == size, "Wrong image width! Expected " + str(size) + " but got " + str(w) + "!")
        x = self.conv_proj(x)
        x = x.reshape(n, x.shape[1], x.shape[2] * x.shape[3])
        return x.permute(0, 2, 1)

    def forward(self, x):
        x = self._process_input(x)
        n = x.shape[0]
        token = getattr(self, "class_token", None)
        if token is None:
            token = torch.zeros(1, 1, x.shape[2])
        x = torch.cat([token.expand(n, -1, -1), x], dim=1)
        x = self.encoder(x)
        return self.heads(x[:, 0])


def _vision_transformer(patch_size, num_layers, num_heads, hidden_dim, mlp_dim, image_size=224, **kwargs):
    return VisionTransformer(image_size=image_size, patch_size=patch_size, num_layers=num_layers, num_heads=num_heads,
                             hidden_dim=hidden_dim, mlp_dim=mlp_dim, **kwargs)


def vit_b_16(weights=None, progress=True, **kwargs):
    return _vision_transformer(16, 12, 12, 768, 3072, **kwargs)


def vit_b_32(weights=None, progress=True, **kwargs):
    return _vision_transformer(32, 12, 12, 768, 3072, **kwargs)


def vit_l_16(weights=None, progress=True, **kwargs):
    return _vision_transformer(16, 24, 16, 1024, 4096, **kwargs)


def vit_l_32(weights=None, progress=True, **kwargs):
    return _vision_transformer(32, 24, 16, 1024, 4096, **kwargs)


def vit_h_14(weights=None, progress=True, **kwargs):
    return _vision_transformer(14, 32, 16, 1280, 5120, **kwargs)
