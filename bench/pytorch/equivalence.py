#!/usr/bin/python3
"""Checks that the engine's W2-W5 (bench/src/.../Workloads.java) compute what the PyTorch twins in
workloads.py compute: loads the engine's weights and inputs written by dev.canonic.bench.Equivalence
(DIR/W?.npz), runs the PyTorch step on them and compares the loss and every parameter gradient.

    /usr/bin/python3 bench/pytorch/equivalence.py DIR

Prints one line per workload and exits non-zero when a relative difference exceeds 1e-8.
"""
import os
import re
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workloads as W  # noqa: E402

TOL = 1e-8


def torch_name(wid, name):
    """Engine parameter path -> PyTorch state name of the twin model."""
    if wid in ("W2", "W3", "W4"):
        m = re.fullmatch(r"layers\.(\d+)\.(.+)", name)
        i, rest = m.group(1), m.group(2)
        rest = rest.replace("wn1.", "d1.").replace("wn2.", "d2.")
        return "net.%s.%s" % (i, rest)
    m = re.fullmatch(r"enc\.layers\.(\d+)\.(K|a|b)", name)
    if m:
        return "enc.%s.%s" % (m.group(1), m.group(2))
    m = re.fullmatch(r"(omega|energy)\.layers\.(\d+)\.(weight|bias)", name)
    return "%s.%d.%s" % (m.group(1), 2 * int(m.group(2)), m.group(3))


def model_for(wid):
    if wid in ("W2", "W3"):
        return W.ResDense(256).eval()
    if wid == "W4":
        return W.ResDense(1024).eval()
    return W.Koopman()


def check(wid, path):
    d = np.load(path)
    model = model_for(wid)
    # weight_norm keeps weight_g/weight_v as parameters and recomputes weight in a pre-forward hook
    params = dict(model.named_parameters())
    names = [k[len("param:"):] for k in d.files if k.startswith("param:")]
    if len(names) != len(params):
        return False, "%d engine parameter tensors, %d in PyTorch" % (len(names), len(params))
    with torch.no_grad():
        for n in names:
            p = params[torch_name(wid, n)]
            v = torch.from_numpy(d["param:" + n])
            if tuple(p.shape) != tuple(v.shape):
                return False, "%s: engine shape %s, PyTorch %s" % (n, tuple(v.shape), tuple(p.shape))
            p.copy_(v)
    for p in model.parameters():
        p.grad = None
    if wid in ("W2", "W4"):
        loss = W.resdense_loss(model, torch.from_numpy(d["input:x"]))
    elif wid == "W3":
        loss = W.inputgrad_loss(model, torch.from_numpy(d["input:x"]))
    else:
        loss = W.koopman_loss(model, torch.from_numpy(d["input:xk"]), torch.from_numpy(d["input:xk1"]))
    loss.backward()
    ours = float(d["loss"])
    worst = abs(loss.item() - ours) / max(abs(ours), 1e-300)
    worst_name = "loss"
    for n in names:
        g = params[torch_name(wid, n)].grad
        gt = np.zeros(d["grad:" + n].shape) if g is None else g.numpy()
        ge = d["grad:" + n]
        scale = max(np.abs(gt).max(), 1e-300)
        rel = np.abs(gt - ge).max() / scale
        if rel > worst:
            worst, worst_name = rel, n
    ok = worst <= TOL
    return ok, "loss ours %.12e PyTorch %.12e; %d gradients; largest relative difference %.2e (%s)" % (
        ours, loss.item(), len(names), worst, worst_name)


def main():
    torch.set_default_dtype(torch.float64)
    good = True
    for wid in ("W2", "W3", "W4", "W5"):
        p = os.path.join(sys.argv[1], wid + ".npz")
        if not os.path.exists(p):
            continue
        ok, msg = check(wid, p)
        good &= ok
        print("%s %s: %s" % (wid, "same" if ok else "DIFFERENT", msg))
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
