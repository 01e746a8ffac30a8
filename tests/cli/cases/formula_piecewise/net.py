import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    """Runs where ceil(H / 3) is even (H % 6 in 4, 5, 0) and doubles the
    channels at H % 6 == 4 only: in_features has one formula there and
    another at the other two residues."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 1, stride=(3, 1))
        self.unshuffle = nn.PixelUnshuffle(2)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        h = x.shape[2]
        x = self.conv(x)
        x = self.unshuffle(x)
        if h % 6 == 4:
            x = torch.cat([x, x], 1)
        x = torch.flatten(x, 1)
        return self.fc(x)
