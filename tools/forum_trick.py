# forum_trick.py - the forum trick itself, timed by `make bench` when
# /usr/bin/python3 can import torch: build the net of a net.cfg in PyTorch,
# feed a dummy image with the first Linear's in_features deliberately
# wrong, and read N out of the error, as the forum answer does.
#   /usr/bin/python3 tools/forum_trick.py NET.cfg SIZE
# Not a dependency of anything: it is the baseline probe is measured
# against. It reads the net.cfg of probes/ (one call a line, containers
# flattened, as probe runs them), not every net.cfg probe reads.
import re
import sys

import torch
import torch.nn as nn

LABEL = re.compile(r"^(\([^)]*\)\s*:|(self\.)?[A-Za-z_]\w*\s*=)\s*")
PREFIX = re.compile(r"^(torch\.)?(nn\.)?")


def read_net(path):
    """The input channels (None: not given) and the layers, in a row."""
    channels, layers = None, []
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#")[0].strip().rstrip(",").strip()
        if not line:
            continue
        m = re.match(r"input:\s*(\d+)\s*x\s*(\d+)\s*x\s*(\d+)$", line)
        if m:
            channels = int(m.group(1))
            continue
        body = PREFIX.sub("", LABEL.sub("", line, count=1))
        if body.endswith("(") or body.startswith(")") or body in ("Sequential()", "ModuleList()"):
            continue  # a container opens or closes: its children run in a row
        layers.append(eval("nn." + body.replace("?", "1"), {"nn": nn}))
    return channels, layers


def plant_trick(layers):
    """Gives the first Linear a wrong in_features, and puts the flatten
    forward() does before it when the net has none; returns the
    in_features the file declared."""
    for i, layer in enumerate(layers):
        if isinstance(layer, nn.Linear):
            wrong = 1 if layer.in_features != 1 else 2
            layers[i] = nn.Linear(wrong, layer.out_features)
            if not any(isinstance(x, nn.Flatten) for x in layers[:i]):
                layers.insert(i, nn.Flatten())
            return layer.in_features
    raise SystemExit("no Linear: nothing for the trick to read")


def first_channels(layers):
    for layer in layers:
        for name in ("in_channels", "num_features"):
            if hasattr(layer, name):
                return getattr(layer, name)
    raise SystemExit("cannot tell the input channels")


path = sys.argv[1]
size = int(sys.argv[2])
channels, layers = read_net(path)
channels = channels or first_channels(layers)
declared = plant_trick(layers)
model = nn.Sequential(*layers).eval()
with torch.no_grad():
    try:
        model(torch.rand(1, channels, size, size))
        print("Image size is compatible with layer sizes.")   # N happened to be the size planted
    except RuntimeError as e:
        m = re.search(r"mat1 and mat2 shapes cannot be multiplied \(1x(\d+)", str(e))
        if not m:
            print("Image size is too small.")
        elif int(m.group(1)) == declared:   # a '?' was planted as 1, which N never is
            print("Image size is compatible with layer sizes.")
        else:
            print(f"Linear layer needs to have size: {m.group(1)}")
