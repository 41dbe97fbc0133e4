#!/usr/bin/python3
"""PyTorch twins of the standard workloads W1-W6 (../../../shared/BENCHMARKS.md), float64 on the CPU.

Run with Debian's PyTorch (apt-get install -y python3-torch) and /usr/bin/python3:

    /usr/bin/python3 bench/pytorch/workloads.py --threads 2 --workloads W1,W2,W3,W4,W5

Prints one JSON object: per workload the median step time in seconds over >= --reps timed
repetitions after warm-up (W1 also GFLOP/s = 2n^3/t). "Step" = forward, loss, backward to every
parameter gradient (no optimiser). Dropout is off (evaluation mode) for W2-W4, as specified.
"""
import argparse
import json
import math
import platform
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


# ---------------------------------------------------------------- timing
def timed(step, reps, min_time=1.0, warmup=2):
    """Median seconds of step() over at least `reps` runs (more while under min_time seconds)."""
    for _ in range(warmup):
        step()
    ts = []
    start = time.perf_counter()
    while len(ts) < reps or (time.perf_counter() - start < min_time and len(ts) < 200):
        t0 = time.perf_counter()
        step()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), len(ts)


# ---------------------------------------------------------------- W1
def w1(n, reps):
    g = torch.Generator().manual_seed(1)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    c = torch.empty(n, n)
    t, r = timed(lambda: torch.matmul(a, b, out=c), reps)
    return {"median_s": t, "reps": r, "gflops": 2.0 * n ** 3 / t / 1e9}


# ---------------------------------------------------------------- ResDense (W2-W4)
def widths(cap):
    up = []
    w = 64
    while w < cap:
        up.append(w)
        w *= 2
    mid = [cap] * (3 if cap == 1024 else 1)
    return up + mid + list(reversed(up))


class Block(nn.Module):
    """Eq. 11: out = WN2(D2(ReLU(WN1(D1(ReLU(x)))))) + x; D1 without bias, D2 with bias."""

    def __init__(self, w):
        super().__init__()
        self.d1 = nn.utils.weight_norm(nn.Linear(w, w, bias=False), dim=0)
        self.d2 = nn.utils.weight_norm(nn.Linear(w, w, bias=True), dim=0)
        self.drop = w > 256  # Dropout(0.5) after each ReLU; off in evaluation mode (W2-W4)

    def forward(self, x):
        h = F.relu(x)
        if self.drop:
            h = F.dropout(h, 0.5, self.training)
        h = F.relu(self.d1(h))
        if self.drop:
            h = F.dropout(h, 0.5, self.training)
        return self.d2(h) + x


class ResDense(nn.Module):
    def __init__(self, cap, n_in=6, n_out=1):
        super().__init__()
        ws = widths(cap)
        layers = [nn.Linear(n_in, ws[0])]
        for i, w in enumerate(ws):
            if i > 0 and ws[i - 1] != w:
                layers.append(nn.Linear(ws[i - 1], w))  # plain transition, no activation
            layers.append(Block(w))
        layers.append(nn.Linear(ws[-1], n_out))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def zero(model):
    for p in model.parameters():
        p.grad = None


def resdense_loss(model, x):
    """W2/W4 loss: mean of the output."""
    return model(x).mean()


def inputgrad_loss(model, x0):
    """W3 loss: g = d(out)/d(input) per sample, graph kept; mean |g - mean of g over groups of 8|."""
    batch = x0.shape[0]
    x = x0.clone().requires_grad_(True)
    out = model(x)
    g, = torch.autograd.grad(out.sum(), x, create_graph=True)  # d(out)/d(input) per sample
    gg = g.view(batch // 8, 8, x0.shape[1])
    return (gg - gg.mean(dim=1, keepdim=True)).abs().mean()


def w2(cap, reps, batch=8192, warmup=2):
    torch.manual_seed(0)
    model = ResDense(cap).eval()
    x = torch.randn(batch, 6)

    def step():
        zero(model)
        resdense_loss(model, x).backward()

    t, r = timed(step, reps, warmup=warmup)
    return {"median_s": t, "reps": r, "blocks": len(widths(cap)),
            "params": sum(p.numel() for p in model.parameters())}


def w3(reps, batch=8192):
    torch.manual_seed(0)
    model = ResDense(256).eval()
    x0 = torch.randn(batch, 6)

    def step():
        zero(model)
        inputgrad_loss(model, x0).backward()

    t, r = timed(step, reps)
    return {"median_s": t, "reps": r}


# ---------------------------------------------------------------- W5: 1D symplectic Koopman
class GModule(nn.Module):
    """SympNet gradient module: up: p += K^T diag(a) tanh(K q + b); low: q += K^T diag(a) tanh(K p + b)."""

    def __init__(self, up, width=64):
        super().__init__()
        self.up = up
        self.K = nn.Parameter(torch.randn(width, 1) * 0.5)
        self.a = nn.Parameter(torch.randn(width) * 0.1)
        self.b = nn.Parameter(torch.randn(width) * 0.1)

    def shift(self, x):  # x: [B, 1]
        return (torch.tanh(x @ self.K.t() + self.b) * self.a) @ self.K

    def forward(self, q, p):
        if self.up:
            return q, p + self.shift(q)
        return q + self.shift(p), p

    def inverse(self, q, p):
        if self.up:
            return q, p - self.shift(q)
        return q - self.shift(p), p


def mlp():
    return nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))


class Koopman(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.ModuleList([GModule(up=(i % 2 == 0)) for i in range(8)])
        self.omega = mlp()
        self.energy = mlp()

    def encode(self, z):
        q, p = z[:, :1], z[:, 1:]
        for m in self.enc:
            q, p = m(q, p)
        return q, p

    def decode(self, u, v):
        for m in reversed(self.enc):
            u, v = m.inverse(u, v)
        return torch.cat([u, v], dim=1)


def koopman_loss(model, xk, xk1, dt=0.1):
    """W5 loss: one-step latent + reconstruction + physics (dH/dJ by autodiff, graph kept)."""
    u, v = model.encode(xk)
    u1, v1 = model.encode(xk1)
    J = (u * u + v * v) / 2
    theta = torch.atan2(v, u)  # computed as specified; the rotation below acts on (u, v) directly
    omega = model.omega(J)
    H = model.energy(J)
    dHdJ, = torch.autograd.grad(H.sum(), J, create_graph=True)
    ang = omega * dt
    ca, sa = torch.cos(ang), torch.sin(ang)
    ur, vr = ca * u - sa * v, sa * u + ca * v
    latent = ((ur - u1) ** 2 + (vr - v1) ** 2).mean()
    recon = ((model.decode(ur, vr) - xk1) ** 2).sum(dim=1).mean()
    phys = ((dHdJ - omega) ** 2).mean()
    return latent + recon + phys + 0.0 * theta.sum()


def koopman_pairs(xk, dt=0.1):
    c, s = math.cos(dt), math.sin(dt)
    return torch.stack([c * xk[:, 0] + s * xk[:, 1], -s * xk[:, 0] + c * xk[:, 1]], dim=1)


def w5(reps, batch=1024, dt=0.1):
    torch.manual_seed(0)
    model = Koopman()
    xk = torch.randn(batch, 2)
    xk1 = koopman_pairs(xk, dt)

    def step():
        zero(model)
        koopman_loss(model, xk, xk1, dt).backward()

    t, r = timed(step, reps)
    return {"median_s": t, "reps": r}


# ---------------------------------------------------------------- W6: ActionFinder step
def actionfinder_loss(G, P, th, J):
    """W6 (BENCHMARKS.md "ActionFinder step"), as ActionFinderStep's Javadoc writes it: 5 fixed-point
    iterations of J = J' + dG/dtheta without graph, one with, theta' = theta + dG/dJ', theta'' = P(theta'),
    J'' through the inverse of the per-sample 3x3 Jacobian, loss = mean |J'' - group mean|."""
    Jm = J.mean(1, keepdim=True)
    for _ in range(5):
        t = th.detach().requires_grad_()
        g = G(torch.cat([t.cos(), t.sin(), Jm.expand_as(J)], -1)).sum()
        Jm = (J - torch.autograd.grad(g, t)[0]).mean(1, keepdim=True).detach()
    t = th.detach().requires_grad_()
    g = G(torch.cat([t.cos(), t.sin(), Jm.expand_as(J)], -1)).sum()
    Jd = J - torch.autograd.grad(g, t, create_graph=True)[0]
    Jdm = Jd.mean(1, keepdim=True).expand_as(J)
    g2 = G(torch.cat([t.cos(), t.sin(), Jdm], -1)).sum()
    Td = torch.remainder(t + torch.autograd.grad(g2, Jdm, create_graph=True)[0], 2 * math.pi)
    Tdd = P(torch.cat([Td.cos(), Td.sin()], -1))
    A = torch.stack([torch.autograd.grad(Tdd[..., i].sum(), Td, create_graph=True)[0] for i in range(3)], -2)
    Jdd = torch.einsum('bsji,bsj->bsi', torch.inverse(A), Jd)
    return (Jdd - Jdd.mean(1, keepdim=True)).abs().mean()


def w6(reps, groups=1024, stars=8):
    """The toy isochrone's (theta, J) are fixed inputs here (computed once, no gradient flows to them);
    the engine's step recomputes the toy each time, so this side is spared that (small) cost."""
    torch.manual_seed(0)
    G = ResDense(256, 9, 1).eval()
    P = ResDense(256, 6, 3).eval()
    th = 2 * math.pi * torch.rand(groups, stars, 3)
    J = torch.cat([0.02 + 0.2 * torch.rand(groups, stars, 1), 0.5 * (torch.rand(groups, stars, 1) - 0.5),
                   0.02 + 0.1 * torch.rand(groups, stars, 1)], -1)
    params = list(G.parameters()) + list(P.parameters())

    def step():
        loss = actionfinder_loss(G, P, th, J)
        torch.autograd.grad(loss, params, allow_unused=True)  # G's output bias never reaches dG/dtheta

    t, r = timed(step, reps, warmup=1)
    return {"median_s": t, "reps": r}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--workloads", default="W1,W2,W3,W4,W5")
    ap.add_argument("--sizes", default="256,512,1024,2048")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--w4-reps", type=int, default=5, help="W4 is heavy: 1 warm-up step and this many timed steps")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    res = {}
    for w in args.workloads.split(","):
        w = w.strip()
        if w == "W1":
            for n in map(int, args.sizes.split(",")):
                res["W1-n%d" % n] = w1(n, args.reps)
        elif w == "W2":
            res["W2"] = w2(256, args.reps)
        elif w == "W3":
            res["W3"] = w3(args.reps)
        elif w == "W4":
            res["W4"] = w2(1024, args.w4_reps, warmup=1)
        elif w == "W5":
            res["W5"] = w5(args.reps)
        elif w == "W6":
            res["W6"] = w6(args.w4_reps)
        else:
            sys.exit("unknown workload " + w)
        print("pytorch %s done" % w, file=sys.stderr)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "python": platform.python_version(), "results": res}, indent=1))


if __name__ == "__main__":
    main()
