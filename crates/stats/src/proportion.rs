//! One proportion x/n: confidence intervals by seven methods and the exact binomial test.
//!
//! Method names are those of data-format.md §7 and the references are listed in
//! `tools/refgen/README.md` (statsmodels `proportion_confint`, R `prop.test` for the
//! continuity-corrected Wilson interval, mpmath root finding for mid-p, scipy `binomtest`).

use crate::dist::{beta_ppf, binom_cdf, binom_pmf, binom_sf, bisect, norm_ppf};
use std::fmt;

/// A two-sided confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Bad arguments.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    #[error("n must be at least 1")]
    EmptySample,
    #[error("x = {x} is larger than n = {n}")]
    TooManyEvents { x: u64, n: u64 },
    #[error("the confidence level must be strictly between 0 and 1 (got {0})")]
    Level(f64),
    #[error("the null proportion must be between 0 and 1 (got {0})")]
    NullProportion(f64),
    #[error("no variation: the standard error is 0 (every value is the same within each group)")]
    NoVariation,
}

/// Confidence interval methods for one proportion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OneProportionMethod {
    /// Normal approximation p̂ ± z·√(p̂(1 − p̂)/n), clipped to [0, 1] (as statsmodels and SAS).
    Wald,
    /// Wilson score interval.
    Wilson,
    /// Wilson score interval with continuity correction (Newcombe 1998, method 4).
    WilsonCc,
    /// Agresti–Coull: Wald on x + z²/2 successes in n + z² trials, clipped to [0, 1].
    AgrestiCoull,
    /// Jeffreys: the Beta(x + ½, n − x + ½) quantiles, with no adjustment at x = 0 or x = n (as
    /// statsmodels; Brown, Cai and DasGupta's variant sets the limit to 0 or 1 there).
    Jeffreys,
    /// Clopper–Pearson exact interval.
    ClopperPearson,
    /// Mid-p exact interval.
    MidP,
}

impl OneProportionMethod {
    pub const ALL: [OneProportionMethod; 7] = [
        OneProportionMethod::Wald,
        OneProportionMethod::Wilson,
        OneProportionMethod::WilsonCc,
        OneProportionMethod::AgrestiCoull,
        OneProportionMethod::Jeffreys,
        OneProportionMethod::ClopperPearson,
        OneProportionMethod::MidP,
    ];

    /// The name used in JSON output and fixtures.
    pub fn name(self) -> &'static str {
        match self {
            OneProportionMethod::Wald => "wald",
            OneProportionMethod::Wilson => "wilson",
            OneProportionMethod::WilsonCc => "wilson-cc",
            OneProportionMethod::AgrestiCoull => "agresti-coull",
            OneProportionMethod::Jeffreys => "jeffreys",
            OneProportionMethod::ClopperPearson => "clopper-pearson",
            OneProportionMethod::MidP => "mid-p",
        }
    }
}

impl fmt::Display for OneProportionMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn check(x: u64, n: u64, level: f64) -> Result<(), StatsError> {
    if n == 0 {
        return Err(StatsError::EmptySample);
    }
    if x > n {
        return Err(StatsError::TooManyEvents { x, n });
    }
    if !(level > 0.0 && level < 1.0) {
        return Err(StatsError::Level(level));
    }
    Ok(())
}

/// The confidence interval for x/n at `level` (e.g. 0.95).
pub fn proportion_ci(x: u64, n: u64, level: f64, method: OneProportionMethod) -> Result<Interval, StatsError> {
    check(x, n, level)?;
    let alpha = 1.0 - level;
    let z = norm_ppf(1.0 - alpha / 2.0);
    let nf = n as f64;
    let p = x as f64 / nf;
    let z2 = z * z;
    Ok(match method {
        OneProportionMethod::Wald => {
            let half = z * (p * (1.0 - p) / nf).sqrt();
            Interval { low: (p - half).max(0.0), high: (p + half).min(1.0) }
        }
        OneProportionMethod::Wilson => {
            let centre = (p + z2 / (2.0 * nf)) / (1.0 + z2 / nf);
            let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / (1.0 + z2 / nf);
            Interval { low: (centre - half).max(0.0), high: (centre + half).min(1.0) }
        }
        OneProportionMethod::WilsonCc => {
            let denom = 2.0 * (nf + z2);
            let low = if x == 0 {
                0.0
            } else {
                let root = (z2 - 2.0 - 1.0 / nf + 4.0 * p * (nf * (1.0 - p) + 1.0)).max(0.0).sqrt();
                ((2.0 * nf * p + z2 - 1.0 - z * root) / denom).max(0.0)
            };
            let high = if x == n {
                1.0
            } else {
                let root = (z2 + 2.0 - 1.0 / nf + 4.0 * p * (nf * (1.0 - p) - 1.0)).max(0.0).sqrt();
                ((2.0 * nf * p + z2 + 1.0 + z * root) / denom).min(1.0)
            };
            Interval { low, high }
        }
        OneProportionMethod::AgrestiCoull => {
            let n_t = nf + z2;
            let p_t = (x as f64 + z2 / 2.0) / n_t;
            let half = z * (p_t * (1.0 - p_t) / n_t).sqrt();
            Interval { low: (p_t - half).max(0.0), high: (p_t + half).min(1.0) }
        }
        OneProportionMethod::Jeffreys => {
            let (a, b) = (x as f64 + 0.5, (n - x) as f64 + 0.5);
            Interval { low: beta_ppf(alpha / 2.0, a, b), high: beta_ppf(1.0 - alpha / 2.0, a, b) }
        }
        OneProportionMethod::ClopperPearson => Interval {
            low: if x == 0 { 0.0 } else { beta_ppf(alpha / 2.0, x as f64, (n - x + 1) as f64) },
            high: if x == n { 1.0 } else { beta_ppf(1.0 - alpha / 2.0, (x + 1) as f64, (n - x) as f64) },
        },
        OneProportionMethod::MidP => {
            // Lower: P(X > x) + ½ P(X = x) = α/2 (increasing in π); upper: P(X < x) + ½ P(X = x) = α/2.
            let low = if x == 0 {
                0.0
            } else {
                bisect(0.0, 1.0, alpha / 2.0, |pi| binom_sf(x, n, pi) + 0.5 * binom_pmf(x, n, pi))
            };
            let high = if x == n {
                1.0
            } else {
                let below = |pi: f64| if x == 0 { 0.0 } else { binom_cdf(x - 1, n, pi) };
                // Decreasing in π: solve its negation.
                bisect(0.0, 1.0, -alpha / 2.0, |pi| -(below(pi) + 0.5 * binom_pmf(x, n, pi)))
            };
            Interval { low, high }
        }
    })
}

/// Two-sided exact binomial test of H0: π = p0, as R's `binom.test`: the sum of the
/// probabilities of all outcomes no more likely than the observed one (relative tolerance 1e-7).
pub fn binomial_test(x: u64, n: u64, p0: f64) -> Result<f64, StatsError> {
    check(x, n, 0.5)?;
    if !(0.0..=1.0).contains(&p0) {
        return Err(StatsError::NullProportion(p0));
    }
    const REL_ERR: f64 = 1.0 + 1e-7;
    let d = binom_pmf(x, n, p0);
    let m = n as f64 * p0;
    let p = if (x as f64) == m {
        1.0
    } else if (x as f64) < m {
        // Outcomes above the mean at most as likely as x.
        let from = m.ceil() as u64;
        let y = (from..=n).filter(|&i| binom_pmf(i, n, p0) <= d * REL_ERR).count() as u64;
        binom_cdf(x, n, p0) + if y > 0 { binom_sf(n - y, n, p0) } else { 0.0 }
    } else {
        let to = m.floor() as u64;
        let y = (0..=to).filter(|&i| binom_pmf(i, n, p0) <= d * REL_ERR).count() as u64;
        let upper = if x == 0 { 1.0 } else { binom_sf(x - 1, n, p0) };
        let lower = if y > 0 { binom_cdf(y - 1, n, p0) } else { 0.0 };
        lower + upper
    };
    Ok(p.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pilot_8_of_19_published_checks() {
        // published-results.md C: Clopper–Pearson 8/19 = 20.25–66.50 %; mid-p 21.8–64.6 %.
        let cp = proportion_ci(8, 19, 0.95, OneProportionMethod::ClopperPearson).unwrap();
        assert!((cp.low - 0.2025).abs() < 5e-5 && (cp.high - 0.6650).abs() < 5e-5, "{cp:?}");
        let mid = proportion_ci(8, 19, 0.95, OneProportionMethod::MidP).unwrap();
        assert!((mid.low - 0.218).abs() < 5e-4 && (mid.high - 0.646).abs() < 5e-4, "{mid:?}");
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert_eq!(proportion_ci(3, 0, 0.95, OneProportionMethod::Wald), Err(StatsError::EmptySample));
        assert_eq!(
            proportion_ci(38, 37, 0.95, OneProportionMethod::Wald),
            Err(StatsError::TooManyEvents { x: 38, n: 37 })
        );
        assert_eq!(proportion_ci(3, 10, 1.0, OneProportionMethod::Wald), Err(StatsError::Level(1.0)));
        assert!(binomial_test(3, 10, 1.5).is_err());
    }
}
