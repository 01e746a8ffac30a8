import torch.nn as nn
from torchvision import models
model = models.googlenet(weights=None, num_classes=10)
model.fc = nn.Linear(512, 5)
