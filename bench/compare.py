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
    for line in open(base + ".peak"):
        p = line.split()
        if len(p) == 4 and p[0] == "peak":
            jdk["peak"].setdefault(p[1], {})[p[2]] = float(p[3])
    log = open(base + ".jmh.log").read()
    m = re.search(r"gemm kernel: (.+?), java ", log)
    jdk["gemm_kernel"] = m.group(1) if m else "?"
    for r in json.load(open(base + ".jmh.json")):
        n, t = int(r["params"]["n"]), int(r["params"]["threads"])
        raw = [x for it in r["primaryMetric"]["rawData"] for x in it]  # ms/op per iteration
        med = statistics.median(raw) / 1e3
        jdk["W1"]["n%d-t%d" % (n, t)] = {"median_s": med, "iterations": len(raw), "gflops": 2.0 * n ** 3 / med / 1e9}
    res["jdks"].append(jdk)

# ---- PyTorch
for f in sorted(glob.glob(os.path.join(work, "torch-*.json"))):
    m = re.match(r"torch-(\w+)-t(\d+)\.json", os.path.basename(f))
    blas, t = m.group(1), int(m.group(2))
    d = json.load(open(f))
    res["pytorch"]["version"] = d["torch"]
    for k, v in d["results"].items():
        n = int(k.split("-n")[1])
        res["pytorch"].setdefault(blas, {})["n%d-t%d" % (n, t)] = v

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
L.append("W2-W5: the PyTorch side is in bench/pytorch/workloads.py; the Java side waits for dev.canonic.nn.")
L.append("")
open(prefix + ".md", "w").write("\n".join(L))
json.dump(res, open(prefix + ".json", "w"), indent=1)
