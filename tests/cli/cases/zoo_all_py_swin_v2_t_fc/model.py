# Swin-V2-T built by torchvision.models with a new 10-class head: PyTorch
# runs it at 64x64 to [1, 10]; --quiet prints nothing when all is well
import torch.nn as nn
from torchvision import models

model = models.swin_v2_t(weights=None)
model.head = nn.Linear(768, 10)
