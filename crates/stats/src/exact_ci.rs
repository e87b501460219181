//! The exact unconditional confidence interval for a difference of proportions d = p1 − p2,
//! by inverting two one-sided exact tests on the score statistic (Chan & Zhang 1999; SAS
//! `RISKDIFF(CL=EXACT)`), defined as R exact2x2 `uncondExact2x2(method = "score",
//! tsmethod = "central")` computes it — see tools/refgen/EXACT_UNCONDITIONAL.md:
//!
//! * statistic: Z = (p̂1 − p̂2 − d)/√(p̃1(1 − p̃1)/n1 + p̃2(1 − p̃2)/n2) with the restricted
//!   (Farrington–Manning) maximum-likelihood p̃ under p1 − p2 = d, rounded as exact2x2 rounds
//!   (p̃ to 8 decimals, numerator and denominator to 10) so that equal statistics tie exactly;
//! * tails at d: Q(d) = sup over p2 of P(Z ≥ z_obs), P(d) = sup of P(Z ≤ z_obs), with
//!   p1 = p2 + d; the supremum by a 100-point grid refined by golden-section search around its
//!   best local maxima (the reference's own supremum is this, computed precisely);
//! * limits: the lower limit scans d over 500 equally spaced points from −1 upwards to the first
//!   with Q(d) > α/2, then bisects between it and the previous point on 2^20 + 1 points; the
//!   upper limit is the mirror image with P(d). This search is part of the definition: Q and P
//!   are not monotone in d, so another search can stop at another crossing.
//!
//! Each tail evaluation costs O(n1·n2); an interval needs a few hundred scan points with ~140
//! evaluations each, so it is meant for trial-sized arms (hundreds), not thousands.

use crate::dist::{binom_pmf, golden_max};
use crate::proportion::{Interval, StatsError};
use crate::two::TwoByTwo;

/// Scan points of d on [−1, 1] (exact2x2 `nCIgrid`).
const SCAN: usize = 500;
/// Bisection points between two scan points: 2^20 + 1 (exact2x2 `power2`).
const POWER2: u32 = 20;
/// Nuisance grid points (exact2x2 `nPgrid`), refined afterwards.
const NUISANCE_GRID: usize = 100;

/// R's `round(x, digits)` for the magnitudes here: nearest, ties away from zero.
fn round_to(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}

/// The score statistic of table (y1, y2) at d, rounded as exact2x2 rounds it.
fn score(y1: u64, n1: u64, y2: u64, n2: u64, d: f64) -> f64 {
    let (f1, f2) = (n1 as f64, n2 as f64);
    let (p1, p2) = (y1 as f64 / f1, y2 as f64 / f2);
    let theta = f2 / f1;
    let a = 1.0 + theta;
    let b = -(1.0 + theta + p1 + theta * p2 + d * (theta + 2.0));
    let c = d * d + d * (2.0 * p1 + theta + 1.0) + p1 + theta * p2;
    let e = -p1 * d * (1.0 + d);
    let v = b.powi(3) / (3.0 * a).powi(3) - b * c / (6.0 * a * a) + e / (2.0 * a);
    let s = b * b / (3.0 * a).powi(2) - c / (3.0 * a);
    let sign = if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    };
    let u = sign * s.max(0.0).sqrt();
    let t = if u == 0.0 && v == 0.0 { 1.0 } else { (v / u.powi(3)).clamp(-1.0, 1.0) };
    let w = (std::f64::consts::PI + t.acos()) / 3.0;
    let r1 = (2.0 * u * w.cos() - b / (3.0 * a)).max(d).min(1.0);
    let r2 = r1 - d;
    let r1 = round_to(r1, 8).clamp(0.0, 1.0);
    let r2 = round_to(r2, 8).clamp(0.0, 1.0);
    let num = round_to(p1 - p2 - d, 10);
    let se = round_to((r1 * (1.0 - r1) / f1 + r2 * (1.0 - r2) / f2).sqrt(), 10);
    if num == 0.0 && se == 0.0 {
        0.0
    } else {
        num / se
    }
}

/// Binomial probabilities b(y; n, p) for y = 0..=n (exact point masses at p = 0 and 1).
fn binomial(n: u64, p: f64, out: &mut Vec<f64>) {
    out.clear();
    out.resize(n as usize + 1, 0.0);
    if p <= 0.0 {
        out[0] = 1.0;
        return;
    }
    if p >= 1.0 {
        out[n as usize] = 1.0;
        return;
    }
    let nf = n as f64;
    let mode = (((nf + 1.0) * p).floor() as u64).min(n);
    out[mode as usize] = binom_pmf(mode, n, p);
    let odds = p / (1.0 - p);
    for y in mode..n {
        out[y as usize + 1] = out[y as usize] * (nf - y as f64) / (y as f64 + 1.0) * odds;
    }
    for y in (1..=mode).rev() {
        out[y as usize - 1] = out[y as usize] * y as f64 / ((nf - y as f64 + 1.0) * odds);
    }
}

/// The two tail regions at one d: for each y1, the y2 with Z ≥ z_obs (`upper`) and Z ≤ z_obs
/// (`lower`), as flags in row-major order.
struct Regions {
    n1: u64,
    n2: u64,
    upper: Vec<bool>,
    lower: Vec<bool>,
}

impl Regions {
    fn at(t: &TwoByTwo, d: f64) -> Regions {
        let observed = score(t.x1, t.n1, t.x2, t.n2, d);
        let cells = ((t.n1 + 1) * (t.n2 + 1)) as usize;
        let mut upper = Vec::with_capacity(cells);
        let mut lower = Vec::with_capacity(cells);
        for y1 in 0..=t.n1 {
            for y2 in 0..=t.n2 {
                let z = score(y1, t.n1, y2, t.n2, d);
                upper.push(z >= observed);
                lower.push(z <= observed);
            }
        }
        Regions { n1: t.n1, n2: t.n2, upper, lower }
    }
}

/// Scratch space for the tail probabilities.
struct Work {
    b1: Vec<f64>,
    b2: Vec<f64>,
}

/// P(region) at nuisance p2 with p1 = p2 + d.
fn tail(region: &[bool], r: &Regions, d: f64, p2: f64, w: &mut Work) -> f64 {
    let p1 = (p2 + d).clamp(0.0, 1.0);
    binomial(r.n1, p1, &mut w.b1);
    binomial(r.n2, p2.clamp(0.0, 1.0), &mut w.b2);
    let width = (r.n2 + 1) as usize;
    let mut total = 0.0;
    for (y1, &f1) in w.b1.iter().enumerate() {
        if f1 == 0.0 {
            continue;
        }
        let row = &region[y1 * width..(y1 + 1) * width];
        let s: f64 = row.iter().zip(&w.b2).filter(|(&inside, _)| inside).map(|(_, &f2)| f2).sum();
        total += f1 * s;
    }
    total
}

/// sup over p2 ∈ [max(0, −d), min(1, 1 − d)] of P(region): a grid of [`NUISANCE_GRID`]
/// points, then golden-section search (to 1e-10 in p2) around the three best local maxima.
fn supremum(region: &[bool], r: &Regions, d: f64, w: &mut Work) -> f64 {
    let (lo, hi) = ((-d).max(0.0), (1.0 - d).min(1.0));
    if hi <= lo {
        return tail(region, r, d, lo, w);
    }
    let step = (hi - lo) / (NUISANCE_GRID - 1) as f64;
    let values: Vec<f64> = (0..NUISANCE_GRID).map(|i| tail(region, r, d, lo + step * i as f64, w)).collect();
    let mut best = values.iter().copied().fold(0.0, f64::max);
    let mut peaks: Vec<usize> = (0..NUISANCE_GRID)
        .filter(|&i| {
            let left = if i > 0 { values[i - 1] } else { f64::NEG_INFINITY };
            let right = if i + 1 < NUISANCE_GRID { values[i + 1] } else { f64::NEG_INFINITY };
            values[i] > 0.0 && values[i] >= left && values[i] >= right
        })
        .collect();
    peaks.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    for &i in peaks.iter().take(3) {
        let (a, b) = (lo + step * i.saturating_sub(1) as f64, (lo + step * (i + 1) as f64).min(hi));
        let ((_, fc), (_, fe)) = golden_max(|p2| tail(region, r, d, p2, w), a, b, 1e-10);
        best = best.max(fc).max(fe);
    }
    best
}

/// Which tail a limit inverts.
#[derive(Clone, Copy)]
enum Side {
    /// Q(d) = sup P(Z ≥ z_obs): the lower limit.
    Upper,
    /// P(d) = sup P(Z ≤ z_obs): the upper limit.
    Lower,
}

/// Whether the tail's supremum at d exceeds `alpha_half` (the scan's acceptance test). A coarse
/// look first: when 17 nuisance points all stay below a quarter of α/2 the point is rejected
/// without the full supremum (the tails are smooth in p2 on that scale; the full reference
/// fixture agrees to 1e-7), otherwise the full supremum decides.
fn accepted(t: &TwoByTwo, d: f64, side: Side, alpha_half: f64, w: &mut Work) -> bool {
    let r = Regions::at(t, d);
    let region = match side {
        Side::Upper => &r.upper,
        Side::Lower => &r.lower,
    };
    let (lo, hi) = ((-d).max(0.0), (1.0 - d).min(1.0));
    let coarse = (0..17).map(|i| tail(region, &r, d, lo + (hi - lo) * i as f64 / 16.0, w)).fold(0.0, f64::max);
    if coarse > alpha_half {
        return true;
    }
    if coarse < alpha_half / 4.0 {
        return false;
    }
    supremum(region, &r, d, w) > alpha_half
}

/// The scan points: R's `seq(-1, 1, length.out = 500)`.
fn scan_point(i: usize) -> f64 {
    -1.0 + i as f64 * (2.0 / (SCAN - 1) as f64)
}

/// One limit: scan from the outside in, then bisect on 2^20 + 1 points.
fn limit(t: &TwoByTwo, alpha_half: f64, side: Side, w: &mut Work) -> f64 {
    let order: Vec<usize> = match side {
        Side::Upper => (0..SCAN).collect(),
        Side::Lower => (0..SCAN).rev().collect(),
    };
    let accepted = |d: f64, w: &mut Work| accepted(t, d, side, alpha_half, w);
    let mut previous: Option<f64> = None;
    for &i in &order {
        let d = scan_point(i);
        if accepted(d, w) {
            let Some(outside) = previous else { return d };
            // Integer bisection: points outside + k·(d − outside)/2^20, k = 0..=2^20, with
            // k = 0 rejected and k = 2^20 accepted.
            let (mut rejected, mut inside) = (0u64, 1u64 << POWER2);
            let at = |k: u64| outside + (d - outside) * k as f64 / (1u64 << POWER2) as f64;
            while inside - rejected > 1 {
                let mid = (rejected + inside) / 2;
                if accepted(at(mid), w) {
                    inside = mid;
                } else {
                    rejected = mid;
                }
            }
            return at(inside);
        }
        previous = Some(d);
    }
    // No scan point is accepted (cannot happen: the observed table's own difference always is).
    match side {
        Side::Upper => 1.0,
        Side::Lower => -1.0,
    }
}

/// The exact unconditional (score, central) interval of p1 − p2 at `level`.
pub fn exact_unconditional_ci(t: &TwoByTwo, level: f64) -> Result<Interval, StatsError> {
    if !(level > 0.0 && level < 1.0) {
        return Err(StatsError::Level(level));
    }
    let alpha_half = (1.0 - level) / 2.0;
    let mut w = Work { b1: Vec::new(), b2: Vec::new() };
    let low = limit(t, alpha_half, Side::Upper, &mut w);
    let high = limit(t, alpha_half, Side::Lower, &mut w);
    Ok(Interval { low, high })
}

/// The two-sided p-value of the same test at d = 0: min(1, 2·min(P(0), Q(0))).
pub fn exact_unconditional_p(t: &TwoByTwo) -> f64 {
    let mut w = Work { b1: Vec::new(), b2: Vec::new() };
    let r = Regions::at(t, 0.0);
    let q = supremum(&r.upper, &r, 0.0, &mut w);
    let p = supremum(&r.lower, &r, 0.0, &mut w);
    (2.0 * p.min(q)).min(1.0)
}
