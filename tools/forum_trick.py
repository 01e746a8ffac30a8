# forum_trick.py - the forum trick itself, timed by `make bench` when
# /usr/bin/python3 can import torch: build the net, feed a dummy image with
# the first Linear's in_features deliberately wrong, read N out of the error.
# Not a dependency of anything: it is the baseline probe is measured against.
import re
import sys

import torch
import torch.nn as nn

def alexnet():
    return nn.Sequential(
        nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.AdaptiveAvgPool2d((6, 6)), nn.Flatten(),
        nn.Dropout(p=0.5), nn.Linear(1, 4096),   # deliberately wrong in_features
        nn.ReLU(inplace=True), nn.Dropout(p=0.5),
        nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Linear(4096, 1000),
    )

size = int(sys.argv[1]) if len(sys.argv) > 1 else 224
model = alexnet().eval()
with torch.no_grad():
    try:
        model(torch.rand(1, 3, size, size))
        print("Image size is compatible with layer sizes.")
    except RuntimeError as e:
        m = re.search(r"mat1 and mat2 shapes cannot be multiplied \(1x(\d+)", str(e))
        print(f"Linear layer needs to have size: {m.group(1)}" if m else "Image size is too small.")
