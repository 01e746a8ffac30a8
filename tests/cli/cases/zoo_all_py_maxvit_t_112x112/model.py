# MaxVit-T is built for 224x224: at 112x112 its first grid attention cuts
# the 28x28 map in cells of 8, and PyTorch's reshape fails (shape
# '[1, 8, 8, 7, 7, 64]' is invalid for input of size 50176)
import torch.nn as nn
from torchvision import models

model = models.maxvit_t(weights=None)
