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


# Conv2dNormActivation and StochasticDepth are in 05_misc.py, with the
# other torchvision.ops blocks the families share.


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
