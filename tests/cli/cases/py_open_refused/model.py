import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, 3)
        open("/etc/passwd")
    def forward(self, x):
        return self.c(x)
