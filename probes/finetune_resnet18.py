# Transfer learning as the forums show it: torchvision's ResNet-18 with a
# new classifier for 10 classes -- and the usual slip: in_features=1024,
# where a ResNet-18's last stage gives 512. probe says so, and --fix writes
# 512 into the nn.Linear below; the weights are never loaded (the shapes do
# not depend on them).
import torch
import torch.nn as nn
from torchvision import models

model = models.resnet18(weights=None)
model.fc = nn.Linear(1024, 10)
