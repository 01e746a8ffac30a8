# One layer called N times in a loop, for `make bench`: the cost of a call
# in forward() (N is set by the bench, by sed).
import torch.nn as nn


class Loop(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x):
        for _ in range(N_CALLS):
            x = self.conv(x)
        return x


model = Loop()
