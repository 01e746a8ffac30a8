# MaxVit-T built by torchvision.models with a new 10-class head: PyTorch
# runs it at 224x224 to [1, 10]; --quiet prints nothing when all is well
import torch.nn as nn
from torchvision import models

model = models.maxvit_t(weights=None)
model.classifier[5] = nn.Linear(512, 10)
