//! Exact unconditional tests of a 2×2 table, two-sided, with the statistics of scipy's
//! `barnard_exact` (pooled Wald statistic) and `boschloo_exact` (Fisher's one-sided p-value).
//!
//! The p-value is the supremum over the nuisance parameter π of the probability of the
//! rejection region, P(π) = Σ_s a_s·C(N,s)·π^s·(1 − π)^(N−s), where a_s is the hypergeometric
//! probability of the region's tables among those with k1 + k2 = s. It is found in two steps:
//!
//! 1. a search: a grid of max(200, 10·√N) cells on [0, 1] and golden-section refinement (to
//!    1e-9 in π) around each grid local maximum, giving an attained value `p_value` (a lower
//!    bound of the supremum, never above it);
//! 2. a certificate: P is a polynomial whose Bernstein coefficients on [0, 1] are exactly the
//!    a_s, and on any piece of [0, 1] the largest Bernstein coefficient bounds P from above
//!    (convex hull property). A best-first branch and bound halves pieces by de Casteljau
//!    subdivision until every piece's bound is within [`CERTIFY_RTOL`] (relative, plus 1e-14
//!    absolute) of the best value attained, which the pieces' ends and middles may also raise.
//!    `p_upper` is the certified upper bound: the supremum lies in [`p_value`, `p_upper`] (each
//!    bound is inflated by 1e-12 relative to cover the rounding of the subdivisions).
//!
//! scipy (32 quasi-random points and a local optimiser) can only under-estimate the supremum;
//! on the reference fixture (scipy with 1,024 points) every p-value agrees to 1e-6.

use crate::dist::{golden_max, hypergeom_pmf, ln_choose};
use crate::two::TwoByTwo;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Relative tolerance of the certified upper bound.
pub const CERTIFY_RTOL: f64 = 1e-9;
/// Branch-and-bound pieces examined at most; beyond, the bound reached is reported uncertified.
const MAX_PIECES: usize = 20_000;

/// Result of an unconditional test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnconditionalTest {
    pub statistic: f64,
    /// The supremum as attained at `nuisance` (what scipy reports, found more thoroughly).
    pub p_value: f64,
    /// Certified upper bound of the supremum (≥ `p_value`).
    pub p_upper: f64,
    /// `p_upper` is within the stated tolerance of `p_value` ([`CERTIFY_RTOL`]).
    pub certified: bool,
    /// Where the supremum was attained.
    pub nuisance: f64,
}

/// The hypergeometric probabilities P(k1 | k1 + k2 = s) for k1 in lo..=hi, by the ratio of
/// successive terms outward from the mode, whose probability is computed accurately.
fn hypergeometric(t: &TwoByTwo, s: u64, out: &mut Vec<f64>) -> u64 {
    let (n1, n2) = (t.n1, t.n2);
    let lo = s.saturating_sub(n2);
    let hi = s.min(n1);
    out.clear();
    out.resize((hi - lo + 1) as usize, 0.0);
    let mode = (((s + 1) * (n1 + 1)) / (n1 + n2 + 2)).clamp(lo, hi);
    let i0 = (mode - lo) as usize;
    // The mode's probability accurately (saddle-point form); the rest by exact ratios.
    out[i0] = hypergeom_pmf(mode, n1 + n2, s, n1);
    // h(k + 1)/h(k) = (n1 − k)(s − k) / ((k + 1)(n2 − s + k + 1)).
    for k in mode..hi {
        let i = (k - lo) as usize;
        out[i + 1] = out[i] * ((n1 - k) * (s - k)) as f64 / ((k + 1) * (n2 + k + 1 - s)) as f64;
    }
    for k in (lo + 1..=mode).rev() {
        let i = (k - lo) as usize;
        out[i - 1] = out[i] * (k * (n2 + k - s)) as f64 / ((n1 - k + 1) * (s - k + 1)) as f64;
    }
    lo
}

/// The weights a_s from the region (`region[k1][k2]`).
fn weights(t: &TwoByTwo, region: &[Vec<bool>]) -> Vec<f64> {
    let total = t.n1 + t.n2;
    let mut pmf = Vec::new();
    (0..=total)
        .map(|s| {
            let lo = hypergeometric(t, s, &mut pmf);
            pmf.iter()
                .enumerate()
                .filter(|(i, _)| {
                    let k1 = lo + *i as u64;
                    region[k1 as usize][(s - k1) as usize]
                })
                .map(|(_, p)| p)
                .sum::<f64>()
                .min(1.0)
        })
        .collect()
}

/// P(π) = Σ_s w_s·b(s; N, π) evaluated by binomial terms outward from the mode, with the ratios
/// of successive terms precomputed (no division in the loops). A loop stops once the rest of its
/// tail is below 1e-17 of the sum (the terms fall faster than geometrically past the mode), so a
/// value is never above the exact one by more than rounding: the search only ever under-states
/// the supremum, and the certificate does not use these values.
struct Poly<'a> {
    w: &'a [f64],
    /// (N − s)/(s + 1) and s/(N − s + 1).
    up: Vec<f64>,
    down: Vec<f64>,
}

impl<'a> Poly<'a> {
    fn new(w: &'a [f64]) -> Poly<'a> {
        let nf = (w.len() - 1) as f64;
        let up = (0..w.len()).map(|s| (nf - s as f64) / (s as f64 + 1.0)).collect();
        let down = (0..w.len()).map(|s| s as f64 / (nf - s as f64 + 1.0)).collect();
        Poly { w, up, down }
    }

    fn at(&self, pi: f64) -> f64 {
        let weights = self.w;
        let total = (weights.len() - 1) as u64;
        if pi <= 0.0 {
            return weights[0];
        }
        if pi >= 1.0 {
            return weights[total as usize];
        }
        let nf = total as f64;
        let mode = ((nf + 1.0) * pi).floor().min(nf) as usize;
        let start = (ln_choose(total, mode as u64) + mode as f64 * pi.ln() + (nf - mode as f64) * (-pi).ln_1p()).exp();
        let odds = pi / (1.0 - pi);
        let inv = 1.0 / odds;
        let mut sum = start * weights[mode];
        let mut b = start;
        for s in mode..total as usize {
            let r = self.up[s] * odds;
            b *= r;
            sum += b * weights[s + 1];
            if r < 1.0 && b * r < 1e-17 * (1.0 - r) * sum || b == 0.0 {
                break;
            }
        }
        let mut b = start;
        for s in (1..=mode).rev() {
            let r = self.down[s] * inv;
            b *= r;
            sum += b * weights[s - 1];
            if r < 1.0 && b * r < 1e-17 * (1.0 - r) * sum || b == 0.0 {
                break;
            }
        }
        sum
    }
}

/// Grid and golden-section search: (best value, where).
fn search(weights: &[f64]) -> (f64, f64) {
    let total = weights.len() - 1;
    let poly = Poly::new(weights);
    let p_at = |pi: f64| poly.at(pi);
    // Grid: 200 cells, and more for large N (peaks narrow as 1/√N). A missed peak costs only
    // time: the certificate's pieces there stay open until their middles find it.
    let grid = ((total as f64).sqrt() * 10.0).max(200.0) as usize;
    let values: Vec<f64> = (0..=grid).map(|i| p_at(i as f64 / grid as f64)).collect();
    let (mut best, mut best_pi) = (f64::NEG_INFINITY, 0.0);
    for i in 0..=grid {
        let left = if i > 0 { values[i - 1] } else { f64::NEG_INFINITY };
        let right = if i < grid { values[i + 1] } else { f64::NEG_INFINITY };
        if values[i] < left || values[i] < right {
            continue;
        }
        // A grid local maximum: golden-section search on its neighbourhood. 1e-9 in π moves P
        // by ~N·P·1e-18: far below the certificate's slack.
        let (a, b) = ((i.saturating_sub(1)) as f64 / grid as f64, ((i + 1).min(grid)) as f64 / grid as f64);
        let ((c, fc), (d, fd)) = golden_max(p_at, a, b, 1e-9);
        for (v, pi) in [(values[i], i as f64 / grid as f64), (fc, c), (fd, d)] {
            if v > best {
                best = v;
                best_pi = pi;
            }
        }
    }
    (best, best_pi)
}

/// de Casteljau subdivision of Bernstein coefficients at `t` ∈ (0, 1): the coefficients on
/// the left and right parts. Two buffers alternate so the inner loop vectorises.
fn subdivide(coef: &[f64], t: f64) -> (Vec<f64>, Vec<f64>) {
    let n = coef.len() - 1;
    let mut left = vec![0.0; n + 1];
    let mut right = vec![0.0; n + 1];
    let mut cur = coef.to_vec();
    let mut next = vec![0.0; n + 1];
    left[0] = cur[0];
    right[n] = cur[n];
    let u = 1.0 - t;
    for (j, l) in left.iter_mut().enumerate().skip(1) {
        let m = n - j;
        if t == 0.5 {
            for (o, (a, b)) in next[..=m].iter_mut().zip(cur[..=m].iter().zip(&cur[1..=m + 1])) {
                *o = 0.5 * (a + b);
            }
        } else {
            for (o, (a, b)) in next[..=m].iter_mut().zip(cur[..=m].iter().zip(&cur[1..=m + 1])) {
                *o = u * a + t * b;
            }
        }
        std::mem::swap(&mut cur, &mut next);
        *l = cur[0];
        right[m] = cur[m];
    }
    (left, right)
}

/// A piece [lo, hi] of [0, 1] with P's Bernstein coefficients on it; `bound` is the largest.
struct Piece {
    bound: f64,
    lo: f64,
    hi: f64,
    coef: Vec<f64>,
}

impl PartialEq for Piece {
    fn eq(&self, other: &Self) -> bool {
        self.bound == other.bound
    }
}
impl Eq for Piece {}
impl PartialOrd for Piece {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Piece {
    fn cmp(&self, other: &Self) -> Ordering {
        self.bound.total_cmp(&other.bound)
    }
}

fn piece(lo: f64, hi: f64, coef: Vec<f64>) -> Piece {
    // The coefficients carry the rounding of the subdivisions (convex combinations, each
    // within a few ulps): 1e-12 relative covers it.
    let bound = coef.iter().copied().fold(0.0, f64::max) * (1.0 + 1e-12);
    Piece { bound, lo, hi, coef }
}

/// Certify the supremum by a best-first branch and bound on P's Bernstein coefficients,
/// starting from the attained `best` at `best_pi`. Returns (attained value, where, certified
/// upper bound, certified).
fn certify(weights: &[f64], mut best: f64, mut best_pi: f64) -> (f64, f64, f64, bool) {
    let n = weights.len() - 1;
    let slack = |best: f64| best * CERTIFY_RTOL + 1e-14;
    let mut heap = BinaryHeap::new();
    heap.push(piece(0.0, 1.0, weights.to_vec()));
    let mut upper: f64 = best;
    let mut pieces = 0;
    while let Some(top) = heap.pop() {
        if top.bound <= best + slack(best) {
            // Every remaining piece has a smaller bound.
            upper = upper.max(top.bound);
            return (best, best_pi, upper, true);
        }
        pieces += 1;
        if pieces > MAX_PIECES {
            return (best, best_pi, top.bound, false);
        }
        // Values at the ends are exact: the first and last coefficients.
        for (v, pi) in [(top.coef[0], top.lo), (top.coef[n], top.hi)] {
            if v > best {
                best = v;
                best_pi = pi;
            }
        }
        let (left, right) = subdivide(&top.coef, 0.5);
        let mid = 0.5 * (top.lo + top.hi);
        if left[n] > best {
            best = left[n];
            best_pi = mid;
        }
        for p in [piece(top.lo, mid, left), piece(mid, top.hi, right)] {
            if p.bound > best + slack(best) {
                heap.push(p);
            } else {
                upper = upper.max(p.bound);
            }
        }
    }
    (best, best_pi, upper, true)
}

fn supremum(t: &TwoByTwo, region: &[Vec<bool>]) -> (f64, f64, f64, bool) {
    let w = weights(t, region);
    let (best, pi) = search(&w);
    let (p, pi, upper, certified) = certify(&w, best, pi);
    (p.clamp(0.0, 1.0), pi, upper.clamp(0.0, 1.0), certified)
}

/// Barnard's test with the pooled Wald statistic, two-sided, as scipy `barnard_exact`.
pub fn barnard(t: &TwoByTwo) -> UnconditionalTest {
    let (n1, n2) = (t.n1 as f64, t.n2 as f64);
    // The statistic exactly as scipy computes it, so ties fall the same way.
    let wald = |k1: u64, k2: u64| -> f64 {
        let (p1, p2) = (k1 as f64 / n1, k2 as f64 / n2);
        if p1 == p2 {
            return 0.0;
        }
        let p = (k1 + k2) as f64 / (n1 + n2);
        let var = p * (1.0 - p) * (1.0 / n1 + 1.0 / n2);
        (p1 - p2) / var.sqrt()
    };
    let observed = wald(t.x1, t.x2);
    let region: Vec<Vec<bool>> =
        (0..=t.n1).map(|k1| (0..=t.n2).map(|k2| wald(k1, k2).abs() >= observed.abs()).collect()).collect();
    let (p, pi, p_upper, certified) = supremum(t, &region);
    UnconditionalTest { statistic: observed, p_value: p, p_upper, certified, nuisance: pi }
}

/// Boschloo's test, two-sided as scipy `boschloo_exact`: twice the smaller of the one-sided
/// p-values (capped at 1); the statistic is that side's Fisher p-value.
pub fn boschloo(t: &TwoByTwo) -> UnconditionalTest {
    let total = t.n1 + t.n2;
    // less[k1][k2] = P(X ≤ k1 | k1 + k2), greater[k1][k2] = P(X ≥ k1 | k1 + k2), X ~ hypergeometric.
    let mut less = vec![vec![0.0; (t.n2 + 1) as usize]; (t.n1 + 1) as usize];
    let mut greater = less.clone();
    let mut pmf = Vec::new();
    for s in 0..=total {
        // The tail sums decide ties at the observed value to 1e-13, as scipy's do: the mode's
        // probability is computed accurately and the rest by ratios (~1e-14 relative).
        let lo = hypergeometric(t, s, &mut pmf);
        let hi = s.min(t.n1);
        let mut acc = 0.0;
        for (i, k1) in (lo..=hi).enumerate() {
            acc += pmf[i];
            less[k1 as usize][(s - k1) as usize] = acc.min(1.0);
        }
        let mut acc = 0.0;
        for (i, p) in pmf.iter().enumerate().rev() {
            let k1 = lo + i as u64;
            acc += p;
            greater[k1 as usize][(s - k1) as usize] = acc.min(1.0);
        }
    }
    let side = |stat: &Vec<Vec<f64>>| {
        let observed = stat[t.x1 as usize][t.x2 as usize];
        let region: Vec<Vec<bool>> =
            stat.iter().map(|row| row.iter().map(|&v| v <= observed * (1.0 + 1e-13)).collect()).collect();
        let sup = supremum(t, &region);
        (observed, sup)
    };
    let (s_less, less_sup) = side(&less);
    let (s_greater, greater_sup) = side(&greater);
    let (statistic, (p, nuisance, upper, certified)) =
        if less_sup.0 < greater_sup.0 { (s_less, less_sup) } else { (s_greater, greater_sup) };
    // The smaller side's certified upper bound, and the other side's attained value can only
    // lower min(sup_less, sup_greater): the minimum lies in [p, min(upper_less, upper_greater)].
    let upper = upper.min(if less_sup.0 < greater_sup.0 { greater_sup.2 } else { less_sup.2 }).max(p);
    UnconditionalTest { statistic, p_value: (2.0 * p).min(1.0), p_upper: (2.0 * upper).min(1.0), certified, nuisance }
}
