# A subclass of nn.Sequential given one module, and one of nn.ModuleList
# given one list: Sequential keeps the module as child "0", ModuleList
# iterates the list (as torchvision's one-conv Conv2dNormActivation in
# MaxVit's stem does).
import torch.nn as nn


class Stem(nn.Sequential):
    def __init__(self):
        super().__init__(nn.Conv2d(3, 8, 3))


class Blocks(nn.ModuleList):
    def __init__(self):
        super().__init__([nn.Conv2d(8, 8, 3), nn.Conv2d(8, 4, 3)])


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = Stem()
        self.blocks = Blocks()

    def forward(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return x
