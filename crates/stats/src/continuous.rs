//! Continuous endpoints: Student and Welch two-sample t tests and the paired t test, with the
//! confidence interval of the mean difference (group 1 − group 2).

use crate::dist::{t_ppf, t_sf};
use crate::proportion::{Interval, StatsError};

/// A t test result.
#[derive(Clone, Debug, PartialEq)]
pub struct TTest {
    pub difference: f64,
    pub statistic: f64,
    pub df: f64,
    pub p_value: f64,
    pub ci: Interval,
}

/// Mean and sum of squared deviations.
fn mean_ss(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    (mean, x.iter().map(|v| (v - mean).powi(2)).sum())
}

fn finish(difference: f64, se: f64, df: f64, level: f64) -> Result<TTest, StatsError> {
    if !(level > 0.0 && level < 1.0) {
        return Err(StatsError::Level(level));
    }
    if !(se > 0.0 && se.is_finite() && df.is_finite()) {
        // A zero standard error gives ±∞ or NaN, which must not become a p-value of 1.
        return Err(StatsError::NoVariation);
    }
    let statistic = difference / se;
    let p_value = (2.0 * t_sf(statistic.abs(), df)).min(1.0);
    let q = t_ppf(1.0 - (1.0 - level) / 2.0, df);
    Ok(TTest {
        difference,
        statistic,
        df,
        p_value,
        ci: Interval { low: difference - q * se, high: difference + q * se },
    })
}

/// Why a t test cannot be computed.
fn too_small() -> StatsError {
    StatsError::EmptySample
}

/// Two-sample t test; `equal_var` selects Student's pooled test (needs n1 + n2 ≥ 3),
/// otherwise Welch's (needs two observations in each group).
pub fn two_sample_t(x: &[f64], y: &[f64], equal_var: bool, level: f64) -> Result<TTest, StatsError> {
    let enough =
        if equal_var { !x.is_empty() && !y.is_empty() && x.len() + y.len() >= 3 } else { x.len() >= 2 && y.len() >= 2 };
    if !enough {
        return Err(too_small());
    }
    let (mx, ssx) = mean_ss(x);
    let (my, ssy) = mean_ss(y);
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let (se, df) = if equal_var {
        let df = nx + ny - 2.0;
        let pooled = (ssx + ssy) / df;
        ((pooled * (1.0 / nx + 1.0 / ny)).sqrt(), df)
    } else {
        let (vx, vy) = (ssx / (nx - 1.0), ssy / (ny - 1.0));
        let (a, b) = (vx / nx, vy / ny);
        ((a + b).sqrt(), (a + b).powi(2) / (a * a / (nx - 1.0) + b * b / (ny - 1.0)))
    };
    finish(mx - my, se, df, level)
}

/// Paired t test of x − y.
pub fn paired_t(x: &[f64], y: &[f64], level: f64) -> Result<TTest, StatsError> {
    if x.len() != y.len() || x.len() < 2 {
        return Err(too_small());
    }
    let d: Vec<f64> = x.iter().zip(y).map(|(a, b)| a - b).collect();
    let (md, ssd) = mean_ss(&d);
    let n = d.len() as f64;
    finish(md, (ssd / (n - 1.0) / n).sqrt(), n - 1.0, level)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        (a / b - 1.0).abs()
    }

    #[test]
    fn matches_scipy_on_a_small_example() {
        // scipy 1.17 ttest_ind / ttest_rel with .confidence_interval(0.95), values printed by
        // repr(): see the test body.
        let x = [1.2, 3.4, 2.2, 5.1, 4.4];
        let y = [0.5, 1.1, 2.0, 1.7];
        let s = two_sample_t(&x, &y, true, 0.95).unwrap();
        assert!(rel(s.statistic, 2.2603767472717897) < 1e-12 && rel(s.p_value, 0.05829897961129408) < 1e-10);
        assert!(rel(s.ci.low, -0.08924128294302824) < 1e-10 && rel(s.ci.high, 3.959241282943027) < 1e-12);
        let w = two_sample_t(&x, &y, false, 0.95).unwrap();
        assert!(rel(w.statistic, 2.468978026846153) < 1e-12 && rel(w.df, 5.590666387125209) < 1e-12);
        assert!(rel(w.p_value, 0.05145766427025461) < 1e-10);
        assert!(rel(w.ci.low, -0.01726156091421105) < 1e-9 && rel(w.ci.high, 3.88726156091421) < 1e-12);
        let p = paired_t(&[1.0, 2.0, 3.0, 4.5], &[0.5, 2.5, 2.0, 3.0], 0.95).unwrap();
        assert!(rel(p.statistic, 1.4638501094227998) < 1e-12 && rel(p.p_value, 0.23944259863600298) < 1e-10);
        assert!(rel(p.ci.low, -0.7337654418980075) < 1e-10 && rel(p.ci.high, 1.9837654418980075) < 1e-10);
    }

    #[test]
    fn no_variation_is_an_error_not_a_p_value_of_one() {
        for equal_var in [false, true] {
            let r = two_sample_t(&[-4.0, -4.0, -4.0], &[0.0, 0.0, 0.0], equal_var, 0.95);
            assert_eq!(r, Err(StatsError::NoVariation));
        }
        assert_eq!(paired_t(&[1.0, 2.0, 3.0], &[0.0, 1.0, 2.0], 0.95), Err(StatsError::NoVariation));
    }
}
