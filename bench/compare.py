#!/usr/bin/python3
"""Collects the raw outputs of tools/bench-compare (a work directory) into <prefix>.md and .json."""
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys

work, prefix, tag = sys.argv[1], sys.argv[2], sys.argv[3]


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def flags():
    for line in open("/proc/cpuinfo"):
        if line.startswith("flags"):
            f = line.split()
            return [x for x in ("avx2", "fma", "avx512f") if x in f]
    return []


res = {"machine": tag, "date": os.path.basename(prefix)[len(tag) + 1:], "cpu": cpu_model(),
       "cores": os.cpu_count(), "simd": flags(), "jdks": [], "pytorch": {}, "workloads": {}}

# ---- ours: per JDK, peak and JMH W1
for binf in sorted(glob.glob(os.path.join(work, "jdk*.bin"))):
    base = binf[:-4]
    jdk = {"java": open(binf).read().strip(), "version": open(base + ".version").read().strip(), "peak": {}, "W1": {}}
    for line in (open(base + ".peak") if os.path.exists(base + ".peak") else []):
        p = line.split()
        if len(p) == 4 and p[0] == "peak":
            jdk["peak"].setdefault(p[1], {})[p[2]] = float(p[3])
    log = open(base + ".w1.log").read() if os.path.exists(base + ".w1.log") else ""
    m = re.search(r"gemm kernel: (.+?), java ", log)
    jdk["gemm_kernel"] = m.group(1) if m else "?"
    jdk["steps"] = {}
    for f in sorted(glob.glob(base + ".W*-t*.json")):
        try:
            runs = json.load(open(f))
        except ValueError:
            print("compare: %s is empty or unreadable (the JMH run failed? see its .log), skipped" % f, file=sys.stderr)
            continue
        for r in runs:
            w, t = r["params"]["workload"], int(r["params"]["threads"])
            raw = [x for it in r["primaryMetric"]["rawData"] for x in it]  # ms per single-shot step
            jdk["steps"]["%s-t%d" % (w, t)] = {"median_s": statistics.median(raw) / 1e3, "reps": len(raw)}
    w1file = base + ".w1.json"
    for r in (json.load(open(w1file)) if os.path.exists(w1file) else []):
        n, t = int(r["params"]["n"]), int(r["params"]["threads"])
        raw = [x for it in r["primaryMetric"]["rawData"] for x in it]  # ms/op per iteration
        med = statistics.median(raw) / 1e3
        jdk["W1"]["n%d-t%d" % (n, t)] = {"median_s": med, "iterations": len(raw), "gflops": 2.0 * n ** 3 / med / 1e9}
    res["jdks"].append(jdk)

# ---- PyTorch
res["pytorch_steps"] = {}
for f in sorted(glob.glob(os.path.join(work, "torch-*.json"))):
    m = re.match(r"torch-(\w+)-(\w+)-t(\d+)\.json", os.path.basename(f))
    kind, blas, t = m.group(1), m.group(2), int(m.group(3))
    d = json.load(open(f))
    res["pytorch"]["version"] = d["torch"]
    for k, v in d["results"].items():
        if k.startswith("W1-n"):
            n = int(k.split("-n")[1])
            res["pytorch"].setdefault(blas, {})["n%d-t%d" % (n, t)] = v
        else:
            res["pytorch_steps"]["%s-t%d" % (k, t)] = dict(v, blas=blas)

# ---- table rows: W1 per n and threads, ours on the fastest JDK and each JDK
rows = []
for key in sorted({k for j in res["jdks"] for k in j["W1"]}, key=lambda s: (int(s.split("-t")[1]), int(s[1:].split("-")[0]))):
    row = {"workload": "W1", "n": int(key[1:].split("-")[0]), "threads": int(key.split("-t")[1]), "ours": {}, "pytorch": {}}
    for j in res["jdks"]:
        if key in j["W1"]:
            row["ours"][j["version"]] = j["W1"][key]
    for blas in ("openblas", "reference"):
        if key in res["pytorch"].get(blas, {}):
            row["pytorch"][blas] = res["pytorch"][blas][key]
    rows.append(row)
res["workloads"] = rows
json.dump(res, open(prefix + ".json", "w"), indent=1)

# ---- markdown
L = []
L.append("# Benchmarks on %s, %s" % (tag, res["date"]))
L.append("")
L.append("Machine: %s, %d cores, SIMD %s. PyTorch %s (Debian python3-torch), float64."
         % (res["cpu"], res["cores"], "/".join(res["simd"]), res["pytorch"].get("version", "?")))
L.append("Written by tools/bench-compare; medians of >= 5 timed repetitions after warm-up. "
         "Ratio = our time / PyTorch's time (below 1 = we are faster).")
L.append("")
L.append("## Float64 peak (FMA-loop benchmark, GFLOP/s, best of 5 rounds)")
L.append("")
L.append("| JDK | kind | 1 thread | 2 threads |")
L.append("|---|---|---|---|")
for j in res["jdks"]:
    for kind, v in j["peak"].items():
        L.append("| %s | %s | %.1f | %.1f |" % (j["version"], kind, v.get("1", float("nan")), v.get("2", float("nan"))))
L.append("")
peak = {}
for t in ("1", "2"):
    peak[t] = max((v.get(t, 0) for j in res["jdks"] for k, v in j["peak"].items() if k.startswith("vector")), default=0)
res["peak_gflops"] = peak
L.append("Peak used for %% of peak: the best vector FMA figure, %.1f GFLOP/s (1 thread), %.1f (2 threads)." % (peak["1"], peak["2"]))
L.append("")
L.append("## W1: C = A·B, square n")
L.append("")
hdr = "| n | threads |"
sep = "|---|---|"
for j in res["jdks"]:
    hdr += " ours %s ms | GFLOP/s | %% peak |" % j["version"]
    sep += "---|---|---|"
for blas in ("openblas", "reference"):
    if blas in res["pytorch"]:
        hdr += " PyTorch+%s ms | GFLOP/s |" % blas
        sep += "---|---|"
        for j in res["jdks"]:
            hdr += " ratio %s / %s |" % (j["version"].split("+")[0], blas)
            sep += "---|"
L.append(hdr)
L.append(sep)
for r in rows:
    line = "| %d | %d |" % (r["n"], r["threads"])
    for j in res["jdks"]:
        o = r["ours"].get(j["version"])
        line += (" %.2f | %.1f | %.0f %% |" % (o["median_s"] * 1e3, o["gflops"], 100 * o["gflops"] / peak[str(r["threads"])])) if o else " | | |"
    for blas in ("openblas", "reference"):
        if blas in res["pytorch"]:
            p = r["pytorch"].get(blas)
            line += (" %.2f | %.1f |" % (p["median_s"] * 1e3, p["gflops"])) if p else " | |"
            for j in res["jdks"]:
                o = r["ours"].get(j["version"])
                line += (" %.2f |" % (o["median_s"] / p["median_s"])) if (o and p) else " |"
    L.append(line)
L.append("")
L.append("Gemm micro-kernel: " + ", ".join("%s: %s" % (j["version"], j["gemm_kernel"]) for j in res["jdks"]) + ".")
L.append("")
L.append("## W2-W6: one training step (forward, loss, backward to every parameter), median seconds")
L.append("")
hdr = "| workload | threads |"
sep = "|---|---|"
for j in res["jdks"]:
    hdr += " ours %s s (reps) |" % j["version"].split("+")[0]
    sep += "---|"
hdr += " PyTorch s (reps) |"
sep += "---|"
for j in res["jdks"]:
    hdr += " ratio %s |" % j["version"].split("+")[0]
    sep += "---|"
L.append(hdr)
L.append(sep)
step_rows = []
for key in sorted({k for j in res["jdks"] for k in j["steps"]} | set(res["pytorch_steps"]),
                  key=lambda s: (s.split("-t")[0], int(s.split("-t")[1]))):
    w, t = key.split("-t")
    p = res["pytorch_steps"].get(key)
    row = {"workload": w, "threads": int(t), "ours": {}, "pytorch": p, "ratio": {}}
    line = "| %s | %s |" % (w, t)
    for j in res["jdks"]:
        o = j["steps"].get(key)
        row["ours"][j["version"]] = o
        line += (" %.4g (%d) |" % (o["median_s"], o["reps"])) if o else " |"
    line += (" %.4g (%d) |" % (p["median_s"], p["reps"])) if p else " |"
    for j in res["jdks"]:
        o = j["steps"].get(key)
        if o and p:
            row["ratio"][j["version"]] = o["median_s"] / p["median_s"]
            line += " **%.2f** |" % (o["median_s"] / p["median_s"])
        else:
            line += " |"
    step_rows.append(row)
    L.append(line)
res["steps"] = step_rows
eqf = os.path.join(work, "equivalence.txt")
if os.path.exists(eqf):
    eq = [l.strip() for l in open(eqf) if l.strip()]
    res["equivalence"] = eq
    L.append("")
    L.append("Equivalence on identical weights (batch 64, bench/pytorch/equivalence.py):")
    L.append("")
    for l in eq:
        L.append("- " + l)
L.append("")
L.append("Shapes as in BENCHMARKS.md: W2 ResDense cap 256 (5 blocks), W3 its input-gradient (double backward) step, "
         "both batch 8192; W4 the paper's netP (cap 1024, 11 blocks), batch 8192; W5 the 1-D symplectic Koopman step, batch 1024; W6 the ActionFinder step (S = 1024 groups x N = 8, "
         "two cap-256 ResDense nets, 5 + 1 fixed-point iterations, double backward; 1 warm-up + 3 timed steps on each side; "
         "PyTorch's twin is given the toy's (theta, J) as fixed inputs, no identical-weights check). "
         "Evaluation mode (no dropout). Ours: JMH single-shot step times (W2/W3 3 warm-up + 7 timed, W5 10 + 30, W4 1 + 5); "
         "PyTorch: workloads.py on OpenBLAS with OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = threads (W4 1 warm-up + 5 timed). "
         "bench/pytorch/equivalence.py checks on identical weights that both sides compute the same loss and gradients.")
L.append("")
open(prefix + ".md", "w").write("\n".join(L))
json.dump(res, open(prefix + ".json", "w"), indent=1)
