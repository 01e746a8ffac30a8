# forum_trick_zoo.py - the forum trick on a torchvision model, timed by
# `make bench` beside probe reading the model's print(model) text: build the
# model (no weights), run a dummy image in eval mode, print what PyTorch says.
#   /usr/bin/python3 tools/forum_trick_zoo.py NAME SIZE
# Not a dependency of anything: it is the baseline probe is measured against.
import sys

import torch
import torchvision


def main():
    name, size = sys.argv[1], int(sys.argv[2])
    model = getattr(torchvision.models, name)(weights=None).eval()
    with torch.no_grad():
        try:
            out = model(torch.rand(1, 3, size, size))
            print("compatible: output", list(out.shape))
        except (RuntimeError, AssertionError) as e:
            print("error:", e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
