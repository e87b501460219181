#!/usr/bin/env python3
"""Benchmark (issue 4): Barnard's and Boschloo's tests in myotrial against scipy, same run, same tables.

    python3 tools/bench/exact_unconditional.py [--repeats 5]

For n = 50, 100, 200 per arm, three tables each (a small, a moderate and a large difference), it
times scipy's own call with default settings (best of --repeats) and myotrial's
(`cargo run --release -p myotrial-stats --example exact_bench`, best of --repeats, in process), checks
that the p-values agree to 1e-6 (myotrial's attained supremum; scipy's default search can only be
lower: where it is, scipy's own call with n=1024 must agree instead) and prints the ratios. Needs scipy (tools/refgen/requirements.txt).
"""

import argparse
import json
import os
import subprocess
import sys
import time

import scipy
from scipy.stats import barnard_exact, boschloo_exact

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tables(n):
    # p1 − p2 of about 0.06, 0.15 and 0.3 around 0.4.
    return [(round(0.43 * n), n, round(0.37 * n), n), (round(0.48 * n), n, round(0.33 * n), n), (round(0.55 * n), n, round(0.25 * n), n)]


def scipy_time(fn, table, repeats):
    x1, n1, x2, n2 = table
    t = [[x1, x2], [n1 - x1, n2 - x2]]
    best, p = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        r = fn(t, alternative="two-sided")
        best = min(best, time.perf_counter() - start)
        p = r.pvalue
    return p, best


R_CI = r"""
.libPaths(c(Sys.getenv("R_LIBS_EXTRA"), .libPaths()))
suppressMessages(library(exact2x2))
a <- as.integer(commandArgs(TRUE))
t0 <- proc.time()[["elapsed"]]
r <- uncondExact2x2(a[3], a[4], a[1], a[2], parmtype = "difference", method = "score",
                    tsmethod = "central", conf.int = TRUE)
cat(sprintf("%.17g %.17g %.6f\n", r$conf.int[1], r$conf.int[2], proc.time()[["elapsed"]] - t0))
"""


def ci_bench(exe, args):
    """The exact unconditional interval: scipy has none, so the reference is R exact2x2 (stock
    settings, arms swapped so its difference is p1 - p2), one table per n."""
    probe = subprocess.run(["Rscript", "-e", ".libPaths(c(Sys.getenv('R_LIBS_EXTRA'), .libPaths())); library(exact2x2)"], capture_output=True)
    if probe.returncode != 0:
        print("exact unconditional CI: R exact2x2 not found (install it as tools/refgen/EXACT_UNCONDITIONAL.md says,"
              " and set R_LIBS_EXTRA to its library); not benchmarked")
        return True
    ok = True
    print(f"exact unconditional CI (score, central) vs R exact2x2 stock; times in s")
    print(f"{'n':>4} {'table':<16} {'R ci':>26} {'myotrial ci':>26} {'R':>8} {'myotrial':>9} {'ratio':>7}")
    for n in (50, 100, 200):
        x1, n1, x2, n2 = tables(n)[1]
        out = subprocess.run([exe, f"{x1}/{n1}", f"{x2}/{n2}", "1", "--ci"], capture_output=True, text=True, check=True).stdout
        ours = [r for r in map(json.loads, out.splitlines()) if r["method"] == "exact-unconditional"][0]
        with open("/tmp/_ci.R", "w") as f:
            f.write(R_CI)
        r = subprocess.run(["Rscript", "/tmp/_ci.R", str(x1), str(n1), str(x2), str(n2)], capture_output=True, text=True, check=True).stdout.split()
        lo, hi, t = float(r[0]), float(r[1]), float(r[2])
        # Stock exact2x2 takes its supremum on a 100-point grid (no refinement): limits can differ
        # from the precise ones by ~1e-6 (up to 6.5e-3 in rare tables; EXACT_UNCONDITIONAL.md).
        close = abs(lo - ours["ci_low"]) < 1e-4 and abs(hi - ours["ci_high"]) < 1e-4
        ok &= close
        print(f"{n:>4} {x1}/{n1} {x2}/{n2}   [{lo:.8f}, {hi:.8f}] [{ours['ci_low']:.8f}, {ours['ci_high']:.8f}] {t:>8.2f} {ours['seconds']:>9.3f} {t / ours['seconds']:>6.1f}x{'' if close else '  LIMITS DIFFER'}")
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "myotrial-stats", "--example", "exact_bench"], cwd=ROOT, check=True)
    exe = os.path.join(target, "release", "examples", "exact_bench")
    print(f"scipy {scipy.__version__}; best of {args.repeats}; times in ms")
    print(f"{'n':>4} {'table':<16} {'method':<9} {'scipy p':>12} {'myotrial p':>12} {'p upper':>12} {'scipy':>8} {'myotrial':>9} {'ratio':>7}")
    worst = {}
    ok = True
    for n in (50, 100, 200):
        for table in tables(n):
            out = subprocess.run([exe, f"{table[0]}/{table[1]}", f"{table[2]}/{table[3]}", str(args.repeats)], capture_output=True, text=True, check=True).stdout
            ours = {r["method"]: r for r in map(json.loads, out.splitlines())}
            for method, fn in (("barnard", barnard_exact), ("boschloo", boschloo_exact)):
                p, t = scipy_time(fn, table, args.repeats)
                r = ours[method]
                agree = abs(r["p_value"] - p) <= 1e-6
                note = ""
                if not agree:
                    # scipy's default search (n=32 points) can miss the supremum; its own call
                    # with a fine grid is the reference then.
                    x1, n1, x2, n2 = table
                    fine = fn([[x1, x2], [n1 - x1, n2 - x2]], alternative="two-sided", n=1024).pvalue
                    agree = abs(r["p_value"] - fine) <= 1e-6
                    note = f"  scipy default under-estimates; scipy n=1024 gives {fine:.8f}" + ("" if agree else "  P-VALUES DIFFER")
                ok &= agree
                ratio = t / r["seconds"]
                worst[(method, n)] = min(worst.get((method, n), float("inf")), ratio)
                label = f"{table[0]}/{table[1]} {table[2]}/{table[3]}"
                print(f"{n:>4} {label:<16} {method:<9} {p:>12.8f} {r['p_value']:>12.8f} {r['p_upper']:>12.8f} {1e3 * t:>8.2f} {1e3 * r['seconds']:>9.3f} {ratio:>6.1f}x{note}")
    print("smallest ratio per method and n: " + ", ".join(f"{m} n={n}: {v:.1f}x" for (m, n), v in sorted(worst.items())))
    ok &= ci_bench(exe, args)
    if not ok:
        print("p-values differ by more than 1e-6", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
