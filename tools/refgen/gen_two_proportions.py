#!/usr/bin/env python3
"""Reference fixtures for two independent proportions (x1/n1 vs x2/n2) and stratified 2x2 tables.

Writes
  crates/stats/tests/fixtures/two_proportions.json      (>= 1000 2x2 tables)
  crates/stats/tests/fixtures/two_proportions_cmh.json  (Cochran-Mantel-Haenszel / Mantel-Haenszel)

Conventions: group 1 minus group 2 for differences, group 1 over group 2 for ratios; the 2x2 table is
[[x1, n1 - x1], [x2, n2 - x2]] (rows = groups, first column = events).  Method names and JSON keys follow
shared/spec/data-format.md section 7.  See tools/refgen/README_two_proportions.md for the reference behind each
method, the tolerance it supports and every dropped case.

Run from the workspace root:  python3 tools/refgen/gen_two_proportions.py
  --only-cmh         write only two_proportions_cmh.json (seconds; two_proportions.json is left alone)
  --strata-cases N   number of stratified cases (default N_STRATA_CASES; s000-s199 never change, more only appends)
Needs: numpy, scipy, statsmodels, mpmath; R (Debian r-base-core) with epitools (r-cran-epitools), epiR
(r-cran-epir) and PropCIs 0.3-0 (R CMD INSTALL from the cran/PropCIs GitHub mirror).
Deterministic: fixed seeds, no clock or host data in the output.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
from fractions import Fraction
from math import comb

import mpmath
import numpy as np
import scipy
import statsmodels
from mpmath import mp, mpf
from scipy import optimize, special, stats
from scipy.stats.contingency import odds_ratio as scipy_odds_ratio
from statsmodels.stats.contingency_tables import StratifiedTable, Table2x2
from statsmodels.stats.proportion import confint_proportions_2indep

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT_DIR = os.path.join(ROOT, "crates", "stats", "tests", "fixtures")
R_SCRIPT = os.path.join(HERE, "two_proportions.R")

SEED_TABLES = 20240611
SEED_STRATA = 20240612
LEVELS = (0.95, 0.90)
ALPHA = {0.95: 0.05, 0.90: 0.10}
BARNARD_MAX_N = 60
BARNARD_GRID = 32  # scipy default
BARNARD_FINE_GRID = 1024
N_STRATA_CASES = 1300  # stratified cases in two_proportions_cmh.json (the first 200 are the original set)

mp.dps = 40

# Everything that failed or disagreed is counted here and written to the fixture and stdout.
VALIDATION: dict[str, object] = {}


def _plain(v):
    """JSON-safe copy of a validation detail (non-finite floats become strings)."""
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (float, np.floating, mpf)):
        f = float(v)
        return f if math.isfinite(f) else str(f)
    if isinstance(v, np.integer):
        return int(v)
    return v


def vcount(key: str, detail: object | None = None, keep: int = 12) -> None:
    entry = VALIDATION.setdefault(key, {"count": 0, "examples": []})
    entry["count"] += 1
    if detail is not None and len(entry["examples"]) < keep:
        entry["examples"].append(_plain(detail))


# ----------------------------------------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------------------------------------


def fnum(v):
    """A finite float, or None."""
    if v is None:
        return None
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        return None
    return v


def close(a, b, rel=1e-9, abs_=1e-12):
    if a is None or b is None:
        return a is None and b is None
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= max(abs_, rel * abs(b))


def uniroot_close(mine, theirs, tol=2.5e-4):
    """R's fisher.test / epitools solve for psi on (0, 1] and for 1/psi above 1 with uniroot's default absolute
    tolerance (~1.2e-4): compare on that scale."""
    if mine is None or theirs is None:
        return mine is None and (theirs is None or math.isinf(theirs))
    if mine == 0 or theirs == 0:
        return abs(mine - theirs) <= tol
    if mine <= 1 and theirs <= 1:
        return abs(mine - theirs) <= tol
    return abs(1 / mine - 1 / theirs) <= tol


def interval(method, level, lo, hi, note=None, **extra):
    e = {"method": method, "level": level, "ci_low": fnum(lo), "ci_high": fnum(hi)}
    e.update(extra)
    if note:
        e["note"] = note
    if (e["ci_low"] is None or e["ci_high"] is None) and not note:
        raise AssertionError(f"null limit without a note: {method} {level} {lo} {hi}")
    return e


def mp_crit(level) -> mpf:
    """chi-square(1) quantile at `level` = z^2, z = Phi^-1(1 - alpha/2), in mpmath precision."""
    z = mp.sqrt(2) * mp.erfinv(mpf(str(level)))
    return z * z


def z_float(level) -> float:
    return float(stats.norm.isf(ALPHA[level] / 2))


# ----------------------------------------------------------------------------------------------------------
# Miettinen-Nurminen (difference) and Koopman (ratio) score intervals, by inversion in mpmath
# ----------------------------------------------------------------------------------------------------------


def _dloglik(x1, n1, x2, n2, p2, to_p1, dp1):
    """d loglik / d p2 with p1 = to_p1(p2) and dp1 = d p1 / d p2; returns (derivative, scale)."""
    p1 = to_p1(p2)
    terms = []
    for c, p, sgn, k in ((x1, p1, 1, dp1), (n1 - x1, 1 - p1, -1, dp1), (x2, p2, 1, 1), (n2 - x2, 1 - p2, -1, 1)):
        if c > 0:
            if p <= 0:
                terms.append(sgn * k * mpf("inf"))
            else:
                terms.append(sgn * k * c / p)
    if not terms:
        return mpf(0), mpf(1)
    return mp.fsum(terms), max(abs(t) for t in terms)


def _verify_max(x1, n1, x2, n2, p2, lo, hi, to_p1, dp1=1):
    """True when p2 maximises the concave likelihood on [lo, hi]: score 0 inside, pointing outward at a bound."""
    g, scale = _dloglik(x1, n1, x2, n2, p2, to_p1, dp1)
    if mp.isnan(g):
        return False
    tol = mpf("1e-28") * (scale if mp.isfinite(scale) else 1)
    if lo < p2 < hi:
        return abs(g) <= tol
    if p2 <= lo:
        return g <= tol
    return g >= -tol


def _bisect_max(x1, n1, x2, n2, lo, hi, to_p1, dp1=1):
    """Maximise the concave likelihood over p2 in [lo, hi] by bisection on the sign of its derivative."""
    a, b = lo, hi
    for _ in range(400):
        m = (a + b) / 2
        g, _scale = _dloglik(x1, n1, x2, n2, m, to_p1, dp1)
        if g > 0:
            a = m
        else:
            b = m
        if b - a < mpf("1e-34"):
            break
    return (a + b) / 2


def _snap(q, lo, hi, eps=mpf("1e-30")):
    """Clamp q to [lo, hi], snapping values within eps of a bound onto it (rounding in the closed forms)."""
    if q <= lo + eps:
        return lo
    if q >= hi - eps:
        return hi
    return q


def mn_mle(x1, n1, x2, n2, d):
    """Restricted MLE (p1~, p2~) under p1 - p2 = d (Miettinen & Nurminen 1985, closed-form cubic root)."""
    p1, p2 = mpf(x1) / n1, mpf(x2) / n2
    lo, hi = max(mpf(0), -d), min(mpf(1), 1 - d)
    if hi - lo <= mpf("1e-30"):  # d = -1 or 1: the constraint fixes both proportions
        return lo + d, lo
    t = mpf(n2) / n1
    a = 1 + t
    b = -(1 + t + p1 + t * p2 + d * (t + 2))
    c = d * d + d * (2 * p1 + t + 1) + p1 + t * p2
    e = -p1 * d * (1 + d)
    v = (b / a / 3) ** 3 - b * c / (6 * a * a) + e / a / 2
    s2 = (b / a / 3) ** 2 - c / a / 3
    ok = s2 > 0
    if ok:
        u = mp.sqrt(s2) if v > 0 else -mp.sqrt(s2)
        r = v / u**3
        r = max(mpf(-1), min(mpf(1), r))
        w = (mp.pi + mp.acos(r)) / 3
        q1 = 2 * u * mp.cos(w) - b / a / 3
        q2 = _snap(q1 - d, lo, hi)
        ok = _verify_max(x1, n1, x2, n2, q2, lo, hi, lambda q: q + d)
    if not ok:
        vcount("mn_mle_fallback_bisection", [x1, n1, x2, n2, float(d)])
        q2 = _bisect_max(x1, n1, x2, n2, lo, hi, lambda q: q + d)
    return q2 + d, q2


def mn_stat(x1, n1, x2, n2, d):
    """Miettinen-Nurminen score statistic (chi-square scale) with the N/(N-1) variance factor."""
    p1, p2 = mpf(x1) / n1, mpf(x2) / n2
    num = (p1 - p2 - d) ** 2
    if num == 0:
        return mpf(0)
    q1, q2 = mn_mle(x1, n1, x2, n2, d)
    nn = n1 + n2
    var = (q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2) * mpf(nn) / (nn - 1)
    if var <= 0:
        return mpf("inf")
    return num / var


def koopman_mle(x1, n1, x2, n2, th):
    """Restricted MLE (p1~, p2~) under p1 = th * p2: smaller root of N th p^2 - (n1 th + x1 + n2 + x2 th) p + x = 0."""
    nn = n1 + n2
    A = nn * th
    B = -(n1 * th + x1 + n2 + x2 * th)
    C = mpf(x1 + x2)
    disc = B * B - 4 * A * C
    disc = max(disc, mpf(0))
    q2 = 2 * C / (-B + mp.sqrt(disc))  # = (-B - sqrt(disc)) / (2A) without cancellation
    hi = min(mpf(1), 1 / th)
    q2 = _snap(q2, mpf(0), hi)
    if not _verify_max(x1, n1, x2, n2, q2, mpf(0), hi, lambda q: th * q, th):
        vcount("koopman_mle_fallback_bisection", [x1, n1, x2, n2, float(th)])
        q2 = _bisect_max(x1, n1, x2, n2, mpf(0), hi, lambda q: th * q, th)
    return th * q2, q2


def koopman_stat(x1, n1, x2, n2, th):
    """Koopman (1984) score statistic for the risk ratio, score form (no N/(N-1) factor)."""
    p1, p2 = mpf(x1) / n1, mpf(x2) / n2
    num = (p1 - th * p2) ** 2
    if num == 0:
        return mpf(0)
    q1, q2 = koopman_mle(x1, n1, x2, n2, th)
    den = q1 * (1 - q1) / n1 + th * th * q2 * (1 - q2) / n2
    if den <= 0:
        return mpf("inf")
    return num / den


def koopman_pearson(x1, n1, x2, n2, th):
    """Koopman's statistic in its Pearson form sum (x - n p~)^2 / (n p~ q~) (only for interior p~)."""
    q1, q2 = koopman_mle(x1, n1, x2, n2, th)
    if not (0 < q1 < 1 and 0 < q2 < 1):
        return None
    return (x1 - n1 * q1) ** 2 / (n1 * q1 * (1 - q1)) + (x2 - n2 * q2) ** 2 / (n2 * q2 * (1 - q2))


def _bisect(f, a, b, crit, width):
    """f(a) < crit <= f(b) (a, b in either order); returns the crossing point to `width`."""
    fa = f(a)
    fb = f(b)
    assert fa < crit <= fb, (a, b, fa, fb, crit)
    while abs(b - a) > width:
        m = (a + b) / 2
        if f(m) < crit:
            a = m
        else:
            b = m
    return (a + b) / 2


def _check_monotone(f, est, lim, beyond, crit, key, ident, npts=40):
    """Grid check that f < crit strictly between est and lim, and f >= crit from lim to `beyond`."""
    for i in range(1, npts):
        t = mpf(i) / npts
        x_in = est + (lim - est) * t
        if f(x_in) >= crit * (1 + mpf("1e-12")):
            vcount(key, ident + ["inside", float(x_in)])
            return False
        x_out = lim + (beyond - lim) * t
        if x_out != beyond and f(x_out) < crit * (1 - mpf("1e-12")):
            vcount(key, ident + ["outside", float(x_out)])
            return False
    return True


def mn_interval(x1, n1, x2, n2, level):
    crit = mp_crit(level)
    d = mpf(x1) / n1 - mpf(x2) / n2
    f = lambda t: mn_stat(x1, n1, x2, n2, t)
    width = mpf("1e-24")
    if d == 1:
        hi = mpf(1)
    else:
        hi = _bisect(f, d, mpf(1), crit, width)
    if d == -1:
        lo = mpf(-1)
    else:
        lo = _bisect(f, d, mpf(-1), crit, width)
    ident = [x1, n1, x2, n2, level]
    if d != 1:
        _check_monotone(f, d, hi, mpf(1), crit, "mn_not_monotone", ident)
    if d != -1:
        _check_monotone(f, d, lo, mpf(-1), crit, "mn_not_monotone", ident)
    return lo, hi


def koopman_interval(x1, n1, x2, n2, level):
    """(lo, hi) with lo = 0 exactly when x1 = 0 and hi = None (infinite) when x2 = 0."""
    crit = mp_crit(level)
    if x1 == 0 and x2 == 0:
        return mpf(0), None
    g = lambda u: koopman_stat(x1, n1, x2, n2, mp.exp(u))
    width = mpf("1e-22")
    ident = [x1, n1, x2, n2, level]
    # a point inside the interval (statistic 0 at the estimate; for a zero count go far enough out)
    if x1 > 0 and x2 > 0:
        u0 = mp.log((mpf(x1) / n1) / (mpf(x2) / n2))
    elif x1 == 0:
        u0 = mpf(-30)
        while g(u0) >= crit:
            u0 -= 10
    else:
        u0 = mpf(30)
        while g(u0) >= crit:
            u0 += 10
    hi = None
    if x2 > 0:
        step = mpf(1)
        ub = u0 + step
        while g(ub) < crit:
            step *= 2
            ub = u0 + step
            if ub > 200:
                raise AssertionError(f"Koopman upper limit not bracketed {ident}")
        hi_u = _bisect(g, u0, ub, crit, width)
        _check_monotone(g, u0, hi_u, ub, crit, "koopman_not_monotone", ident)
        hi = mp.exp(hi_u)
    if x1 == 0:
        lo = mpf(0)
    else:
        step = mpf(1)
        lb = u0 - step
        while g(lb) < crit:
            step *= 2
            lb = u0 - step
            if lb < -200:
                raise AssertionError(f"Koopman lower limit not bracketed {ident}")
        lo_u = _bisect(g, u0, lb, crit, width)
        _check_monotone(g, u0, lo_u, lb, crit, "koopman_not_monotone", ident)
        lo = mp.exp(lo_u)
    return lo, hi


# ----------------------------------------------------------------------------------------------------------
# Conditional (Fisher noncentral hypergeometric) distribution: exact and mid-p odds-ratio limits
# ----------------------------------------------------------------------------------------------------------


class CondDist:
    """X11 given all margins; P(X = k; psi) proportional to C(n1, k) C(n2, m - k) psi^k."""

    def __init__(self, x1, n1, x2, n2):
        self.x = x1
        m = x1 + x2
        self.lo = max(0, m - n2)
        self.hi = min(n1, m)
        self.ks = list(range(self.lo, self.hi + 1))
        self.c_int = [comb(n1, k) * comb(n2, m - k) for k in self.ks]
        self.c = [mpf(c) for c in self.c_int]
        lc = np.array([float(special.gammaln(n1 + 1) - special.gammaln(k + 1) - special.gammaln(n1 - k + 1)
                             + special.gammaln(n2 + 1) - special.gammaln(m - k + 1)
                             - special.gammaln(n2 - m + k + 1)) for k in self.ks])
        self.logc = lc
        self.karr = np.array(self.ks, dtype=float)

    # float versions on u = log(psi) for a first root; the mpmath versions verify it
    def f_parts(self, u):
        lw = self.logc + self.karr * u
        mx = lw.max()
        w = np.exp(lw - mx)
        tot = w.sum()
        i = self.x - self.lo
        return w[:i].sum() / tot, w[i] / tot, w[i + 1:].sum() / tot

    def mp_parts(self, psi):
        psi = mpf(psi)
        ws = [c * psi ** (k - self.x) for c, k in zip(self.c, self.ks)]
        i = self.x - self.lo
        tot = mp.fsum(ws)
        return mp.fsum(ws[:i]) / tot, ws[i] / tot, mp.fsum(ws[i + 1:]) / tot

    def mp_mean(self, psi):
        psi = mpf(psi)
        ws = [c * psi ** (k - self.x) for c, k in zip(self.c, self.ks)]
        return mp.fsum(w * k for w, k in zip(ws, self.ks)) / mp.fsum(ws)


# target functions, each increasing in psi; root = where it equals the target
def _exact_lower(parts, a):  # P(X >= x) = a/2
    lt, eq, gt = parts
    return eq + gt - a / 2


def _exact_upper(parts, a):  # P(X <= x) = a/2  <=>  -(P(X<=x) - a/2) increasing
    lt, eq, gt = parts
    return a / 2 - (lt + eq)


def _midp_lower(parts, a):  # P(X > x) + P(X = x)/2 = a/2
    lt, eq, gt = parts
    return gt + eq / 2 - a / 2


def _midp_upper(parts, a):  # P(X < x) + P(X = x)/2 = a/2
    lt, eq, gt = parts
    return a / 2 - (lt + eq / 2)


def _midp_mue(parts, a):  # median unbiased: P(X > x) + P(X = x)/2 = 1/2
    lt, eq, gt = parts
    return gt + eq / 2 - 0.5


def cond_root(cd: CondDist, target, a, ident, key):
    """psi where target(parts(psi)) = 0; float Brent on log psi, then checked/refined in mpmath."""
    g = lambda u: target(cd.f_parts(u), a)
    lo_u, hi_u = -1.0, 1.0
    while g(lo_u) > 0:
        lo_u *= 2
        if lo_u < -1500:
            raise AssertionError(f"no lower bracket {ident} {key}")
    while g(hi_u) < 0:
        hi_u *= 2
        if hi_u > 1500:
            raise AssertionError(f"no upper bracket {ident} {key}")
    u = optimize.brentq(g, lo_u, hi_u, xtol=1e-15, rtol=1e-15, maxiter=500)
    psi = mp.exp(mpf(u))
    return mp_refine(cd, target, a, psi, ident, key)


def mp_refine(cd, target, a, psi, ident, key, rel=mpf("1e-11")):
    """Check that the root lies within psi*(1 -+ rel) in mpmath; if not, bisect in mpmath (counted)."""
    a = mpf(a)
    h = lambda p: target(cd.mp_parts(p), a)
    if h(psi * (1 - rel)) <= 0 <= h(psi * (1 + rel)):
        return psi
    vcount(f"{key}_float_root_refined_in_mpmath", ident)
    lo, hi = psi / 2, psi * 2
    while h(lo) > 0:
        lo /= 2
    while h(hi) < 0:
        hi *= 2
    while hi / lo - 1 > mpf("1e-25"):
        m = mp.sqrt(lo * hi)
        if h(m) < 0:
            lo = m
        else:
            hi = m
    return mp.sqrt(lo * hi)


def mp_brackets(cd, target, a, psi, rel=mpf("1e-10")):
    """True when the mpmath root of target lies in psi*(1 -+ rel)."""
    a = mpf(a)
    h = lambda p: target(cd.mp_parts(p), a)
    return h(psi * (1 - rel)) <= 0 <= h(psi * (1 + rel))


def mp_mle_brackets(cd, psi, rel=mpf("1e-10")):
    return cd.mp_mean(psi * (1 - rel)) <= cd.x <= cd.mp_mean(psi * (1 + rel))


# ----------------------------------------------------------------------------------------------------------
# the table list
# ----------------------------------------------------------------------------------------------------------

PUBLISHED = {
    (37, 47, 21, 48): {
        "source": "ProDERM primary endpoint (Aggarwal et al., NEJM 2022): TIS>=20 at week 16",
        "reported": {"difference_wald_95": [0.1670, 0.5324], "difference": 0.3497, "chi2_p": 0.00047,
                     "fisher_p": 0.00069, "yates_p": 0.0010, "sponsor_p": 0.0008},
        "comment": "published CI is the unpooled Wald interval; the test behind p = 0.0008 is not identified",
    },
    (32, 47, 11, 48): {"source": "ProDERM secondary endpoint TIS>=40 (68 % vs 23 %)", "reported": {}},
    (15, 47, 4, 48): {"source": "ProDERM secondary endpoint TIS>=60 (32 % vs 8 %)", "reported": {}},
    (22, 24, 10, 18): {
        "source": "2012 retrospective cohort, muscular remission at 6 months (91.7 % vs 55.6 %)",
        "reported": {"p": 0.007}, "comment": "matches Pearson chi2 without correction (p = 0.0065)",
    },
    (12, 24, 8, 18): {
        "source": "2012 retrospective cohort, complete remission (50 % vs 44.4 %)",
        "reported": {"p": 0.28},
        "comment": "no standard 2x2 test gives 0.28 (chi2 ~ 0.72, Fisher ~ 0.76): the published p is not reproducible",
    },
}


def build_tables():
    cases: dict[tuple, dict] = {}

    def add(x1, n1, x2, n2, tag):
        key = (x1, n1, x2, n2)
        assert 0 <= x1 <= n1 and 0 <= x2 <= n2 and n1 >= 1 and n2 >= 1, key
        if key not in cases:
            cases[key] = {"x1": x1, "n1": n1, "x2": x2, "n2": n2, "tags": []}
        if tag not in cases[key]["tags"]:
            cases[key]["tags"].append(tag)

    for key in PUBLISHED:
        add(*key, "published")
    # 1. every table with n1, n2 <= 6
    for n1 in range(1, 7):
        for n2 in range(1, 7):
            for x1 in range(n1 + 1):
                for x2 in range(n2 + 1):
                    add(x1, n1, x2, n2, "exhaustive-n6")
    # 2. very unbalanced arms
    for small, big in ((3, 200), (1, 300), (2, 150)):
        xs_big = sorted({0, 1, 2, 5, big // 10, big // 4, big // 2, (3 * big) // 4, big - 2, big - 1, big})
        for xs in range(small + 1):
            for xb in xs_big:
                if small == 3 or xb in (0, 1, big // 2, big - 1, big):
                    add(xs, small, xb, big, "unbalanced")
                    add(xb, big, xs, small, "unbalanced")
    # 3. zero cells and 0/n, n/n in one or both arms at larger n
    for n1, n2 in ((10, 10), (10, 25), (25, 10), (60, 60), (40, 55), (100, 100), (100, 37), (300, 300), (300, 250)):
        for x1 in sorted({0, 1, n1 // 2, n1 - 1, n1}):
            for x2 in (0, n2):
                add(x1, n1, x2, n2, "edge")
                add(x2, n2, x1, n1, "edge")
    # 4. random tables (fixed seed): n <= 60 per arm (these also get Barnard/Boschloo) and n <= 300
    rng = np.random.default_rng(SEED_TABLES)

    def draw_p():
        kind = rng.random()
        if kind < 0.6:
            return float(rng.random())
        if kind < 0.8:
            return float(rng.beta(0.5, 12.0))
        return float(1.0 - rng.beta(0.5, 12.0))

    for count, nmax, tag in ((220, 60, "random-n60"), (360, 300, "random-n300")):
        made = 0
        while made < count:
            n1 = int(rng.integers(7, nmax + 1))
            n2 = n1 if rng.random() < 0.3 else int(rng.integers(7, nmax + 1))
            p1 = draw_p()
            p2 = p1 if rng.random() < 0.25 else draw_p()
            x1 = int(rng.binomial(n1, p1))
            x2 = int(rng.binomial(n2, p2))
            if (x1, n1, x2, n2) in cases:
                continue
            add(x1, n1, x2, n2, tag)
            made += 1
    out = list(cases.values())
    for i, c in enumerate(out):
        c["id"] = f"t{i:04d}_{c['x1']}of{c['n1']}_vs_{c['x2']}of{c['n2']}"
    return out


# ----------------------------------------------------------------------------------------------------------
# R
# ----------------------------------------------------------------------------------------------------------


def run_r(tables, strata_rows, workdir):
    tin = os.path.join(workdir, "tables.csv")
    tout = os.path.join(workdir, "tables_out.csv")
    sin = os.path.join(workdir, "strata.csv")
    sout = os.path.join(workdir, "strata_out.csv")
    with open(tin, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "x1", "n1", "x2", "n2"])
        for c in tables:
            w.writerow([c["id"], c["x1"], c["n1"], c["x2"], c["n2"]])
    with open(sin, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case", "x1", "n1", "x2", "n2"])
        for r in strata_rows:
            w.writerow(r)
    subprocess.run(["Rscript", "--vanilla", R_SCRIPT, tin, tout, sin, sout], check=True,
                   stdout=subprocess.DEVNULL)

    def load(path, key):
        res = {}
        with open(path) as f:
            for row in csv.DictReader(f):
                k = row.pop(key)
                res[k] = {c: (None if v in ("NA", "") else float(v)) for c, v in row.items()}
        return res

    return load(tout, "id"), load(sout, "case")


def r_versions():
    expr = ('cat(R.version.string, "\\n"); for (p in c("PropCIs", "epitools", "epiR")) '
            'cat(p, tryCatch(as.character(packageVersion(p)), error = function(e) "not-installed"), "\\n")')
    out = subprocess.run(["Rscript", "--vanilla", "-e", expr], check=True, capture_output=True, text=True).stdout
    lines = [l.strip() for l in out.strip().splitlines()]
    res = {"R": lines[0]}
    for l in lines[1:]:
        name, ver = l.split()
        res[name] = ver
    res["PropCIs_source"] = "R CMD INSTALL of the cran/PropCIs GitHub mirror, commit 4a5caa8 (version 0.3-0)"
    res["epitools_source"] = "Debian package r-cran-epitools"
    res["epiR_source"] = "Debian package r-cran-epir"
    return res


# ----------------------------------------------------------------------------------------------------------
# one table
# ----------------------------------------------------------------------------------------------------------


def rd_intervals(x1, n1, x2, n2, r):
    p1, p2 = x1 / n1, x2 / n2
    d = p1 - p2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    ident = [x1, n1, x2, n2]
    out = []
    for level in LEVELS:
        a = ALPHA[level]
        z = z_float(level)
        tag = f"{round(level * 100):02d}"

        def range_note(lo, hi, base=None):
            notes = [base] if base else []
            if lo < -1 or hi > 1:
                notes.append("limit outside [-1, 1]: not truncated")
            return "; ".join(notes) or None

        # wald (statsmodels), checked against the formula
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="wald", compare="diff", alpha=a)
        lo, hi = float(lo), float(hi)
        if not (close(lo, d - z * se, 1e-12, 1e-14) and close(hi, d + z * se, 1e-12, 1e-14)):
            vcount("wald_statsmodels_vs_formula", ident + [level])
        base = "standard error is 0 (each arm 0/n or n/n): degenerate interval" if se == 0 else None
        out.append(interval("wald", level, lo, hi, range_note(lo, hi, base)))
        # wald-cc: by formula
        cc = (1 / n1 + 1 / n2) / 2
        lo_cc, hi_cc = d - z * se - cc, d + z * se + cc
        out.append(interval("wald-cc", level, lo_cc, hi_cc, range_note(lo_cc, hi_cc)))
        # newcombe (statsmodels 'newcomb'), checked against Newcombe's formula with Wilson limits from scratch
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=a)
        lo, hi = float(lo), float(hi)

        def wilson(x, n):
            c = (x + z * z / 2) / (n + z * z)
            h = z * math.sqrt(x * (n - x) / n + z * z / 4) / (n + z * z)
            return c - h, c + h

        l1, u1 = wilson(x1, n1)
        l2, u2 = wilson(x2, n2)
        flo = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        fhi = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
        if not (close(lo, flo, 1e-10, 1e-13) and close(hi, fhi, 1e-10, 1e-13)):
            vcount("newcombe_statsmodels_vs_formula", ident + [level, lo, flo, hi, fhi])
        out.append(interval("newcombe", level, lo, hi))
        # agresti-caffo (statsmodels), checked against the formula
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="agresti-caffo", compare="diff", alpha=a)
        lo, hi = float(lo), float(hi)
        q1, q2 = (x1 + 1) / (n1 + 2), (x2 + 1) / (n2 + 2)
        sa = math.sqrt(q1 * (1 - q1) / (n1 + 2) + q2 * (1 - q2) / (n2 + 2))
        if not (close(lo, q1 - q2 - z * sa, 1e-12, 1e-14) and close(hi, q1 - q2 + z * sa, 1e-12, 1e-14)):
            vcount("agresti_caffo_statsmodels_vs_formula", ident + [level])
        out.append(interval("agresti-caffo", level, lo, hi, range_note(lo, hi)))
        # miettinen-nurminen: mpmath inversion, checked against PropCIs::diffscoreci and statsmodels 'score'
        mlo, mhi = mn_interval(x1, n1, x2, n2, level)
        mlo, mhi = float(mlo), float(mhi)
        rlo, rhi = r.get(f"mn_lo_{tag}"), r.get(f"mn_hi_{tag}")
        if rlo is None or rhi is None:
            vcount("mn_propcis_missing", ident + [level])
        elif not (abs(rlo - mlo) <= 2e-6 and abs(rhi - mhi) <= 2e-6):
            vcount("mn_propcis_disagree_gt_2e-6", ident + [level, [mlo, mhi], [rlo, rhi]])
        else:
            VALIDATION["mn_propcis_agree"] = VALIDATION.get("mn_propcis_agree", 0) + 1
            VALIDATION.setdefault("mn_propcis_max_abs_diff", 0.0)
            VALIDATION["mn_propcis_max_abs_diff"] = max(VALIDATION["mn_propcis_max_abs_diff"],
                                                        abs(rlo - mlo), abs(rhi - mhi))
        with np.errstate(all="ignore"):
            try:
                slo, shi = confint_proportions_2indep(x1, n1, x2, n2, method="score", compare="diff", alpha=a,
                                                      correction=True)
                slo, shi = float(slo), float(shi)
            except Exception:  # noqa: BLE001 - statsmodels raises on some edge tables
                slo = shi = float("nan")
        if abs(slo - mlo) <= 1e-6 and abs(shi - mhi) <= 1e-6:
            VALIDATION["mn_statsmodels_score_agree_1e-6"] = VALIDATION.get("mn_statsmodels_score_agree_1e-6", 0) + 1
        else:
            vcount("mn_statsmodels_score_disagree_gt_1e-6", ident + [level, [mlo, mhi], [slo, shi]])
        out.append(interval("miettinen-nurminen", level, mlo, mhi))
    return d, out


def rr_intervals(x1, n1, x2, n2, r):
    p1, p2 = x1 / n1, x2 / n2
    ident = [x1, n1, x2, n2]
    out = []
    for level in LEVELS:
        a = ALPHA[level]
        z = z_float(level)
        tag = f"{round(level * 100):02d}"
        # katz-log
        if x1 == 0 or x2 == 0:
            out.append(interval("katz-log", level, None, None,
                                "zero events in a group: log risk ratio or its variance undefined"))
        else:
            with np.errstate(all="ignore"):
                lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="log", compare="ratio", alpha=a)
            lo, hi = float(lo), float(hi)
            v = 1 / x1 - 1 / n1 + 1 / x2 - 1 / n2
            rr = p1 / p2
            if not (close(lo, rr * math.exp(-z * math.sqrt(v)), 1e-12) and
                    close(hi, rr * math.exp(z * math.sqrt(v)), 1e-12)):
                vcount("katz_statsmodels_vs_formula", ident + [level])
            note = "variance of the log ratio is 0 (both arms n/n): degenerate interval" if v == 0 else None
            out.append(interval("katz-log", level, lo, hi, note))
        # koopman: mpmath inversion; compared with PropCIs::riskscoreci and statsmodels score(correction=False)
        klo, khi = koopman_interval(x1, n1, x2, n2, level)
        klo = float(klo)
        khi = None if khi is None else float(khi)
        crit = mp_crit(level)
        # Pearson form equals the score form where the restricted MLE is interior
        for lim in (klo, khi):
            if lim is not None and lim > 0:
                pf = koopman_pearson(x1, n1, x2, n2, mpf(lim))
                if pf is not None and abs(pf - crit) > mpf("1e-9") * crit:
                    vcount("koopman_pearson_form_differs", ident + [level, lim, float(pf)])
        rlo, rhi = r.get(f"koopman_lo_{tag}"), r.get(f"koopman_hi_{tag}")
        ok_r = True
        if rlo is None and rhi is None:
            vcount("koopman_propcis_missing", ident + [level])
        else:
            for mine, theirs in ((klo, rlo), (khi, rhi)):
                if mine is None:
                    ok_r &= theirs is None or math.isinf(theirs)
                elif theirs is None:
                    ok_r = False
                else:
                    ok_r &= abs(theirs - mine) <= 2e-4 * max(abs(mine), 1e-300) or abs(theirs - mine) < 1e-9
            if ok_r:
                VALIDATION["koopman_propcis_agree"] = VALIDATION.get("koopman_propcis_agree", 0) + 1
            else:
                stat_at = [float(koopman_stat(x1, n1, x2, n2, mpf(v))) if v is not None and math.isfinite(v) and v > 0
                           else None for v in (rlo, rhi)]
                wrong = any(v is not None and abs(v - float(crit)) > 1e-6 * float(crit) for v in stat_at)
                nas = any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (rlo, rhi)
                          if not (v is not None and math.isinf(v)))
                kind = "statistic_at_propcis_limit_not_critical" if wrong else ("propcis_NA" if nas else "UNEXPLAINED")
                vcount(f"koopman_propcis_disagree_{kind}", ident + [level, {"koopman": [klo, khi],
                                                                                  "propcis": [rlo, rhi],
                                                                                  "stat_at_propcis": stat_at,
                                                                                  "critical": float(crit)}],
                       keep=200)
        with np.errstate(all="ignore"):
            try:
                slo, shi = confint_proportions_2indep(x1, n1, x2, n2, method="score", compare="ratio", alpha=a,
                                                      correction=False)
                slo, shi = float(slo), float(shi)
            except Exception:  # noqa: BLE001
                slo = shi = float("nan")
        sm_ok = (close(slo, klo, 1e-6, 1e-9) and
                 (close(shi, khi, 1e-6, 1e-9) if khi is not None else (math.isinf(shi) or math.isnan(shi))))
        if sm_ok:
            VALIDATION["koopman_statsmodels_agree_1e-6"] = VALIDATION.get("koopman_statsmodels_agree_1e-6", 0) + 1
        if not sm_ok:
            # evaluate Koopman's statistic at the statsmodels limits to show which one is wrong
            stat_at = []
            for lim in (slo, shi):
                if math.isfinite(lim) and lim > 0:
                    stat_at.append(float(koopman_stat(x1, n1, x2, n2, mpf(lim))))
                else:
                    stat_at.append(None)
            wrong = any(v is not None and abs(v - float(crit)) > 1e-6 * float(crit) for v in stat_at)
            kind = ("nan" if (math.isnan(slo) or math.isnan(shi)) else
                    "statistic_at_limit_not_critical" if wrong else "UNEXPLAINED")
            vcount(f"koopman_statsmodels_score_{kind}", ident + [level, {"statsmodels": [slo, shi],
                                                                         "koopman": [klo, khi],
                                                                         "stat_at_statsmodels": stat_at,
                                                                         "critical": float(crit)}])
        note = None
        if x1 == 0 and x2 == 0:
            note = "no events in either arm: no ratio is rejected, interval [0, infinity): upper limit infinite"
        elif x2 == 0:
            note = "no events in group 2: upper limit infinite"
        out.append(interval("koopman", level, klo, khi, note))
    return out


def or_intervals(x1, n1, x2, n2, r):
    a_, b_, c_, d_ = x1, n1 - x1, x2, n2 - x2
    ident = [x1, n1, x2, n2]
    out = []
    m = x1 + x2
    nn = n1 + n2
    degenerate = m == 0 or m == nn
    cd = None if degenerate else CondDist(x1, n1, x2, n2)
    table = np.array([[a_, b_], [c_, d_]])
    # conditional MLE (scipy), verified in mpmath and against R
    if degenerate:
        cmle, cmle_note = None, ("a column margin is 0 (no events or all events): the conditional distribution is "
                                 "a single point; conditional MLE undefined (R fisher.test reports 0, scipy NaN)")
    else:
        res = scipy_odds_ratio(table, kind="conditional")
        cmle = float(res.statistic)
        cmle_note = None
        if x1 == cd.lo:
            if cmle != 0:
                vcount("cond_mle_expected_zero", ident)
        elif x1 == cd.hi:
            if not math.isinf(cmle):
                vcount("cond_mle_expected_inf", ident)
            cmle_note = "conditional MLE infinite (x1 at the top of its conditional support)"
        else:
            if not mp_mle_brackets(cd, mpf(cmle)):
                # scipy off by more than 1e-10 relative: record the mpmath root (to 1e-25) instead
                lo_, hi_ = mpf(cmle) / 2, mpf(cmle) * 2
                while cd.mp_mean(lo_) > x1:
                    lo_ /= 2
                while cd.mp_mean(hi_) < x1:
                    hi_ *= 2
                while hi_ / lo_ - 1 > mpf("1e-25"):
                    mid = mp.sqrt(lo_ * hi_)
                    if cd.mp_mean(mid) < x1:
                        lo_ = mid
                    else:
                        hi_ = mid
                better = float(mp.sqrt(lo_ * hi_))
                vcount("cond_mle_scipy_replaced_by_mpmath_root", ident + [cmle, better, (cmle - better) / better])
                cmle = better
            rest = r.get("fisher_estimate")
            if not uniroot_close(cmle, rest):
                vcount("cond_mle_R_disagree_beyond_uniroot_tol", ident + [cmle, rest])
    for level in LEVELS:
        a = ALPHA[level]
        z = z_float(level)
        tag = f"{round(level * 100):02d}"
        # woolf
        if min(a_, b_, c_, d_) == 0:
            out.append(interval("woolf", level, None, None, "zero cell: log odds ratio and its variance undefined"))
        else:
            lo, hi = Table2x2(table, shift_zeros=False).oddsratio_confint(alpha=a)
            lo, hi = float(lo), float(hi)
            lo2, hi2 = confint_proportions_2indep(x1, n1, x2, n2, method="logit", compare="odds-ratio", alpha=a)
            orr = a_ * d_ / (b_ * c_)
            se = math.sqrt(1 / a_ + 1 / b_ + 1 / c_ + 1 / d_)
            if not (close(lo, float(lo2), 1e-12) and close(hi, float(hi2), 1e-12) and
                    close(lo, orr * math.exp(-z * se), 1e-12) and close(hi, orr * math.exp(z * se), 1e-12)):
                vcount("woolf_reference_mismatch", ident + [level])
            out.append(interval("woolf", level, lo, hi))
        # exact-conditional (scipy), verified in mpmath and against R fisher.test
        if degenerate:
            out.append(interval("exact-conditional", level, 0.0, None, cmle_note + "; interval [0, infinity)",
                                estimate=None))
        else:
            ci = scipy_odds_ratio(table, kind="conditional").confidence_interval(confidence_level=level)
            lo, hi = float(ci.low), float(ci.high)
            notes = []
            extra = {}
            if x1 == cd.lo:
                if lo != 0:
                    vcount("exact_lower_expected_zero", ident + [level, lo])
            elif not mp_brackets(cd, _exact_lower, a, mpf(lo)):
                better = float(mp_refine(cd, _exact_lower, a, mpf(lo), ident + [level], "exact_lower", mpf("1e-13")))
                vcount("exact_scipy_limit_replaced_by_mpmath_root", ident + [level, "low", lo, better,
                                                                           (lo - better) / better])
                extra["scipy_ci_low"] = lo
                lo = better
            if x1 == cd.hi:
                if not math.isinf(hi):
                    vcount("exact_upper_expected_inf", ident + [level, hi])
                notes.append("upper limit infinite (x1 at the top of its conditional support)")
            elif not mp_brackets(cd, _exact_upper, a, mpf(hi)):
                better = float(mp_refine(cd, _exact_upper, a, mpf(hi), ident + [level], "exact_upper", mpf("1e-13")))
                vcount("exact_scipy_limit_replaced_by_mpmath_root", ident + [level, "high", hi, better,
                                                                           (hi - better) / better])
                extra["scipy_ci_high"] = hi
                hi = better
            rlo, rhi = r.get(f"fisher_lo_{tag}"), r.get(f"fisher_hi_{tag}")
            for mine, theirs, which in ((lo, rlo, "low"), (fnum(hi), rhi, "high")):
                if not uniroot_close(mine, theirs):
                    vcount("exact_R_disagree_beyond_uniroot_tol", ident + [level, which, mine, theirs])
            if cmle_note and cmle_note not in notes:
                notes.insert(0, cmle_note)
            out.append(interval("exact-conditional", level, lo, hi, "; ".join(notes) or None,
                                estimate=fnum(cmle) if cmle is not None and not math.isinf(cmle) else None,
                                **extra))
        # mid-p: computed here (float Brent + mpmath bracket check); epitools::or.midp as the outside check
        if degenerate:
            out.append(interval("mid-p", level, 0.0, None,
                                "a column margin is 0: the conditional distribution is a single point; interval "
                                "[0, infinity), median-unbiased estimate undefined", median_unbiased_estimate=None))
            continue
        notes = []
        if x1 == cd.lo:
            lo = 0.0
            mue = 0.0
        else:
            lo = float(cond_root(cd, _midp_lower, a, ident + [level], "midp_lower"))
            mue = None
        if x1 == cd.hi:
            hi = None
            mue = None
            notes.append("upper limit and median-unbiased estimate infinite (x1 at the top of its support)")
        else:
            hi = float(cond_root(cd, _midp_upper, a, ident + [level], "midp_upper"))
        if cd.lo < x1 < cd.hi:
            mue = float(cond_root(cd, _midp_mue, a, ident + [level], "midp_mue"))
        rlo, rhi, rest = r.get(f"midp_lo_{tag}"), r.get(f"midp_hi_{tag}"), r.get(f"midp_est_{tag}")
        at_edge = x1 in (cd.lo, cd.hi)
        if rlo is None or rhi is None:
            vcount("midp_epitools_failed_" + ("x1_at_support_edge" if at_edge else "interior"), ident + [level])
        else:
            # epitools: uniroot on [0, 1000] for the lower limit and the estimate (psi scale), and for 1/upper
            ok = abs(rlo - lo) <= 2.5e-4 and hi is not None and abs(1 / rhi - 1 / hi) <= 2.5e-4
            if rest is not None and mue is not None:
                ok &= abs(rest - mue) <= 2.5e-4
            if ok:
                VALIDATION["midp_epitools_agree"] = VALIDATION.get("midp_epitools_agree", 0) + 1
            else:
                vcount("midp_epitools_disagree", ident + [level, [lo, hi, mue], [rlo, rhi, rest]])
        out.append(interval("mid-p", level, lo, hi, "; ".join(notes) or None, median_unbiased_estimate=mue))
    return out


def fisher_exact_rational(x1, n1, x2, n2):
    """Two-sided Fisher p-value with exact rationals, summing P(k) <= P(x) * (1 + 1e-7) like R and scipy."""
    m = x1 + x2
    lo, hi = max(0, m - n2), min(n1, m)
    tot = comb(n1 + n2, m)
    probs = {k: Fraction(comb(n1, k) * comb(n2, m - k), tot) for k in range(lo, hi + 1)}
    cut = probs[x1] * (1 + Fraction(1, 10**7))
    return float(sum(p for p in probs.values() if p <= cut))


def tests_for(x1, n1, x2, n2, r):
    ident = [x1, n1, x2, n2]
    out = []
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]])
    m, nn = x1 + x2, n1 + n2
    if m == 0 or m == nn:
        note = "a column margin is 0 (no events or all events): expected count 0, statistic undefined"
        out.append({"name": "chi2", "statistic": None, "p_value": None, "note": note})
        out.append({"name": "chi2-yates", "statistic": None, "p_value": None, "note": note})
    else:
        for name, corr, rs, rp in (("chi2", False, "chi2_stat", "chi2_p"), ("chi2-yates", True, "yates_stat",
                                                                             "yates_p")):
            res = stats.chi2_contingency(table, correction=corr)
            st, p = float(res.statistic), float(res.pvalue)
            if not corr:
                formula = nn * (x1 * (n2 - x2) - x2 * (n1 - x1)) ** 2 / (n1 * n2 * m * (nn - m))
                if not close(st, formula, 1e-12, 1e-14):
                    vcount("chi2_scipy_vs_formula", ident)
            if not (close(r.get(rs), st, 1e-10, 1e-13) and close(r.get(rp), p, 1e-9, 1e-15)):
                vcount(f"{name}_R_disagree", ident + [st, p, r.get(rs), r.get(rp)])
            out.append({"name": name, "statistic": st, "p_value": p})
    p = float(stats.fisher_exact(table).pvalue)
    pr = fisher_exact_rational(x1, n1, x2, n2)
    if not close(p, pr, 1e-12, 1e-15):
        vcount("fisher_scipy_vs_rational", ident + [p, pr])
    if not close(r.get("fisher_p"), p, 1e-10, 1e-15):
        vcount("fisher_R_disagree", ident + [p, r.get("fisher_p")])
    out.append({"name": "fisher", "p_value": min(p, 1.0)})
    if n1 <= BARNARD_MAX_N and n2 <= BARNARD_MAX_N:
        # scipy's orientation: columns are the groups, first row the events
        st_table = [[x1, x2], [n1 - x1, n2 - x2]]
        for name, fn, kw in (("barnard", stats.barnard_exact, {"pooled": True}), ("boschloo", stats.boschloo_exact,
                                                                                   {})):
            res = fn(st_table, alternative="two-sided", n=BARNARD_GRID, **kw)
            fine = fn(st_table, alternative="two-sided", n=BARNARD_FINE_GRID, **kw)
            p, pf = float(res.pvalue), float(fine.pvalue)
            VALIDATION.setdefault(f"{name}_grid32_vs_grid1024_max_rel_diff", 0.0)
            if pf > 0:
                VALIDATION[f"{name}_grid32_vs_grid1024_max_rel_diff"] = max(
                    VALIDATION[f"{name}_grid32_vs_grid1024_max_rel_diff"], abs(p - pf) / pf)
            e = {"name": name, "statistic": fnum(res.statistic), "p_value": p, "n_grid": BARNARD_GRID,
                 "approximate": True, "p_value_grid_1024": pf}
            if name == "barnard":
                e["pooled"] = True
            if m == 0 or m == nn:
                e["note"] = "degenerate table (a column margin is 0): scipy's convention gives p = 1"
            out.append(e)
    return out


def one_table(c, r):
    x1, n1, x2, n2 = c["x1"], c["n1"], c["x2"], c["n2"]
    p1, p2 = x1 / n1, x2 / n2
    d, rd = rd_intervals(x1, n1, x2, n2, r)
    rr_int = rr_intervals(x1, n1, x2, n2, r)
    or_int = or_intervals(x1, n1, x2, n2, r)
    rr_est, rr_note = (p1 / p2, None) if x2 > 0 else (
        None, "no events in group 2: risk ratio undefined (0/0)" if x1 == 0 else "no events in group 2: risk ratio "
                                                                                  "infinite")
    a_, b_, c_, d_ = x1, n1 - x1, x2, n2 - x2
    if b_ * c_ > 0:
        or_est, or_note = a_ * d_ / (b_ * c_), None
    elif a_ * d_ > 0:
        or_est, or_note = None, "odds ratio infinite (b*c = 0)"
    else:
        or_est, or_note = None, "odds ratio undefined (a*d = b*c = 0)"
    case = {
        "id": c["id"], "tags": c["tags"], "x1": x1, "n1": n1, "x2": x2, "n2": n2,
        "groups": [{"x": x1, "n": n1, "estimate": p1}, {"x": x2, "n": n2, "estimate": p2}],
        "risk_difference": {"estimate": d, "intervals": rd},
        "risk_ratio": {"estimate": rr_est, "intervals": rr_int},
        "odds_ratio": {"estimate": or_est, "intervals": or_int},
        "tests": tests_for(x1, n1, x2, n2, r),
    }
    if rr_note:
        case["risk_ratio"]["note"] = rr_note
    if or_note:
        case["odds_ratio"]["note"] = or_note
    key = (x1, n1, x2, n2)
    if key in PUBLISHED:
        case["published"] = PUBLISHED[key]
    return case


# ----------------------------------------------------------------------------------------------------------
# stratified tables
# ----------------------------------------------------------------------------------------------------------


def build_strata(n_cases=None):
    """The stratified cases: s000-s199 as first published, then `n_cases - 200` more (default N_STRATA_CASES)."""
    n_cases = N_STRATA_CASES if n_cases is None else n_cases
    rng = np.random.default_rng(SEED_STRATA)
    cases = []

    def add(strata, tag):
        cases.append({"id": f"s{len(cases):03d}_{tag}", "tags": [tag], "strata": strata})

    # hand-made edge cases
    add([[3, 10, 1, 10], [5, 12, 2, 11]], "small")
    add([[0, 10, 0, 10], [0, 5, 0, 8], [0, 7, 0, 6]], "no-events")
    add([[10, 10, 8, 8], [5, 5, 6, 6]], "all-events")
    add([[3, 10, 1, 10], [0, 0, 0, 0], [4, 9, 2, 12], [0, 0, 3, 5], [2, 2, 0, 0]], "empty-strata")
    add([[5, 5, 2, 6], [4, 4, 1, 7], [6, 6, 3, 9]], "or-infinite")
    add([[0, 5, 2, 6], [0, 4, 1, 7]], "or-zero")
    add([[2, 5, 2, 5], [3, 6, 3, 6], [1, 4, 1, 4]], "null-effect")
    add([[4, 8, 3, 8], [2, 6, 3, 6]], "tiny-delta")
    add([[1, 1, 0, 1], [0, 1, 1, 1]], "n1-strata")
    add([[3, 10, 1, 10], [0, 0, 0, 0]], "one-usable-stratum")
    add([[37, 47, 21, 48], [0, 0, 0, 0]], "proderm-one-stratum")
    # random: 2-6 strata, some empty arms or empty strata
    for i in range(189):
        k = int(rng.integers(2, 7))
        p_base = float(rng.random())
        shift = float(rng.normal(0, 0.2))
        strata = []
        for _ in range(k):
            u = rng.random()
            nmax = 200 if rng.random() < 0.1 else 40
            n1 = int(rng.integers(1, nmax + 1))
            n2 = int(rng.integers(1, nmax + 1))
            if u < 0.05:
                n1 = n2 = 0
            elif u < 0.12:
                n1 = 0
            elif u < 0.19:
                n2 = 0
            p2 = min(max(p_base + float(rng.normal(0, 0.15)), 0.0), 1.0)
            p1 = min(max(p2 + shift, 0.0), 1.0)
            strata.append([int(rng.binomial(n1, p1)) if n1 else 0, n1, int(rng.binomial(n2, p2)) if n2 else 0, n2])
        add(strata, "random")
    assert len(cases) == 200  # s000-s199: the original set, unchanged
    cases += _more_strata(rng, n_cases - len(cases))
    return cases[:n_cases]


def strata_kinds(strata):
    """Descriptive tags for the edge categories present in a set of strata (used for the new cases' tags and the
    counts in README_two_proportions.md)."""
    kinds = []
    k_ = lambda cond: any(cond(*s) for s in strata)
    if k_(lambda x1, n1, x2, n2: n1 + n2 == 0):
        kinds.append("empty-stratum")
    if k_(lambda x1, n1, x2, n2: n1 + n2 > 0 and (n1 == 0 or n2 == 0)):
        kinds.append("empty-arm")
    if k_(lambda x1, n1, x2, n2: n1 + n2 == 1):
        kinds.append("n1-stratum")
    if k_(lambda x1, n1, x2, n2: n1 == 1 or n2 == 1):
        kinds.append("arm-of-1")
    if k_(lambda x1, n1, x2, n2: n1 > 0 and n2 > 0 and 0 in (x1, n1 - x1, x2, n2 - x2)):
        kinds.append("zero-cell")
    if k_(lambda x1, n1, x2, n2: n1 > 0 and n2 > 0 and max(n1, n2) >= 20 * min(n1, n2)):
        kinds.append("unbalanced")
    if k_(lambda x1, n1, x2, n2: n1 > 0 and n2 > 0 and x1 == 0 and x2 == 0):
        kinds.append("no-responders-stratum")
    if k_(lambda x1, n1, x2, n2: n1 > 0 and n2 > 0 and x1 == n1 and x2 == n2):
        kinds.append("all-responders-stratum")
    if len(strata) >= 16:
        kinds.append("many-strata")
    if k_(lambda x1, n1, x2, n2: max(n1, n2) > 400):
        kinds.append("large-n")
    return kinds


# |sum(a - E a)| = 1/2 exactly, where the continuity-correction rule (>= 1/2) decides. Dyadic sums are exact in
# floating point; in the others a left-to-right double sum lands just below 1/2 (first three) or just above it.
CC_BOUNDARY = [
    [[1, 2, 0, 2]], [[1, 2, 0, 2], [1, 2, 1, 2]], [[2, 4, 1, 4], [0, 2, 0, 2]], [[0, 2, 1, 2], [3, 4, 3, 4]],
    [[3, 8, 2, 8], [2, 4, 2, 4], [0, 0, 5, 5]],
    [[1, 1, 4, 5], [2, 6, 2, 3]], [[2, 5, 0, 7], [4, 6, 3, 3]], [[0, 7, 1, 3], [5, 6, 3, 4]],
    [[2, 5, 0, 1], [6, 7, 4, 5]], [[4, 6, 2, 4], [4, 7, 3, 3]],
]


def _more_strata(rng, count):
    """Cases s200 onwards: hand-made edges, then random sets drawn from an edge-heavy mixture of strata."""
    out = []

    def add(strata, tag):
        if len(out) < count:
            kinds = strata_kinds(strata)
            out.append({"id": f"s{200 + len(out):03d}_{tag}", "tags": [tag] + [k for k in kinds if k != tag],
                        "strata": [list(map(int, s)) for s in strata]})

    # nothing to pool, or only strata of one subject
    add([[0, 0, 0, 0], [0, 0, 0, 0]], "all-empty")
    add([[0, 0, 0, 0]], "all-empty")
    add([[3, 5, 0, 0], [0, 0, 2, 7]], "empty-arms-only")
    add([[0, 4, 0, 0], [0, 0, 0, 3], [0, 0, 0, 0]], "empty-arms-only")
    add([[1, 1, 0, 0], [0, 0, 1, 1]], "n1-strata")
    add([[0, 1, 0, 0], [0, 0, 0, 1], [1, 1, 0, 0]], "n1-strata")
    add([[1, 1, 0, 0], [3, 8, 2, 9], [0, 0, 0, 1]], "n1-strata")
    add([[0, 0, 1, 1], [2, 2, 0, 1]], "n1-strata")
    # every multiset of 1 to 3 strata of one subject per arm (1 vs 1)
    one = [[0, 1, 0, 1], [0, 1, 1, 1], [1, 1, 0, 1], [1, 1, 1, 1]]
    for k in (1, 2, 3):
        for combo in _multisets(len(one), k):
            add([one[i] for i in combo], "pairs-1v1")
    # all or no responders
    add([[10, 10, 0, 10], [8, 8, 0, 12]], "all-vs-none")
    add([[0, 10, 10, 10], [0, 5, 7, 7]], "all-vs-none")
    add([[5, 5, 5, 5], [0, 6, 0, 6]], "all-or-none-strata")
    add([[5, 5, 5, 5], [2, 6, 1, 6]], "all-or-none-strata")
    add([[0, 9, 0, 11], [4, 9, 1, 11], [12, 12, 9, 9]], "all-or-none-strata")
    add([[1, 1, 1, 1], [0, 1, 0, 1], [1, 1, 1, 1]], "all-or-none-strata")
    add([[40, 40, 0, 1], [0, 1, 30, 30]], "all-or-none-strata")
    # very unbalanced arms
    add([[0, 1, 40, 300], [1, 2, 150, 280]], "unbalanced")
    add([[1, 1, 0, 300], [0, 1, 299, 300]], "unbalanced")
    add([[3, 3, 200, 200], [2, 2, 0, 150]], "unbalanced")
    add([[1, 1, 150, 300], [0, 1, 150, 300], [1, 3, 2, 250]], "unbalanced")
    add([[120, 400, 0, 1], [7, 390, 1, 2], [399, 400, 1, 1]], "unbalanced")
    add([[1, 1000, 0, 1], [0, 2000, 1, 1]], "unbalanced")
    # zero cells everywhere
    add([[0, 10, 3, 10], [0, 8, 2, 9], [0, 12, 1, 7]], "zero-cells")
    add([[10, 10, 7, 10], [8, 8, 6, 9], [12, 12, 1, 7]], "zero-cells")
    add([[0, 10, 3, 10], [8, 8, 6, 9]], "zero-cells")
    add([[0, 20, 0, 15], [3, 20, 0, 15], [20, 20, 15, 15]], "zero-cells")
    # one-to-one matched pairs (many strata of 1 vs 1): the MH odds ratio is the ratio of discordant pairs
    for n10, n01, n11, n00 in ((12, 4, 20, 30), (5, 0, 7, 9), (0, 6, 3, 11), (1, 1, 0, 0), (9, 9, 2, 2)):
        add([[1, 1, 0, 1]] * n10 + [[0, 1, 1, 1]] * n01 + [[1, 1, 1, 1]] * n11 + [[0, 1, 0, 1]] * n00,
            "matched-pairs")
    # the 1/2 boundary of the continuity correction
    for strata in CC_BOUNDARY:
        add(strata, "cc-boundary")
    # random sets of strata, each stratum from an edge-heavy mixture
    while len(out) < count:
        r = rng.random()
        k = int(rng.integers(2, 7)) if r < 0.6 else int(rng.integers(7, 16)) if r < 0.85 else int(rng.integers(16, 61))
        p_base = float(rng.random())
        shift = 0.0 if rng.random() < 0.2 else float(rng.normal(0, 0.2))
        strata = []
        for _ in range(k):
            u = rng.random()
            if u < 0.06:  # empty stratum
                strata.append([0, 0, 0, 0])
                continue
            if u < 0.12:  # one empty arm (the other arm sometimes of size 1)
                n = 1 if rng.random() < 0.3 else int(rng.integers(1, 41))
                x = int(rng.binomial(n, min(max(p_base, 0.0), 1.0)))
                strata.append([x, n, 0, 0] if rng.random() < 0.5 else [0, 0, x, n])
                continue
            if u < 0.22:  # very unbalanced
                small, big = int(rng.integers(1, 4)), int(rng.integers(100, 401))
                n1, n2 = (small, big) if rng.random() < 0.5 else (big, small)
            elif u < 0.30:  # tiny arms
                n1, n2 = int(rng.integers(1, 4)), int(rng.integers(1, 4))
            elif u < 0.33:  # large
                n1, n2 = int(rng.integers(300, 3001)), int(rng.integers(300, 3001))
            else:
                nmax = 200 if rng.random() < 0.1 else 40
                n1, n2 = int(rng.integers(1, nmax + 1)), int(rng.integers(1, nmax + 1))
            v = rng.random()
            if v < 0.12:  # all or no responders in both arms, or all in one and none in the other
                x1, x2 = [(0, 0), (n1, n2), (n1, 0), (0, n2)][int(rng.integers(0, 4))]
            else:
                p2 = float(rng.random()) if v < 0.2 else min(max(p_base + float(rng.normal(0, 0.15)), 0.0), 1.0)
                p1 = min(max(p2 + shift, 0.0), 1.0)
                x1, x2 = int(rng.binomial(n1, p1)), int(rng.binomial(n2, p2))
            strata.append([x1, n1, x2, n2])
        add(strata, "random-edge")
    return out


def _multisets(n, k):
    """Non-decreasing index tuples of length k from range(n)."""
    if k == 0:
        return [()]
    return [(i,) + rest for i in range(n) for rest in _multisets(n, k - 1) if not rest or rest[0] >= i]


def _float_delta(strata):
    """sum(a - n1 m1 / N) in doubles, left to right (as a plain floating-point implementation would)."""
    dev = 0.0
    for x1, n1, x2, n2 in strata:
        dev += float(x1) - float(n1) * float(x1 + x2) / float(n1 + n2)
    return dev


def cmh_case(c, r):
    strata = c["strata"]
    usable = [s for s in strata if s[1] + s[3] >= 2]  # statsmodels and R need N_k >= 2 (N_k <= 1 has no weight)
    contributing = [s for s in strata if s[1] > 0 and s[3] > 0]
    ident = [c["id"]]
    out = {"id": c["id"], "tags": c["tags"],
           "strata": [{"x1": s[0], "n1": s[1], "x2": s[2], "n2": s[3]} for s in strata]}
    if not contributing:
        note = "no stratum has both arms non-empty: nothing to pool"
        out["tests"] = [{"name": "cmh", "statistic": None, "p_value": None, "note": note},
                        {"name": "cmh-cc", "statistic": None, "p_value": None, "note": note}]
        out["odds_ratio"] = {"estimate": None, "note": note,
                             "intervals": [interval("robins-breslow-greenland", lv, None, None, note) for lv in LEVELS]}
        out["risk_difference"] = {"estimate": None, "note": note, "intervals": [
            interval(mth, lv, None, None, note) for lv in LEVELS for mth in ("greenland-robins", "sato")]}
        return out
    tabs = [np.array([[s[0], s[1] - s[0]], [s[2], s[3] - s[2]]], dtype=float) for s in usable]
    st = StratifiedTable(tabs)
    # CMH test: sum(a - E a) and its hypergeometric variance
    delta = sum(Fraction(s[0]) - Fraction(s[1] * (s[0] + s[2]), s[1] + s[3]) for s in usable)
    var = sum(Fraction(s[1] * s[3] * (s[0] + s[2]) * (s[1] + s[3] - s[0] - s[2]),
                       (s[1] + s[3]) ** 2 * (s[1] + s[3] - 1)) for s in usable)
    tests = []
    for name, corr in (("cmh", False), ("cmh-cc", True)):
        if var == 0:
            tests.append({"name": name, "statistic": None, "p_value": None,
                          "note": "variance of sum(a) is 0 (every stratum has a zero margin): statistic undefined"})
            continue
        with np.errstate(all="ignore"):
            b = st.test_null_odds(correction=corr)
        sm_stat = float(b.statistic)
        # R's rule: subtract 1/2 only when |delta| >= 1/2 (statsmodels always subtracts it)
        ad = abs(delta)
        num = (ad - Fraction(1, 2)) ** 2 if (corr and ad >= Fraction(1, 2)) else ad**2
        exact_stat = float(num / var)
        p = float(stats.chi2.sf(exact_stat, 1))
        e = {"name": name, "statistic": exact_stat, "p_value": p}
        rk = "cmh" if name == "cmh" else "cmhcc"
        r_stats = [r.get(f"{rk}_stat_{round(lv * 100):02d}") for lv in LEVELS]
        boundary = corr and ad == Fraction(1, 2) and (
            abs(_float_delta(usable)) < 0.5 or
            any(v is not None and not close(v, exact_stat, 1e-10, 1e-14) for v in r_stats))
        if boundary:
            # |delta| is exactly 1/2: the correction applies and the statistic is 0, but a floating-point sum of
            # a - E a can land just below 1/2 and then skips the correction (R does, where R_statistic is given)
            e["note"] = ("|sum(a - E a)| = 1/2 exactly: correction applied, statistic 0 (exact arithmetic); a "
                         "floating-point sum can fall just below 1/2 and skip it")
            e["float_sum_left_to_right"] = _float_delta(usable)
            if r_stats[0] is not None and not close(r_stats[0], exact_stat, 1e-10, 1e-14):
                e["R_statistic"] = r_stats[0]
            vcount("cmh_cc_exact_half_float_boundary", ident + [_float_delta(usable), r_stats[0], sm_stat])
        if corr and ad < Fraction(1, 2):
            e["note"] = ("|sum(a - E a)| < 1/2: no continuity correction applied (R mantelhaen.test rule); "
                         "statsmodels subtracts 1/2 anyway")
            e["statsmodels_statistic"] = sm_stat
            vcount("cmh_cc_statsmodels_differs_small_delta", ident + [float(delta), exact_stat, sm_stat])
        else:
            if not close(sm_stat, exact_stat, 1e-11, 1e-14):
                vcount("cmh_statsmodels_disagree", ident + [name, exact_stat, sm_stat])
            if not close(float(b.pvalue), p, 1e-9, 1e-14):
                vcount("cmh_p_statsmodels_1-cdf_differs", ident + [name, p, float(b.pvalue)])
        for lv in LEVELS:
            tag = f"{round(lv * 100):02d}"
            rs, rp = r.get(f"{rk}_stat_{tag}"), r.get(f"{rk}_p_{tag}")
            if len(usable) >= 2 and not boundary and not (close(rs, exact_stat, 1e-10, 1e-14)
                                                          and close(rp, p, 1e-9, 1e-15)):
                vcount("cmh_R_disagree", ident + [name, exact_stat, p, rs, rp])
        tests.append(e)
    out["tests"] = tests
    # MH odds ratio with the Robins-Breslow-Greenland variance (statsmodels), checked against R
    R_ = sum(Fraction(s[0] * (s[3] - s[2]), s[1] + s[3]) for s in usable)
    S_ = sum(Fraction((s[1] - s[0]) * s[2], s[1] + s[3]) for s in usable)
    orr = {"intervals": []}
    if S_ == 0:
        orr["estimate"] = None
        orr["note"] = "sum(b c / n) = 0: Mantel-Haenszel odds ratio infinite"
        for lv in LEVELS:
            orr["intervals"].append(interval("robins-breslow-greenland", lv, None, None,
                                             "odds ratio infinite: log-scale interval undefined"))
    elif R_ == 0:
        orr["estimate"] = 0.0
        for lv in LEVELS:
            orr["intervals"].append(interval("robins-breslow-greenland", lv, None, None,
                                             "odds ratio 0: log-scale interval undefined"))
    else:
        est = float(st.oddsratio_pooled)
        if not close(est, float(R_ / S_), 1e-12):
            vcount("mhor_statsmodels_vs_exact", ident)
        orr["estimate"] = est
        for lv in LEVELS:
            tag = f"{round(lv * 100):02d}"
            lo, hi = st.oddsratio_pooled_confint(alpha=ALPHA[lv])
            lo, hi = float(lo), float(hi)
            if len(usable) >= 2:
                if not (close(r.get(f"mhor_est_{tag}"), est, 1e-10) and close(r.get(f"mhor_lo_{tag}"), lo, 1e-9)
                        and close(r.get(f"mhor_hi_{tag}"), hi, 1e-9)):
                    vcount("mhor_R_disagree", ident + [lv, [est, lo, hi], [r.get(f"mhor_est_{tag}"),
                                                                          r.get(f"mhor_lo_{tag}"),
                                                                          r.get(f"mhor_hi_{tag}")]])
            orr["intervals"].append(interval("robins-breslow-greenland", lv, lo, hi))
    out["odds_ratio"] = orr
    # MH risk difference: formula (Greenland-Robins 1985 variance; Sato 1989 as an extra), checked against epiR
    W = sum(Fraction(s[1] * s[3], s[1] + s[3]) for s in contributing)
    num = sum(Fraction(s[0] * s[3] - s[2] * s[1], s[1] + s[3]) for s in contributing)
    rd = num / W
    v_gr = sum(Fraction(s[1] * s[3], s[1] + s[3]) ** 2 *
               (Fraction(s[0] * (s[1] - s[0]), s[1] ** 3) + Fraction(s[2] * (s[3] - s[2]), s[3] ** 3))
               for s in contributing) / W**2
    P_ = sum(Fraction(s[1] ** 2 * s[2] - s[3] ** 2 * s[0] + Fraction(s[1] * s[3] * (s[3] - s[1]), 2),
                      (s[1] + s[3]) ** 2) for s in contributing)
    Q_ = sum(Fraction(s[0] * (s[3] - s[2]) + s[2] * (s[1] - s[0]), 2 * (s[1] + s[3])) for s in contributing)
    v_sato = (rd * P_ + Q_) / W**2
    rdo = {"estimate": float(rd), "intervals": []}
    for lv in LEVELS:
        tag = f"{round(lv * 100):02d}"
        z = z_float(lv)
        for mth, v in (("greenland-robins", v_gr), ("sato", v_sato)):
            se = math.sqrt(float(v)) if v >= 0 else float("nan")
            lo, hi = float(rd) - z * se, float(rd) + z * se
            note = None
            if v < 0:
                note = "variance estimate negative: interval undefined"
                lo = hi = None
            elif v == 0:
                note = "variance estimate 0: degenerate interval"
            rk = "gr" if mth == "greenland-robins" else "sato"
            if lo is not None:
                if not (close(r.get(f"{rk}_est_{tag}"), float(rd), 1e-10, 1e-14) and
                        close(r.get(f"{rk}_lo_{tag}"), lo, 1e-10, 1e-14) and
                        close(r.get(f"{rk}_hi_{tag}"), hi, 1e-10, 1e-14)):
                    vcount(f"mhrd_{rk}_epiR_disagree", ident + [lv, [float(rd), lo, hi],
                                                                [r.get(f"{rk}_est_{tag}"), r.get(f"{rk}_lo_{tag}"),
                                                                 r.get(f"{rk}_hi_{tag}")]])
            e = interval(mth, lv, lo, hi, note)
            e["se"] = se if v >= 0 else None
            rdo["intervals"].append(e)
    out["risk_difference"] = rdo
    return out


# ----------------------------------------------------------------------------------------------------------


def generator_info(rv):
    return {
        "script": "tools/refgen/gen_two_proportions.py (+ tools/refgen/two_proportions.R)",
        "seeds": {"tables": SEED_TABLES, "strata": SEED_STRATA},
        "python": platform.python_version(),
        "numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__,
        "mpmath": mpmath.__version__, "mpmath_dps": mp.dps,
        **rv,
    }


def dump(path, obj):
    """One case per line: readable diffs, small files."""
    cases = obj.pop("cases")
    head = json.dumps(obj, indent=1, sort_keys=False, allow_nan=False)
    body = ",\n".join("  " + json.dumps(c, sort_keys=False, allow_nan=False, separators=(",", ":")) for c in cases)
    text = head[:-2] + ',\n "cases": [\n' + body + "\n ]\n}\n"
    json.loads(text)
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default=OUT_DIR)
    ap.add_argument("--limit", type=int, default=0, help="only the first N tables (for a quick try)")
    ap.add_argument("--strata-cases", type=int, default=N_STRATA_CASES,
                    help=f"number of stratified cases (default {N_STRATA_CASES}; the first 200 never change)")
    ap.add_argument("--only-cmh", action="store_true",
                    help="write only two_proportions_cmh.json (two_proportions.json is not touched)")
    args = ap.parse_args()

    tables = [] if args.only_cmh else build_tables()
    if args.limit:
        tables = tables[: args.limit]
    strata_cases = build_strata(args.strata_cases)
    strata_rows = []
    for c in strata_cases:
        for s in c["strata"]:
            if s[1] + s[3] >= 2:
                strata_rows.append([c["id"], *s])
    with tempfile.TemporaryDirectory(prefix="two_prop_") as wd:
        r_tab, r_str = run_r(tables, strata_rows, wd)
    rv = r_versions()

    cases = []
    for i, c in enumerate(tables):
        cases.append(one_table(c, r_tab[c["id"]]))
        if (i + 1) % 100 == 0:
            print(f"  {i + 1}/{len(tables)} tables", file=sys.stderr)
    cmh = [cmh_case(c, r_str.get(c["id"], {})) for c in strata_cases]

    tolerances = {
        "risk_difference": {"wald": {"rel": 1e-9, "abs": 1e-12}, "wald-cc": {"rel": 1e-9, "abs": 1e-12},
                            "newcombe": {"rel": 1e-9, "abs": 1e-12}, "agresti-caffo": {"rel": 1e-9, "abs": 1e-12},
                            "miettinen-nurminen": {"rel": 1e-9, "abs": 1e-12}},
        "risk_ratio": {"katz-log": {"rel": 1e-9, "abs": 1e-300}, "koopman": {"rel": 1e-9, "abs": 1e-300}},
        "odds_ratio": {"woolf": {"rel": 1e-9, "abs": 1e-300}, "exact-conditional": {"rel": 1e-9, "abs": 1e-300},
                       "mid-p": {"rel": 1e-9, "abs": 1e-300}},
        "tests": {"chi2": {"rel": 1e-9, "abs": 1e-15}, "chi2-yates": {"rel": 1e-9, "abs": 1e-15},
                  "fisher": {"rel": 1e-9, "abs": 1e-15},
                  "barnard": {"rel": 1e-6, "abs": 1e-15, "approximate": True, "compare_to": "p_value_grid_1024"},
                  "boschloo": {"rel": 1e-6, "abs": 1e-15, "approximate": True, "compare_to": "p_value_grid_1024"}},
        "rule": "|actual - expected| <= max(abs, rel * |expected|); see README_two_proportions.md",
    }
    conventions = {
        "table": "[[x1, n1 - x1], [x2, n2 - x2]]: rows are groups, first column is events",
        "difference": "group 1 minus group 2", "ratios": "group 1 over group 2",
        "levels": list(LEVELS),
        "null": "a limit or statistic that is undefined or infinite is null and the entry has a note",
        "fisher": "two-sided, sums tables with probability <= P(observed) * (1 + 1e-7) as R and scipy",
        "barnard_boschloo": (f"scipy, two-sided, n={BARNARD_GRID} grid points on the nuisance parameter then a local "
                             f"optimiser (approximate: the supremum may be underestimated); only tables with n1, n2 <= "
                             f"{BARNARD_MAX_N}; p_value_grid_1024 is the same with n=1024"),
        "wald_intervals": "not truncated to [-1, 1]",
    }
    os.makedirs(args.out_dir, exist_ok=True)
    val_tables = {k: v for k, v in VALIDATION.items()}
    gen = generator_info(rv)
    if not args.only_cmh:
        dump(os.path.join(args.out_dir, "two_proportions.json"),
             {"generator": gen, "conventions": conventions, "tolerances": tolerances,
              "validation": {k: v for k, v in val_tables.items() if not k.startswith(("cmh", "mhor", "mhrd"))},
              "cases": cases})
    dump(os.path.join(args.out_dir, "two_proportions_cmh.json"),
         {"generator": gen,
          "conventions": {"table": conventions["table"], "levels": list(LEVELS),
                          "strata": "a stratum with an empty arm carries no Mantel-Haenszel weight; strata with "
                                    "N_k < 2 are removed before calling statsmodels and R (identical result)",
                          "cmh-cc": "continuity correction 1/2 applied only when |sum(a - E a)| >= 1/2 (R rule)",
                          "null": conventions["null"]},
          "tolerances": {"rel": 1e-9, "abs": 1e-12},
          "validation": {k: v for k, v in VALIDATION.items() if k.startswith(("cmh", "mhor", "mhrd"))},
          "cases": cmh})
    print(json.dumps(VALIDATION, indent=1, default=str))
    print(f"{len(cases)} tables, {len(cmh)} stratified cases written to {args.out_dir}")


if __name__ == "__main__":
    main()
