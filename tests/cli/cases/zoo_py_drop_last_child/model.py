import torch
import torch.nn as nn
import torchvision


class Embedder(nn.Module):
    def __init__(self):
        super().__init__()
        resnet = torchvision.models.resnet34(weights=None)
        self.backbone = nn.Sequential(*list(resnet.children())[:-1])
        self.proj = nn.Linear(1024, 128)

    def forward(self, x):
        return self.proj(torch.flatten(self.backbone(x), 1))


model = Embedder()
