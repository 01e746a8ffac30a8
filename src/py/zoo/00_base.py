# the torchvision library: classes and builders after torchvision 0.14.
# Every file of it sees these names: they are loaded first.
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
