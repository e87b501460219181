//! `myotrial demo`: three synthetic trial bundles shaped like the published IVIG studies
//! (../shared/spec/published-results.md), generated deterministically from a seed, and the
//! comparison of their analysis with the published figures.
//!
//! The generators write *visit-level values* only. Whether a subject responds is decided by the
//! scoring engine on those values, as in any other bundle: a generator draws a subject's
//! improvement and keeps the draw only when the engine puts the subject in the category the
//! published counts call for (rejection sampling), so the published counts come out of
//! `analyze` and never from a stored flag.
//!
//! The data are synthetic and labelled so in every bundle (`trial.toml` name and description).

mod cohort;
mod pilot;
mod proderm;
mod values;

pub use values::Rng;

use crate::analysis::{Analysis, EndpointResult};

/// A generated bundle: a directory name and its files.
#[derive(Clone, Debug)]
pub struct DemoBundle {
    pub name: &'static str,
    pub files: Vec<(&'static str, String)>,
}

impl DemoBundle {
    pub fn file(&self, name: &str) -> Option<&str> {
        self.files.iter().find(|(n, _)| *n == name).map(|(_, t)| t.as_str())
    }

    /// The bundle's files as [`crate::bundle::Sources`] (for loading without writing to disk).
    pub fn sources(&self) -> crate::bundle::Sources<'_> {
        let f = |n: &str| self.file(n).map(str::as_bytes);
        crate::bundle::Sources {
            trial_toml: self.file("trial.toml").unwrap_or(""),
            subjects: f("subjects.csv").unwrap_or(b""),
            visits: f("visits.csv").unwrap_or(b""),
            infusions: f("infusions.csv"),
            adverse_events: f("adverse_events.csv"),
            events: f("events.csv"),
        }
    }
}

/// The default seed of `myotrial demo`.
pub const SEED: u64 = 20_221_006;

/// The three bundles, in the order ProDERM-like, cohort-like, pilot-like.
pub fn bundles(seed: u64) -> Vec<DemoBundle> {
    vec![proderm::generate(seed), cohort::generate(seed ^ 0x00c0_4057), pilot::generate(seed ^ 0x0091_7075)]
}

/// The ProDERM-like bundle with every count multiplied by `scale` (for the `analyze` benchmark).
pub fn proderm_scaled(seed: u64, scale: usize) -> DemoBundle {
    proderm::generate_scaled(seed, scale)
}

/// One line of the reproduction table.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Check {
    pub study: &'static str,
    pub figure: String,
    pub published: String,
    pub myotrial: String,
    pub method: String,
    pub status: Status,
    /// Why a figure is not reproducible (or a remark).
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// myotrial computes the published figure from the bundle.
    Reproduced,
    /// The stated method does not give the published figure (documented, not a failure).
    NotReproducible,
    /// myotrial should reproduce it and does not: a bug in the generator or the analysis.
    Failed,
}

impl Status {
    pub fn text(self) -> &'static str {
        match self {
            Status::Reproduced => "reproduced",
            Status::NotReproducible => "not reproducible by the stated method",
            Status::Failed => "FAILED",
        }
    }
}

/// Compare an analysed demo bundle with the published figures of its study.
pub fn compare(bundle: &DemoBundle, analysis: &Analysis) -> Vec<Check> {
    match bundle.name {
        "proderm-like" => proderm::compare(analysis),
        "cohort-like" => cohort::compare(analysis),
        "pilot-like" => pilot::compare(analysis),
        _ => Vec::new(),
    }
}

// ---- helpers shared by the comparisons ----

pub(crate) fn endpoint<'a>(a: &'a Analysis, id: &str) -> Option<&'a EndpointResult> {
    a.endpoints.iter().find(|e| e.id == id)
}

/// `x/n` of an arm of a binary endpoint.
pub(crate) fn counts(a: &Analysis, id: &str, arm: &str) -> Option<(u64, u64)> {
    let r = endpoint(a, id)?.arms.iter().find(|r| r.arm == arm)?;
    Some((r.responders?, r.n))
}

pub(crate) fn count_check(
    study: &'static str,
    a: &Analysis,
    id: &str,
    figure: &str,
    arms: &[(&str, u64, u64)],
    published: &str,
) -> Check {
    let got: Vec<Option<(u64, u64)>> = arms.iter().map(|(arm, _, _)| counts(a, id, arm)).collect();
    let ok = arms.iter().zip(&got).all(|((_, x, n), g)| *g == Some((*x, *n)));
    let shown: Vec<String> = got
        .iter()
        .map(|g| g.map_or_else(|| "–".into(), |(x, n)| format!("{x}/{n} ({:.1} %)", 100.0 * x as f64 / n as f64)))
        .collect();
    Check {
        study,
        figure: figure.into(),
        published: published.into(),
        myotrial: shown.join(" vs "),
        method: "derived from the visit values by the endpoint rule of trial.toml".into(),
        status: if ok { Status::Reproduced } else { Status::Failed },
        reason: String::new(),
    }
}

/// A p-value of a test of an endpoint.
pub(crate) fn p_value(a: &Analysis, id: &str, test: &str) -> Option<f64> {
    endpoint(a, id)?.tests.iter().find(|t| t.name == test)?.p_value
}

/// Round half away from zero to `digits` decimals, for comparing with a published figure.
pub(crate) fn round_to(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}
