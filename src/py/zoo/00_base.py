# the torchvision library: classes and builders after torchvision 0.14
import torch
import torch.nn as nn
