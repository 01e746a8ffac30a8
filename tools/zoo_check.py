# zoo_check.py - every torchvision classification model's print(model) text
# through probe, beside the real model in PyTorch on the same image size.
#   /usr/bin/python3 tools/zoo_check.py PROBE [--sizes 16,32] [NAME...]
# For each model (weights=None): str(model) to a temp file, `PROBE --net FILE
# --hw HxW --json` at its own size (224x224; 299 for inception_v3) and at the
# small sizes, and the real model in eval mode under torch.no_grad() on
# torch.rand(1, 3, H, W). Prints one row a model and size: PyTorch's status,
# output shape and in_features (what the first nn.Linear called receives),
# probe's, and whether they agree. Exit status 1 if any row disagrees.
# Not a dependency of anything: a baseline tool, like forum_trick*.py.
import json
import os
import subprocess
import sys
import tempfile

import torch
import torchvision

# PyTorch's messages for an input too small (probe's `too_small`) and for a
# declared size that disagrees with what reaches it (probe's `mismatch`)
TOO_SMALL = ("Output size is too small", "Kernel size can't be greater", "Expected more than 1 value per channel",
             "Padding size should be less than")
MISMATCH = ("mat1 and mat2 shapes cannot be multiplied", "to have", "running_mean should contain",
            "normalized_shape", "Expected weight to be a vector of size")


def classify(message):
    if any(s in message for s in TOO_SMALL):
        return "too_small"
    if any(s in message for s in MISMATCH):
        return "mismatch"
    return "error"


def own_size(name):
    return 299 if name == "inception_v3" else 224


def run_torch(model, size):
    seen = []

    def hook(module, args):
        if not seen:
            seen.append(args[0].shape[-1])

    handles = [m.register_forward_pre_hook(hook) for m in model.modules() if type(m) is torch.nn.Linear]
    try:
        with torch.no_grad():
            out = model(torch.rand(1, 3, size, size))
        if not torch.is_tensor(out):  # GoogLeNet/Inception outputs in eval are tensors; be safe
            out = out[0]
        return {"status": "ok", "output": list(out.shape), "in_features": seen[0] if seen else None, "message": ""}
    except (RuntimeError, AssertionError, ValueError) as e:
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return {"status": classify(msg), "output": None, "in_features": None, "message": msg}
    finally:
        for h in handles:
            h.remove()


def run_probe(probe, path, size):
    p = subprocess.run([probe, "--net", path, "--hw", "%dx%d" % (size, size), "--json"], capture_output=True,
                       text=True)
    try:
        j = json.loads(p.stdout)
    except ValueError:
        return {"status": "crash(%d)" % p.returncode, "output": None, "in_features": None,
                "message": (p.stderr.strip().splitlines() or [""])[0]}
    errors = j.get("errors") or []
    msg = errors[0].get("message", "") if errors else ""
    return {"status": j.get("status"), "output": j.get("output"), "in_features": j.get("in_features"),
            "message": msg}


def agree(t, p):
    if t["status"] != p["status"]:
        return False
    if t["status"] != "ok":
        return True
    return t["output"] == p["output"] and t["in_features"] == p["in_features"]


def main():
    args = sys.argv[1:]
    if not args:
        print("usage: zoo_check.py PROBE [--sizes 16,32] [NAME...]", file=sys.stderr)
        return 2
    probe = os.path.abspath(args.pop(0))
    small = [16, 32]
    if args[:1] == ["--sizes"]:
        small = [int(s) for s in args[1].split(",")]
        args = args[2:]
    names = args or torchvision.models.list_models(module=torchvision.models)
    bad = 0
    fmt = "%-20s %4s  %-10s %-10s %-5s  %-14s %-14s %s"
    print(fmt % ("model", "size", "pytorch", "probe", "agree", "torch out/inf", "probe out/inf", "messages"))
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            torch.manual_seed(0)
            model = torchvision.models.get_model(name, weights=None).eval()
            path = os.path.join(tmp, name + ".txt")
            with open(path, "w") as f:
                f.write(str(model) + "\n")
            for size in [own_size(name)] + small:
                t = run_torch(model, size)
                p = run_probe(probe, path, size)
                ok = agree(t, p)
                bad += not ok
                tw = "%s/%s" % (t["output"][-1] if t["output"] else "-", t["in_features"])
                pw = "%s/%s" % (p["output"][-1] if p["output"] else "-", p["in_features"])
                note = "" if ok and t["status"] == "ok" else "T: %s | P: %s" % (t["message"][:70], p["message"][:70])
                print(fmt % (name, size, t["status"], p["status"], "yes" if ok else "NO", tw, pw, note), flush=True)
    print("%d disagree" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
