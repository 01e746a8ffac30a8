# forum_trick_model.py - the forum trick on a model file, timed by `make
# bench` when /usr/bin/python3 can import torch: import the file, take its
# model (the last top-level instance of an nn.Module, as MODELPY.md says),
# run a dummy image through it in eval mode and print what PyTorch says.
#   /usr/bin/python3 tools/forum_trick_model.py MODEL.py CHANNELS SIZE
# Not a dependency of anything: it is the baseline probe is measured
# against.
import importlib.util
import sys

import torch
import torch.nn as nn


def main():
    path, channels, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    spec = importlib.util.spec_from_file_location("model_file", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # the model: the last top-level instance of a class of the file (a loss
    # such as nn.CrossEntropyLoss() is not), as MODELPY.md says
    models = [v for v in vars(module).values()
              if isinstance(v, nn.Module) and type(v).__module__ == module.__name__]
    if not models:  # no instance: the file's last nn.Module class, built with no arguments
        classes = [v for v in vars(module).values()
                   if isinstance(v, type) and issubclass(v, nn.Module) and v.__module__ == module.__name__]
        if not classes:
            print("no model in the file")
            return 2
        models = [classes[-1]()]
    model = models[-1].eval()
    with torch.no_grad():
        try:
            out = model(torch.rand(1, channels, size, size))
            print("compatible: output", list(out.shape))
        except RuntimeError as e:
            print("RuntimeError:", e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
