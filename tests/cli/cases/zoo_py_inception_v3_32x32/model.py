import torch.nn as nn
from torchvision import models
model = models.inception_v3(weights=None, num_classes=10)
model.fc = nn.Linear(2048, 5)
