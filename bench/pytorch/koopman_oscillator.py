#!/usr/bin/python3
"""Model A (the symplectic Koopman autoencoder of seed 000) trained in PyTorch the way
`tools/canonic validate oscillator` trains it, for the "what a user feels" table of bench/README.md.

    OPENBLAS_NUM_THREADS=2 /usr/bin/time -v /usr/bin/python3 bench/pytorch/koopman_oscillator.py --threads 2

Replicates, in float64 on the CPU:
- data (validation/KoopmanSuite Size.full, Suites "oscillator"): harmonic oscillator w0 = 0.5, actions
  J in [0.2, 2.0], 60 orbits x 300 samples at dt = 0.1, split 12 test / 6 validation / 42 training
  orbits (same sizes; the random draws come from numpy, not java.util.Random);
- model (models/koopman/KoopmanModel, KoopmanConfig.seed1d): SympNet of 8 gradient modules (width 64,
  alternating up/low), each preceded by a symplectic linear module with 2 sub-layers and a bias;
  frequency and energy MLPs 1 -> 64 -> 64 -> 1 (tanh, Xavier-uniform weights, zero biases);
  per-coordinate scaling and w_ref fitted to the data;
- loss (KoopmanModel.losses): segments of 32 samples, every sample encoded once, latent rollout over
  lags 1..8 (one-step + rollout), reconstruction of the one-step prediction through the exact
  inverse, physics loss (dH/dJ - w)^2 with dH/dJ by autodiff (graph kept); all weights 1;
- training (models/koopman/KoopmanTrainer): segments overlapping by 8, Adam (lr 3e-3 cosine-decayed
  to 1e-5) for 20 epochs of batches of 32 segments, validation after every epoch and the best
  epoch's parameters kept, then 2600 iterations of L-BFGS (history 100, Armijo backtracking, as
  nn/Lbfgs) on a fixed batch of 128 segments (4096 samples), kept only if the validation loss drops, then the
  least-squares calibration of the frequency net's output layer.
Not replicated: the evaluation, report and figures that `canonic validate` writes after training
(the README's table gives our training time separately for that reason).
Prints a JSON object with the phase times and final losses.
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)


# ------------------------------------------------------------------ data
def oscillator(orbits, samples, dt, seed, w0=0.5, jmin=0.2, jmax=2.0):
    rng = np.random.default_rng(seed)
    x = np.empty((orbits, samples, 2))
    for s in range(orbits):
        j = jmin + (jmax - jmin) * (s + rng.random()) / orbits
        a = 2 * math.pi * rng.random() + w0 * dt * np.arange(samples)
        x[s, :, 0] = np.sqrt(2 * j / w0) * np.sin(a)
        x[s, :, 1] = np.sqrt(2 * j * w0) * np.cos(a)
    return x[rng.permutation(orbits)]


def segments(n_orbits, t, length, r):
    out, stride = [], max(1, length - r)
    for s in range(n_orbits):
        ln = min(length, t)
        k = 0
        while k + ln <= t:
            out.append((s, k, ln))
            k += stride
        if k - stride + ln < t:
            out.append((s, t - ln, ln))
    return out


# ------------------------------------------------------------------ model
class LinearModule(nn.Module):
    """p <- p + S q (up) or q <- q + S p (low), S = A + A^T, alternating over sub-layers; then + (bq, bp)."""

    def __init__(self, d, up, sub=2):
        super().__init__()
        self.up = up
        self.A = nn.ParameterList([nn.Parameter(torch.randn(d, d) * 0.02 / math.sqrt(d)) for _ in range(sub)])
        self.bq = nn.Parameter(torch.zeros(d))
        self.bp = nn.Parameter(torch.zeros(d))

    def _is_up(self, i):
        return (i % 2 == 0) == self.up

    def forward(self, q, p):
        for i, a in enumerate(self.A):
            s = a + a.t()
            if self._is_up(i):
                p = p + q @ s
            else:
                q = q + p @ s
        return q + self.bq, p + self.bp

    def inverse(self, q, p):
        q, p = q - self.bq, p - self.bp
        for i in reversed(range(len(self.A))):
            s = self.A[i] + self.A[i].t()
            if self._is_up(i):
                p = p - q @ s
            else:
                q = q - p @ s
        return q, p


class GModule(nn.Module):
    """SympNet gradient module: up: p += K^T diag(a) tanh(K q + b); low: q += ..."""

    def __init__(self, d, width, up):
        super().__init__()
        self.up = up
        self.K = nn.Parameter(torch.randn(width, d) / math.sqrt(d))
        self.a = nn.Parameter(torch.randn(width) * 0.05 / math.sqrt(width))
        self.b = nn.Parameter(torch.randn(width) * 0.1)

    def term(self, x):
        return (torch.tanh(x @ self.K.t() + self.b) * self.a) @ self.K

    def forward(self, q, p):
        return (q, p + self.term(q)) if self.up else (q + self.term(p), p)

    def inverse(self, q, p):
        return (q, p - self.term(q)) if self.up else (q - self.term(p), p)


def mlp(d_in, width, d_out):
    m = nn.Sequential(nn.Linear(d_in, width), nn.Tanh(), nn.Linear(width, width), nn.Tanh(), nn.Linear(width, d_out))
    for layer in m:
        if isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return m


class Koopman(nn.Module):
    def __init__(self, d=1, layers=8, width=64, net_width=64):
        super().__init__()
        self.d = d
        mods = []
        for i in range(layers):
            mods.append(LinearModule(d, i % 2 == 0))
            mods.append(GModule(d, width, i % 2 == 0))
        self.enc = nn.ModuleList(mods)
        self.freq = mlp(d, net_width, d)
        self.energy = mlp(d, net_width, 1)
        self.register_buffer("scale", torch.ones(2 * d))
        self.omega_ref = 1.0
        self.dt = 1.0

    def encode(self, x):
        q, p = x[:, :self.d], x[:, self.d:]
        for m in self.enc:
            q, p = m(q, p)
        return torch.cat([q, p], 1)

    def decode(self, y):
        q, p = y[:, :self.d], y[:, self.d:]
        for m in reversed(self.enc):
            q, p = m.inverse(q, p)
        return torch.cat([q, p], 1)

    def action_scale(self):
        return (self.scale[:self.d] * self.scale[self.d:]).view(1, self.d)

    def frequency(self, js):
        return (self.freq(js) + 1.0) * self.omega_ref

    def energy_of(self, js):
        gm = float(torch.prod(self.action_scale())) ** (1.0 / self.d)
        return ((js * self.action_scale()).sum(1, keepdim=True) + self.energy(js) * gm) * self.omega_ref

    def losses(self, xs, rollout=8):
        s, l, n = xs.shape
        d = self.d
        rr = min(rollout, l - 1)
        y = self.encode(xs.reshape(s * l, n)).reshape(s, l, n)
        yf = y.reshape(s * l, n)
        js_all = 0.5 * (yf[:, :d] ** 2 + yf[:, d:] ** 2)
        w = self.frequency(js_all).reshape(s, l, d)
        one, roll, pred1 = None, xs.new_zeros(()), None
        for r in range(1, rr + 1):
            m = s * (l - r)
            frm = y[:, :l - r].reshape(m, n)
            phi = w[:, :l - r].reshape(m, d) * (r * self.dt)
            u, ww = frm[:, :d], frm[:, d:]
            c, sn = torch.cos(phi), torch.sin(phi)
            pred = torch.cat([u * c + ww * sn, ww * c - u * sn], 1)
            e = ((pred - y[:, r:].reshape(m, n)) ** 2).sum(1).mean()
            if r == 1:
                one, pred1 = e, pred
            else:
                roll = roll + e
        if rr > 1:
            roll = roll / (rr - 1)
        recon = ((self.decode(pred1) - xs[:, 1:].reshape(s * (l - 1), n)) ** 2).sum(1).mean()
        js = js_all.detach().requires_grad_(True)
        h = self.energy_of(js)
        dh, = torch.autograd.grad(h.sum(), js, create_graph=True)
        dh = dh / self.action_scale()
        phys = (((dh - self.frequency(js)) / self.omega_ref) ** 2).sum(1).mean()
        total = one + roll + recon + phys
        return total, [one.item(), roll.item(), recon.item(), phys.item(), total.item()]


# ------------------------------------------------------------------ training
def fit_scales(model, train, dt):
    x0 = train[:, :-1].reshape(-1, 2)
    x1 = train[:, 1:].reshape(-1, 2)
    mu, sd = x0.mean(0), x0.std(0)
    a0 = np.arctan2((x0[:, 0] - mu[0]) / sd[0], (x0[:, 1] - mu[1]) / sd[1])
    a1 = np.arctan2((x1[:, 0] - mu[0]) / sd[0], (x1[:, 1] - mu[1]) / sd[1])
    da = np.abs((a1 - a0 + math.pi) % (2 * math.pi) - math.pi)
    w = np.sort(da)[len(da) // 2] / dt
    model.scale = torch.tensor(sd)
    model.omega_ref = float(w) if w > 0 else 1.0 / dt
    model.dt = dt
    return mu, sd


def batch(orbits, segs, pick, mu, sd):
    return torch.from_numpy(np.stack([(orbits[s, k:k + ln] - mu) / sd for s, k, ln in (segs[i] for i in pick)]))


def evaluate(model, orbits, segs, pick, mu, sd):
    tot = np.zeros(5)
    for i in range(0, len(pick), 256):
        p = pick[i:i + 256]
        _, v = model.losses(batch(orbits, segs, p, mu, sd))
        tot += np.array(v) * len(p) / len(pick)
    return tot


def flat_params(model):
    return torch.cat([p.detach().reshape(-1) for p in model.parameters()])


def set_params(model, v):
    o = 0
    with torch.no_grad():
        for p in model.parameters():
            n = p.numel()
            p.copy_(v[o:o + n].view_as(p))
            o += n


def lbfgs(model, loss_fn, max_iter, memory=20):
    """nn/Lbfgs: two-loop recursion over the last `memory` pairs, Armijo backtracking (c = 1e-4, halving, 30 tries)."""
    params = list(model.parameters())

    def f():
        for p in params:
            p.grad = None
        loss = loss_fn()
        loss.backward()
        return loss.item(), torch.cat([(torch.zeros_like(p) if p.grad is None else p.grad).reshape(-1) for p in params])

    x = flat_params(model)
    fx, g = f()
    hist = []
    gamma = 1.0 / max(1e-300, g.norm().item())
    it = 0
    for it in range(max_iter):
        q = g.clone()
        alpha = []
        for s, y, rho in reversed(hist):
            a = rho * torch.dot(s, q)
            alpha.append(a)
            q -= a * y
        alpha.reverse()
        q *= gamma
        for (s, y, rho), a in zip(hist, alpha):
            b = rho * torch.dot(y, q)
            q += s * (a - b)
        q = -q
        slope = torch.dot(g, q).item()
        if not slope < 0:
            hist.clear()
            q = -g * gamma
            slope = torch.dot(g, q).item()
            if not slope < 0:
                break
        step, ok = 1.0, False
        for _ in range(30):
            xn = x + step * q
            set_params(model, xn)
            fn, gn = f()
            if math.isfinite(fn) and fn <= fx + 1e-4 * step * slope:
                ok = True
                break
            step *= 0.5
        if not ok:
            set_params(model, x)
            break
        s, y = xn - x, gn - g
        sy = torch.dot(s, y).item()
        if sy > 1e-300:
            hist.append((s, y, 1.0 / sy))
            if len(hist) > memory:
                hist.pop(0)
            gamma = sy / torch.dot(y, y).item()
        x, g, fx = xn, gn, fn
    set_params(model, x)
    return it + 1, fx


def calibrate(model, train, mu, sd, dt):
    """Least-squares refit of the frequency net's output layer to the measured angle rates (KoopmanModel.calibrateFrequencyNet)."""
    d = model.d
    js, rate = [], []
    with torch.no_grad():
        for orb in train:
            y = model.encode(torch.from_numpy((orb - mu) / sd))
            ja = 0.5 * (y[:, 0] ** 2 + y[:, 1] ** 2)
            th = torch.atan2(y[:, 0], y[:, 1]).numpy()
            acc = np.concatenate([[0.0], np.cumsum((np.diff(th) + math.pi) % (2 * math.pi) - math.pi)])
            tt = dt * np.arange(len(th))
            rate.append(np.polyfit(tt, acc, 1)[0])
            js.append(ja.mean().item())
        x = torch.tensor(js).view(-1, d)
        h = model.freq[3](model.freq[2](model.freq[1](model.freq[0](x))))  # hidden features tanh(L2(tanh(L0 x)))
        feats = np.concatenate([h.numpy(), np.ones((len(js), 1))], 1)
        last = model.freq[4]
        w0 = np.concatenate([last.weight.numpy()[0], last.bias.numpy()])
        target = np.array(rate) / model.omega_ref - 1.0
        ata = feats.T @ feats
        lam = 1e-10 * np.trace(ata) / ata.shape[0] + 1e-14
        sol = np.linalg.solve(ata + lam * np.eye(ata.shape[0]), feats.T @ target + lam * w0)
        last.weight.copy_(torch.from_numpy(sol[:-1]).view(1, -1))
        last.bias.copy_(torch.from_numpy(sol[-1:]))
        f = feats @ sol
        return float(np.sqrt(np.mean(((model.omega_ref * (1 + f) - rate) / rate) ** 2)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--lbfgs", type=int, default=2600)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    t_start = time.perf_counter()
    dt, orbits, samples = 0.1, 60, 300
    x = oscillator(orbits, samples, dt, args.seed)
    n_test, n_val = max(2, orbits // 5), max(2, orbits // 10)
    val, train = x[n_test:n_test + n_val], x[n_test + n_val:]
    model = Koopman()
    mu, sd = fit_scales(model, train, dt)
    win = segments(len(train), samples, 32, 8)
    vwin = segments(len(val), samples, 32, 8)
    rng = np.random.default_rng(args.seed * 31 + 7)
    vpick = np.random.default_rng(args.seed + 99).permutation(len(vwin))[:min(len(vwin), 16384 // 32)]
    bs = min(32, len(win))
    total_steps = ((len(win) + bs - 1) // bs) * args.epochs
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    best, best_state, best_epoch, step = float("inf"), None, -1, 0
    t0 = time.perf_counter()
    for epoch in range(args.epochs):
        order = rng.permutation(len(win))
        for i in range(0, len(order), bs):
            frac = 1.0 if total_steps <= 1 else step / (total_steps - 1)
            for grp in opt.param_groups:
                grp["lr"] = 1e-5 + 0.5 * (3e-3 - 1e-5) * (1 + math.cos(math.pi * frac))
            opt.zero_grad(set_to_none=True)
            loss, _ = model.losses(batch(train, win, order[i:i + bs], mu, sd))
            loss.backward()
            opt.step()
            step += 1
        v = evaluate(model, val, vwin, vpick, mu, sd)[4]
        if v < best:
            best, best_epoch = v, epoch
            best_state = {k: t.clone() for k, t in model.state_dict().items()}
    model.load_state_dict(best_state)
    t_adam = time.perf_counter() - t0
    t0 = time.perf_counter()
    pick = np.sort(rng.permutation(len(win))[:min(max(1, 4096 // 32), len(win))])
    full = batch(train, win, pick, mu, sd)
    before_state = {k: t.clone() for k, t in model.state_dict().items()}
    v_before = evaluate(model, val, vwin, vpick, mu, sd)[4]
    iters, _ = lbfgs(model, lambda: model.losses(full)[0], args.lbfgs, memory=100)
    v_after = evaluate(model, val, vwin, vpick, mu, sd)[4]
    if not v_after <= v_before:
        model.load_state_dict(before_state)
    t_lbfgs = time.perf_counter() - t0
    t0 = time.perf_counter()
    calib = calibrate(model, train, mu, sd, dt)
    t_cal = time.perf_counter() - t0
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "train_segments": len(win),
                      "adam_steps": step, "best_epoch": best_epoch, "best_validation": best,
                      "lbfgs_iterations": iters, "validation_before_lbfgs": v_before, "validation_after_lbfgs": v_after,
                      "calibration_rms": calib, "seconds_adam": t_adam, "seconds_lbfgs": t_lbfgs,
                      "seconds_calibration": t_cal, "seconds_total": time.perf_counter() - t_start}, indent=1))


if __name__ == "__main__":
    main()
