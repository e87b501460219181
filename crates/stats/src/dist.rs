//! Distributions: CDFs, survival functions and quantiles of the normal, Student t,
//! chi-square, F, beta, binomial and hypergeometric distributions.
//!
//! Quantiles are found by safeguarded Newton iteration on the CDF (or its complement in the
//! upper half, so no accuracy is lost to `1 − p`). Accuracy is checked against mpmath/scipy in
//! `tests/distributions.rs`.

use crate::special::{beta_inc_pair, beta_inc_xy, dbinom_raw, erfc, gamma_inc_pair, ln_beta, ln_gamma};
use std::f64::consts::{PI, SQRT_2};

/// Standard normal CDF Φ(x).
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / SQRT_2)
}

/// Standard normal survival function 1 − Φ(x).
pub fn norm_sf(x: f64) -> f64 {
    0.5 * erfc(x / SQRT_2)
}

/// Standard normal density.
pub fn norm_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * PI).sqrt()
}

/// Standard normal quantile Φ⁻¹(p) for 0 < p < 1 (±∞ at 0 and 1, NaN outside).
pub fn norm_ppf(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    if p > 0.5 {
        // 1 − p is exact for p ≥ 0.5.
        return -norm_ppf(1.0 - p);
    }
    // Acklam's rational approximation, then Halley steps on the accurate CDF.
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    let mut x = if p < 0.024_25 {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    for _ in 0..3 {
        let e = norm_cdf(x) - p;
        let u = e / norm_pdf(x);
        if !u.is_finite() {
            break;
        }
        x -= u / (1.0 + x * u / 2.0);
    }
    x
}

/// Solve `f(x) = target` for x in [lo, hi] where f is increasing, with `df` its derivative:
/// Newton steps kept inside a shrinking bracket; a bisection step whenever Newton leaves the
/// bracket or the bracket failed to halve over the last two steps. Stops when the bracket is
/// as narrow as f64 allows.
fn solve_increasing(mut lo: f64, mut hi: f64, target: f64, f: impl Fn(f64) -> f64, df: impl Fn(f64) -> f64) -> f64 {
    let mut x = 0.5 * (lo + hi);
    let mut width_before = hi - lo;
    for it in 0..2000 {
        let fx = f(x) - target;
        if fx == 0.0 {
            return x;
        }
        if fx < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let width = hi - lo;
        if width <= 4.0 * f64::EPSILON * lo.abs().max(hi.abs()) || width <= f64::MIN_POSITIVE {
            return 0.5 * (lo + hi);
        }
        let d = df(x);
        let newton = if d > 0.0 && d.is_finite() { x - fx / d } else { f64::NAN };
        let stalled = it % 2 == 1 && width > 0.5 * width_before;
        if it % 2 == 1 {
            width_before = width;
        }
        x = if !stalled && newton > lo && newton < hi {
            newton
        } else if lo > 0.0 && hi / lo > 4.0 {
            (lo * hi).sqrt()
        } else {
            0.5 * (lo + hi)
        };
    }
    x
}

/// Golden-section search for a maximum of `f` on [a, b] until the bracket is narrower than
/// `tol`: the two last interior points and their values, ((c, f(c)), (d, f(d))).
pub(crate) fn golden_max(mut f: impl FnMut(f64) -> f64, mut a: f64, mut b: f64, tol: f64) -> ((f64, f64), (f64, f64)) {
    let g = 0.5 * (5f64.sqrt() - 1.0);
    let (mut c, mut d) = (b - g * (b - a), a + g * (b - a));
    let (mut fc, mut fd) = (f(c), f(d));
    while b - a > tol {
        if fc >= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    ((c, fc), (d, fd))
}

/// Solve g(t) = target for t in (lo, hi), g increasing, by plain bisection to the resolution
/// of f64 (for functions without a convenient derivative).
pub(crate) fn bisect(mut lo: f64, mut hi: f64, target: f64, g: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..2000 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if g(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Beta(a, b) CDF.
pub fn beta_cdf(x: f64, a: f64, b: f64) -> f64 {
    beta_inc_pair(a, b, x).0
}

/// Beta(a, b) survival function.
pub fn beta_sf(x: f64, a: f64, b: f64) -> f64 {
    beta_inc_pair(a, b, x).1
}

fn beta_pdf(x: f64, a: f64, b: f64) -> f64 {
    ((a - 1.0) * x.ln() + (b - 1.0) * (-x).ln_1p() - ln_beta(a, b)).exp()
}

/// Solve I_x(a, b) = p for ln x (quantiles down to the smallest double keep their relative
/// precision).
fn beta_lower_quantile(p: f64, a: f64, b: f64) -> f64 {
    let u = solve_increasing(
        f64::MIN_POSITIVE.ln(),
        0.0,
        p,
        |u| beta_cdf(u.exp(), a, b),
        |u| beta_pdf(u.exp(), a, b) * u.exp(),
    );
    u.exp()
}

/// The Beta(a, b) quantile x and 1 − x, each to its own relative precision.
pub fn beta_ppf_pair(p: f64, a: f64, b: f64) -> (f64, f64) {
    if !(0.0..=1.0).contains(&p) || a <= 0.0 || b <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    if p == 0.0 {
        return (0.0, 1.0);
    }
    if p == 1.0 {
        return (1.0, 0.0);
    }
    // 1 − x rounds badly only when x is within 1e-3 of 1; then 1 − x is solved for directly
    // from the complement 1 − I_x(a, b) = I_{1−x}(b, a) (and symmetrically for x near 0).
    const NEAR: f64 = 0.999;
    if p <= 0.5 {
        let x = beta_lower_quantile(p, a, b);
        // (When p is tiny, 1 − p is 1 and says nothing: keep x.)
        if x <= NEAR || p < 1e-10 {
            return (x, 1.0 - x);
        }
        let y = beta_lower_quantile(1.0 - p, b, a);
        return (1.0 - y, y);
    }
    let y = beta_lower_quantile(1.0 - p, b, a);
    if y <= NEAR {
        return (1.0 - y, y);
    }
    let x = beta_lower_quantile(p, a, b);
    (x, 1.0 - x)
}

/// Beta(a, b) quantile.
pub fn beta_ppf(p: f64, a: f64, b: f64) -> f64 {
    beta_ppf_pair(p, a, b).0
}

/// Student t CDF with `df` degrees of freedom (df > 0, not necessarily whole).
pub fn t_cdf(t: f64, df: f64) -> f64 {
    // x = df / (df + t²) and 1 − x = t² / (df + t²), without overflow for huge |t|.
    let (x, y) = if t.abs() > 1e150 {
        (df / t.abs() / t.abs(), 1.0)
    } else {
        let t2 = t * t;
        (df / (df + t2), t2 / (df + t2))
    };
    let tail = if x < 1e-280 && t.is_finite() {
        // Far tail: I_x(a, ½) = x^a / (a B(a, ½)) (1 + O(x)), in logs (x may underflow).
        let a = 0.5 * df;
        let ln_x = df.ln() - 2.0 * t.abs().ln();
        0.5 * (a * ln_x - a.ln() - ln_beta(a, 0.5)).exp()
    } else {
        0.5 * beta_inc_xy(0.5 * df, 0.5, x, y).0
    };
    if t < 0.0 {
        tail
    } else {
        1.0 - tail
    }
}

/// Student t survival function.
pub fn t_sf(t: f64, df: f64) -> f64 {
    t_cdf(-t, df)
}

/// Student t quantile.
pub fn t_ppf(p: f64, df: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || df <= 0.0 {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    let (tail, sign) = if p < 0.5 { (p, -1.0) } else { (1.0 - p, 1.0) };
    // P(T < −t) = ½ I_x(df/2, ½) with x = df / (df + t²), so t² = df (1 − x) / x.
    let a = 0.5 * df;
    // Far tail: invert the leading term x^a / (a B(a, ½)) in logs (x may be below 1e-308).
    let ln_x = ((2.0 * tail).ln() + a.ln() + ln_beta(a, 0.5)) / a;
    if ln_x < -600.0 {
        return sign * (df.ln() - ln_x).mul_add(0.5, 0.0).exp();
    }
    let (x, y) = beta_ppf_pair(2.0 * tail, a, 0.5);
    if x == 0.0 {
        return sign * f64::INFINITY;
    }
    sign * (df * y / x).sqrt()
}

/// Chi-square CDF.
pub fn chi2_cdf(x: f64, df: f64) -> f64 {
    gamma_inc_pair(0.5 * df, 0.5 * x.max(0.0)).0
}

/// Chi-square survival function.
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    gamma_inc_pair(0.5 * df, 0.5 * x.max(0.0)).1
}

fn chi2_pdf(x: f64, df: f64) -> f64 {
    let k = 0.5 * df;
    ((k - 1.0) * x.ln() - 0.5 * x - k * 2f64.ln() - ln_gamma(k)).exp()
}

/// Chi-square quantile.
pub fn chi2_ppf(p: f64, df: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || df <= 0.0 {
        return f64::NAN;
    }
    if p == 0.0 {
        return 0.0;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    // Bracket on the tail that is being solved (the CDF rounds to 1 before the upper quantile).
    let mut hi = df.max(1.0);
    while if p <= 0.5 { chi2_cdf(hi, df) < p } else { chi2_sf(hi, df) > 1.0 - p } {
        hi *= 2.0;
    }
    if p <= 0.5 {
        // In ln x, so tiny quantiles keep their relative precision.
        solve_increasing(
            f64::MIN_POSITIVE.ln(),
            hi.ln(),
            p,
            |u| chi2_cdf(u.exp(), df),
            |u| chi2_pdf(u.exp(), df) * u.exp(),
        )
        .exp()
    } else {
        solve_increasing(0.0, hi, -(1.0 - p), |x| -chi2_sf(x, df), |x| chi2_pdf(x, df))
    }
}

/// F(d1, d2) CDF.
pub fn f_cdf(x: f64, d1: f64, d2: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let s = d1 * x + d2;
    beta_inc_xy(0.5 * d1, 0.5 * d2, d1 * x / s, d2 / s).0
}

/// F(d1, d2) survival function.
pub fn f_sf(x: f64, d1: f64, d2: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let s = d1 * x + d2;
    beta_inc_xy(0.5 * d1, 0.5 * d2, d1 * x / s, d2 / s).1
}

/// F(d1, d2) quantile.
pub fn f_ppf(p: f64, d1: f64, d2: f64) -> f64 {
    let (x, y) = beta_ppf_pair(p, 0.5 * d1, 0.5 * d2);
    if y <= 0.0 {
        return f64::INFINITY;
    }
    d2 * x / (d1 * y)
}

/// ln C(n, k).
pub fn ln_choose(n: u64, k: u64) -> f64 {
    ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
}

/// Binomial(n, p) probability of k.
pub fn binom_pmf(k: u64, n: u64, p: f64) -> f64 {
    if k > n {
        return 0.0;
    }
    if p == 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    if p == 1.0 {
        return if k == n { 1.0 } else { 0.0 };
    }
    dbinom_raw(k as f64, n as f64, p, 1.0 - p)
}

/// Binomial(n, p) P(X ≤ k).
pub fn binom_cdf(k: u64, n: u64, p: f64) -> f64 {
    if k >= n {
        return 1.0;
    }
    // P(X ≤ k) = I_{1−p}(n − k, k + 1) = 1 − I_p(k + 1, n − k).
    beta_inc_pair(k as f64 + 1.0, (n - k) as f64, p).1
}

/// Binomial(n, p) P(X > k).
pub fn binom_sf(k: u64, n: u64, p: f64) -> f64 {
    if k >= n {
        return 0.0;
    }
    beta_inc_pair(k as f64 + 1.0, (n - k) as f64, p).0
}

/// Hypergeometric probability of k successes in a sample of `draws` from a population of
/// `total` with `successes` successes (as R's `dhyper`, through binomial densities).
pub fn hypergeom_pmf(k: u64, total: u64, successes: u64, draws: u64) -> f64 {
    let lo = draws.saturating_sub(total - successes);
    let hi = draws.min(successes);
    if k < lo || k > hi {
        return 0.0;
    }
    if draws == 0 || draws == total {
        return 1.0;
    }
    let failures = (total - successes) as f64;
    let (p, q) = (draws as f64 / total as f64, (total - draws) as f64 / total as f64);
    let p1 = dbinom_raw(k as f64, successes as f64, p, q);
    let p2 = dbinom_raw((draws - k) as f64, failures, p, q);
    let p3 = dbinom_raw(draws as f64, total as f64, p, q);
    p1 * p2 / p3
}

/// Hypergeometric P(X ≤ k): the lower tail summed term by term (no complement, so a tiny
/// tail keeps its relative precision).
pub fn hypergeom_cdf(k: u64, total: u64, successes: u64, draws: u64) -> f64 {
    let lo = draws.saturating_sub(total - successes);
    let hi = draws.min(successes);
    if k >= hi {
        return 1.0;
    }
    if k < lo {
        return 0.0;
    }
    tail_sum(k, lo, total, successes, draws).min(1.0)
}

/// Hypergeometric P(X > k), summed term by term.
pub fn hypergeom_sf(k: u64, total: u64, successes: u64, draws: u64) -> f64 {
    let lo = draws.saturating_sub(total - successes);
    let hi = draws.min(successes);
    if k >= hi {
        return 0.0;
    }
    if k < lo {
        return 1.0;
    }
    tail_sum(k + 1, hi, total, successes, draws).min(1.0)
}

/// Σ pmf(i) over the range between `from` and `to` (either order), summed outward from its
/// largest term (the mode, or the end nearest to it) by the ratio of successive terms, so no
/// term is lost to underflow and the sum keeps its relative precision.
fn tail_sum(from: u64, to: u64, total: u64, successes: u64, draws: u64) -> f64 {
    let (lo, hi) = (from.min(to), from.max(to));
    let (big_k, n, big_n) = (successes as f64, draws as f64, total as f64);
    let mode = (((n + 1.0) * (big_k + 1.0) / (big_n + 2.0)).floor() as u64).clamp(lo, hi);
    let start = hypergeom_pmf(mode, total, successes, draws);
    let mut sum = start;
    // Upwards: pmf(x + 1) / pmf(x) = (K − x)(n − x) / ((x + 1)(N − K − n + x + 1)).
    let (mut term, mut i) = (start, mode);
    while i < hi {
        let x = i as f64;
        term *= (big_k - x) * (n - x) / ((x + 1.0) * (big_n - big_k - n + x + 1.0));
        i += 1;
        if term < sum * 1e-18 {
            break;
        }
        sum += term;
    }
    // Downwards: pmf(x − 1) / pmf(x) = x (N − K − n + x) / ((K − x + 1)(n − x + 1)).
    let (mut term, mut i) = (start, mode);
    while i > lo {
        let x = i as f64;
        term *= x * (big_n - big_k - n + x) / ((big_k - x + 1.0) * (n - x + 1.0));
        i -= 1;
        if term < sum * 1e-18 {
            break;
        }
        sum += term;
    }
    sum
}
