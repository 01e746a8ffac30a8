import torch.nn as nn
from torchvision import models
model = models.vit_b_16(weights=None)
model.heads.head = nn.Linear(512, 10)
