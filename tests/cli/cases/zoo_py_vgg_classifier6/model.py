import torch.nn as nn
from torchvision import models

model = models.vgg16(weights=None)
model.classifier[6] = nn.Linear(4096, 2)
