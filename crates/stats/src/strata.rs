//! Stratified 2×2 tables: the Cochran–Mantel–Haenszel test, and the Mantel–Haenszel common
//! odds ratio (Robins–Breslow–Greenland CI) and common risk difference (Greenland–Robins CI).
//! Strata with fewer than two subjects carry no information and are skipped.

use crate::dist::chi2_sf;
use crate::proportion::{Interval, StatsError};
use crate::two::{z_of, Estimate, TwoByTwo};

/// The CMH test of no association in any stratum: (statistic, p-value), 1 degree of freedom.
/// `None` when no stratum has a variance (every stratum has a zero margin).
pub fn cmh_test(strata: &[TwoByTwo], continuity: bool) -> Option<(f64, f64)> {
    let (mut dev, mut var) = (0.0, 0.0);
    for t in strata {
        let (a, b, c, d) = t.cells();
        let n = a + b + c + d;
        if n < 2.0 {
            continue;
        }
        let (r1, r2, c1, c2) = (a + b, c + d, a + c, b + d);
        dev += a - r1 * c1 / n;
        var += r1 * r2 * c1 * c2 / (n * n * (n - 1.0));
    }
    if var <= 0.0 {
        return None;
    }
    // As R's mantelhaen.test: the ½ correction only when |Σ(a − E a)| ≥ ½ — decided exactly
    // (the deviations are rationals), where R's floating-point sum can land just below ½ when
    // it is exactly ½ and skip the correction.
    let corrected = continuity && exact_at_least_half(strata).unwrap_or(dev.abs() >= 0.5);
    let num = if corrected { dev.abs() - 0.5 } else { dev.abs() };
    let stat = num * num / var;
    Some((stat, chi2_sf(stat, 1.0)))
}

/// |Σ(a − E a)| ≥ ½ in exact rational arithmetic: Σ (a·N − r1·c1)/N over the strata with N ≥ 2,
/// summed as one reduced fraction in i128. `None` if the common denominator overflows (many
/// large strata with coprime sizes); the caller then decides in floating point.
fn exact_at_least_half(strata: &[TwoByTwo]) -> Option<bool> {
    fn gcd(mut a: i128, mut b: i128) -> i128 {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a.abs()
    }
    let (mut num, mut den): (i128, i128) = (0, 1);
    for t in strata {
        let (a, n1, x2, n2) = (t.x1 as i128, t.n1 as i128, t.x2 as i128, t.n2 as i128);
        let n = n1 + n2;
        if n < 2 {
            continue;
        }
        let (r1, c1) = (n1, a + x2);
        let (p, q) = (a * n - r1 * c1, n);
        // num/den + p/q
        let g = gcd(den, q);
        let l = den.checked_mul(q / g)?;
        num = num.checked_mul(l / den)?.checked_add(p.checked_mul(l / q)?)?;
        den = l;
        let h = gcd(num, den).max(1);
        num /= h;
        den /= h;
    }
    // |num/den| ≥ 1/2  ⇔  2·|num| ≥ den.
    Some(num.checked_abs()?.checked_mul(2)? >= den)
}

/// The Mantel–Haenszel common odds ratio and its Robins–Breslow–Greenland interval.
pub fn mh_odds_ratio(strata: &[TwoByTwo], level: f64) -> Result<(Option<f64>, Estimate), StatsError> {
    let z = z_of(level)?;
    let (mut sr, mut ss, mut spr, mut sps_qr, mut sqs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for t in strata {
        let (a, b, c, d) = t.cells();
        let n = a + b + c + d;
        if n < 2.0 {
            continue;
        }
        let (p, q, r, s) = ((a + d) / n, (b + c) / n, a * d / n, b * c / n);
        sr += r;
        ss += s;
        spr += p * r;
        sps_qr += p * s + q * r;
        sqs += q * s;
    }
    if sr == 0.0 || ss == 0.0 {
        let why = "the Mantel–Haenszel odds ratio is 0 or infinite (no discordant pairs on one side)";
        return Ok(((ss > 0.0).then_some(0.0), Estimate::Undefined(why)));
    }
    let or = sr / ss;
    let var = spr / (2.0 * sr * sr) + sps_qr / (2.0 * sr * ss) + sqs / (2.0 * ss * ss);
    let se = var.sqrt();
    Ok((Some(or), Estimate::Interval(Interval { low: or * (-z * se).exp(), high: or * (z * se).exp() })))
}

/// The Mantel–Haenszel common risk difference (weights n1·n2/N) and its Greenland–Robins interval.
pub fn mh_risk_difference(strata: &[TwoByTwo], level: f64) -> Result<(Option<f64>, Estimate), StatsError> {
    let z = z_of(level)?;
    let (mut num, mut den, mut var_num) = (0.0, 0.0, 0.0);
    for t in strata {
        let (a, b, c, d) = t.cells();
        let (n1, n2) = (a + b, c + d);
        if n1 == 0.0 || n2 == 0.0 {
            continue;
        }
        let n = n1 + n2;
        let w = n1 * n2 / n;
        num += w * (a / n1 - c / n2);
        den += w;
        var_num += (a * b * n2.powi(3) + c * d * n1.powi(3)) / (n1 * n2 * n * n);
    }
    if den == 0.0 {
        return Ok((None, Estimate::Undefined("no stratum has subjects in both groups")));
    }
    let rd = num / den;
    let se = var_num.sqrt() / den;
    Ok((Some(rd), Estimate::Interval(Interval { low: rd - z * se, high: rd + z * se })))
}

/// The Mantel–Haenszel common risk difference with Sato's (1989) variance,
/// (d·ΣP + ΣQ)/(Σw)² with P = (n1²·x2 − n2²·x1 + n1·n2·(n2 − n1)/2)/N² and
/// Q = (x1·(n2 − x2) + x2·(n1 − x1))/(2N), as epiR.
pub fn mh_risk_difference_sato(strata: &[TwoByTwo], level: f64) -> Result<(Option<f64>, Estimate), StatsError> {
    let z = z_of(level)?;
    let (mut num, mut den, mut sp, mut sq) = (0.0, 0.0, 0.0, 0.0);
    for t in strata {
        let (a, b, c, d) = t.cells();
        let (n1, n2) = (a + b, c + d);
        if n1 == 0.0 || n2 == 0.0 {
            continue;
        }
        let n = n1 + n2;
        num += (a * n2 - c * n1) / n;
        den += n1 * n2 / n;
        sp += (n1 * n1 * c - n2 * n2 * a + n1 * n2 * (n2 - n1) / 2.0) / (n * n);
        sq += (a * d + c * b) / (2.0 * n);
    }
    if den == 0.0 {
        return Ok((None, Estimate::Undefined("no stratum has subjects in both groups")));
    }
    let rd = num / den;
    let var = (rd * sp + sq) / (den * den);
    if var < 0.0 {
        return Ok((Some(rd), Estimate::Undefined("Sato's variance is negative for these strata")));
    }
    let se = var.sqrt();
    Ok((Some(rd), Estimate::Interval(Interval { low: rd - z * se, high: rd + z * se })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strata() -> Vec<TwoByTwo> {
        // Rows are groups: [[10, 5], [4, 9]] → group 1 10/15, group 2 4/13; etc.
        vec![
            TwoByTwo::new(10, 15, 4, 13).unwrap(),
            TwoByTwo::new(7, 10, 6, 14).unwrap(),
            TwoByTwo::new(2, 10, 1, 10).unwrap(),
        ]
    }

    #[test]
    fn cmh_and_mh_odds_ratio_match_statsmodels() {
        // statsmodels 0.14 StratifiedTable([[[10,5],[4,9]], [[7,3],[6,8]], [[2,8],[1,9]]]):
        // test_null_odds(correction=False) 5.267829746197343, p 0.021723079008394985;
        // correction=True 4.181176601857791, p 0.040875313855603945;
        // oddsratio_pooled 3.458492975734355, confint 1.194642025606291–10.012349646860512.
        let s = strata();
        let (stat, p) = cmh_test(&s, false).unwrap();
        assert!((stat / 5.267829746197343 - 1.0).abs() < 1e-12 && (p / 0.021723079008394985 - 1.0).abs() < 1e-10);
        let (stat, p) = cmh_test(&s, true).unwrap();
        assert!((stat / 4.181176601857791 - 1.0).abs() < 1e-12 && (p / 0.040875313855603945 - 1.0).abs() < 1e-10);
        let (or, ci) = mh_odds_ratio(&s, 0.95).unwrap();
        assert!((or.unwrap() / 3.458492975734355 - 1.0).abs() < 1e-12);
        let Estimate::Interval(i) = ci else { panic!() };
        assert!((i.low / 1.194642025606291 - 1.0).abs() < 1e-10 && (i.high / 10.012349646860512 - 1.0).abs() < 1e-10);
    }
}
