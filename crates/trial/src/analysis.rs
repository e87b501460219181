//! The analysis of a trial bundle (data-format.md §6): every subject's visits scored with the
//! same engine as `myotrial score`, endpoints derived per subject by the rules of §3, then the
//! statistics per endpoint, subgroups, the testing hierarchy, exposure and safety.
//!
//! Pure computation: a [`Bundle`] in, an [`Analysis`] out (serialisable; the JSON of `analyze`).
//! Numbers that a method cannot give for the data are `None` with a `note`, never NaN.

use crate::bundle::{Bundle, Subject};
use crate::protocol::{Endpoint, EndpointKind, Handling, Measure, Protocol};
use crate::scoring::{score_subject, ScoreOptions, ScoreRecord};
use crate::visits::VisitRow;
use myotrial_measures::{Dec, Enzyme};
use myotrial_stats::ancova::ancova;
use myotrial_stats::continuous::two_sample_t;
use myotrial_stats::dist::t_ppf;
use myotrial_stats::multiplicity::fixed_sequence;
use myotrial_stats::proportion::{binomial_test, proportion_ci, OneProportionMethod};
use myotrial_stats::strata::{cmh_test, mh_risk_difference, mh_risk_difference_sato};
use myotrial_stats::survival::{cox_efron, kaplan_meier, log_rank, median_survival, ConfType, Observation};
use myotrial_stats::two::{
    chi2_test, difference_ci, fisher_test, odds_ci, ratio_ci, DifferenceMethod, Estimate, OddsMethod, RatioMethod,
    TwoByTwo,
};
use myotrial_stats::unconditional::{barnard, boschloo};
use serde::Serialize;
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// Per-subject derivation
// ---------------------------------------------------------------------------------------------

/// One subject's derived data.
#[derive(Clone, Debug)]
pub struct SubjectData<'a> {
    pub subject: &'a Subject,
    /// Why the subject is outside the analysis population (trial.toml `[[exclude]]`).
    pub excluded: Option<String>,
    /// Visit rows in week order.
    pub rows: &'a [VisitRow],
    /// Nominal schedule week of each row.
    pub nominal: Vec<u32>,
    /// Every follow-up visit scored (same order as `rows[1..]` when there is a baseline).
    pub scored: Vec<ScoreRecord>,
    /// A subject-level scoring problem (no baseline, scale change).
    pub error: Option<String>,
    /// Week of the first confirmed deterioration.
    pub confirmed_deterioration: Option<u32>,
    /// First week of each event type in events.csv.
    pub first_event: BTreeMap<&'static str, u32>,
    /// Last week the subject was seen (visit or event).
    pub last_week: Option<u32>,
}

impl SubjectData<'_> {
    /// The scored follow-up visit at nominal week `w`.
    pub fn at(&self, w: u32) -> Option<&ScoreRecord> {
        let i = self.nominal.iter().position(|&n| n == w)?;
        let week = self.rows[i].week;
        self.scored.iter().find(|r| r.week == week)
    }

    /// The visit row at nominal week `w`.
    pub fn row_at(&self, w: u32) -> Option<&VisitRow> {
        self.nominal.iter().position(|&n| n == w).map(|i| &self.rows[i])
    }

    /// TIS at nominal week `w` (when computable).
    pub fn tis_at(&self, w: u32) -> Option<f64> {
        self.at(w).and_then(|r| r.tis_x2).map(|x| f64::from(x) / 2.0)
    }

    /// The first intercurrent event (handled as non-response) before the assessment of nominal
    /// `week`: before the actual week of the visit used, or before `week` when there is none.
    fn intercurrent_before(&self, week: u32, p: &Protocol) -> Option<&'static str> {
        let assessed = self.row_at(week).map_or(week, |r| r.week);
        let rules = [
            ("crossover", p.intercurrent.crossover),
            ("rescue", p.intercurrent.rescue),
            ("discontinued", p.intercurrent.discontinued),
            ("death", Handling::NonResponder),
        ];
        rules
            .into_iter()
            .find(|(e, h)| *h == Handling::NonResponder && self.first_event.get(e).is_some_and(|&w| w < assessed))
            .map(|(e, _)| e)
    }

    /// Responder for TIS ≥ `threshold` at `week` (data-format.md §3.6), with the protocol's
    /// intercurrent-event rules; the reason when not.
    pub fn responder(&self, threshold: Dec, week: u32, p: &Protocol) -> Result<(), &'static str> {
        if let Some(e) = self.intercurrent_before(week, p) {
            return Err(e);
        }
        let Some(r) = self.at(week) else { return Err("no visit") };
        let Some(x2) = r.tis_x2 else { return Err("TIS not computable") };
        if self.confirmed_deterioration.is_some_and(|d| d <= week) {
            return Err("confirmed deterioration");
        }
        if i128::from(x2) * i128::from(Dec::SCALE) >= 2 * i128::from(threshold.raw()) {
            Ok(())
        } else {
            Err("below threshold")
        }
    }

    /// The value of a measure at nominal week `w`.
    pub fn value(&self, m: Measure, w: u32) -> Option<f64> {
        if m == Measure::Tis {
            return self.tis_at(w);
        }
        let r = self.row_at(w)?;
        Some(match m {
            Measure::Tis => return None,
            Measure::Pga => r.pga?.to_f64(),
            Measure::Ptga => r.ptga?.to_f64(),
            Measure::Extramuscular => r.extramuscular?.to_f64(),
            Measure::Mmt => f64::from(r.mmt?),
            Measure::Haq => r.haq?.to_f64(),
            Measure::CdasiActivity => f64::from(r.cdasi_activity?),
            Measure::CdasiDamage => f64::from(r.cdasi_damage?),
            Measure::Cmas => f64::from(r.cmas?),
            Measure::Enzyme(e) => r.enzymes[e.index()]?.to_f64(),
        })
    }

    /// Remission at `w` by the endpoint's rule (exact comparisons).
    fn remission(&self, w: u32, mmt_min_pct: Dec, enzymes_normal: bool, cdasi_max: Option<u32>) -> bool {
        let Some(r) = self.row_at(w) else { return false };
        let (Some(mmt), Some(max)) = (r.mmt, r.mmt_max) else { return false };
        // mmt × 100 ≥ pct × max, in exact integers (pct has 9 decimals).
        if i128::from(mmt) * 100 * i128::from(Dec::SCALE) < i128::from(mmt_min_pct.raw()) * i128::from(max.max()) {
            return false;
        }
        if enzymes_normal {
            let mut any = false;
            for e in Enzyme::ALL {
                if let (Some(v), Some(u)) = (r.enzymes[e.index()], r.ulns[e.index()]) {
                    any = true;
                    if v > u {
                        return false;
                    }
                }
            }
            if !any {
                return false;
            }
        }
        match cdasi_max {
            Some(m) => r.cdasi_activity.is_some_and(|c| c <= m),
            None => true,
        }
    }
}

/// The nominal week of an actual visit week: the nearest schedule week within the window.
fn nominal_week(p: &Protocol, week: u32) -> u32 {
    p.schedule.nominal_week(week)
}

/// Score and derive every subject of the bundle (in `subjects.csv` order).
pub fn derive(bundle: &Bundle) -> Vec<SubjectData<'_>> {
    let p = &bundle.protocol;
    let options = ScoreOptions { settings: p.settings, strength: p.strength, audit: false };
    let mut events_of: std::collections::HashMap<&str, Vec<&crate::bundle::Event>> = std::collections::HashMap::new();
    for e in &bundle.events {
        events_of.entry(e.subject.as_str()).or_default().push(e);
    }
    bundle
        .subjects
        .iter()
        .map(|s| {
            let rows: &[VisitRow] = bundle.visits.get(&s.id).map_or(&[], Vec::as_slice);
            let scored = if rows.is_empty() { Vec::new() } else { score_subject(rows, &options) };
            let error = scored.iter().find(|r| r.deterioration.is_none()).map(|r| r.error.clone());
            let confirmed_deterioration =
                scored.iter().find(|r| r.confirmed_deterioration == Some(true)).map(|r| r.week);
            let confirmed_deterioration = confirmed_deterioration.map(|w| nominal_week(p, w));
            let mut first_event = BTreeMap::new();
            let mut last_week = rows.last().map(|r| r.week);
            for e in events_of.get(s.id.as_str()).map_or(&[][..], Vec::as_slice) {
                first_event.entry(e.event).or_insert(e.week);
                last_week = Some(last_week.map_or(e.week, |l| l.max(e.week)));
            }
            SubjectData {
                subject: s,
                excluded: p.exclusions.iter().find(|x| x.subject == s.id).map(|x| x.reason.clone()),
                nominal: rows.iter().map(|r| nominal_week(p, r.week)).collect(),
                rows,
                scored,
                error,
                confirmed_deterioration,
                first_event,
                last_week,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Results (the JSON of `myotrial analyze`)
// ---------------------------------------------------------------------------------------------

/// A confidence interval entry; limits `None` with a `note` where the method gives none.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Ci {
    pub method: String,
    pub level: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A point estimate with its interval (the `difference` object of §6).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EstimateCi {
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub method: String,
    pub level: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Test {
    pub name: String,
    pub p_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statistic: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One arm of an endpoint.
#[derive(Clone, Debug, Serialize, PartialEq, Default)]
pub struct ArmResult {
    pub arm: String,
    /// Randomised and analysed (the denominator of a responder endpoint).
    pub n: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responders: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proportion: Option<f64>,
    /// Exact (Clopper–Pearson) interval of the proportion, or the t interval of the mean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<Ci>,
    /// Why the non-responders did not respond (reason → count).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub non_responders: BTreeMap<String, u64>,
    /// Continuous endpoints: subjects with both values, mean change and its SD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_observed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_mean: Option<f64>,
    /// Time to event: events, median and its CI (weeks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median: Option<EstimateCi>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub km: Vec<KmPoint>,
}

/// A step of a Kaplan–Meier curve (for plots and tables).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct KmPoint {
    pub time: f64,
    pub n_risk: u64,
    pub n_event: u64,
    pub surv: f64,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// A treatment arm compared with the control.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Comparison {
    pub arm: String,
    pub control: String,
    pub difference: EstimateCi,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Ci>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk_ratio: Option<EstimateCi>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub odds_ratio: Option<EstimateCi>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hazard_ratio: Option<EstimateCi>,
    pub tests: Vec<Test>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EndpointResult {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub week: Option<u32>,
    pub arms: Vec<ArmResult>,
    /// The first treatment arm against the control (the `difference` of §6); for a single-arm
    /// study, the proportion with the chosen interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<EstimateCi>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proportion: Option<EstimateCi>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Ci>,
    pub tests: Vec<Test>,
    /// Every treatment arm against the control (more than one with three or more arms).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comparisons: Vec<Comparison>,
    /// ANCOVA (change adjusted for baseline) for continuous endpoints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ancova: Option<AncovaResult>,
    /// Time-to-event endpoints: the first treatment arm's hazard ratio against the control.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hazard_ratio: Option<EstimateCi>,
}

impl EndpointResult {
    /// The endpoint's identity and arms, with no estimate or test yet.
    fn empty(e: &Endpoint, week: Option<u32>, arms: Vec<ArmResult>) -> EndpointResult {
        EndpointResult {
            id: e.id.clone(),
            label: e.label.clone(),
            kind: e.kind.name().into(),
            role: e.role.clone(),
            week,
            arms,
            difference: None,
            proportion: None,
            alternatives: Vec::new(),
            tests: Vec::new(),
            comparisons: Vec::new(),
            ancova: None,
            hazard_ratio: None,
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AncovaResult {
    pub ls_means: Vec<(String, f64)>,
    pub difference: EstimateCi,
    pub p_value: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SubgroupLevel {
    pub level: String,
    pub arms: Vec<ArmResult>,
    pub difference: Option<EstimateCi>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SubgroupResult {
    pub by: String,
    pub endpoint: String,
    pub levels: Vec<SubgroupLevel>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HierarchyStep {
    pub endpoint: String,
    pub test: String,
    pub p_value: Option<f64>,
    pub rejected: bool,
}

/// CONSORT-style counts per arm.
#[derive(Clone, Debug, Serialize, PartialEq, Default)]
pub struct Flow {
    pub arm: String,
    pub randomised: u64,
    pub excluded: u64,
    pub analysed: u64,
    pub with_visits: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessed_at_primary: Option<u64>,
    pub events: BTreeMap<String, u64>,
}

/// Baseline characteristic, one row of the baseline table.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BaselineRow {
    pub characteristic: String,
    /// Per arm, the formatted summary (e.g. `52.1 (11.3)` or `12 (25.5 %)`).
    pub values: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Default)]
pub struct Exposure {
    /// An arm, or `all`.
    pub arm: String,
    /// Subjects with at least one active infusion (dose > 0).
    pub subjects_infused: u64,
    /// Active infusions (cycles) given.
    pub infusions: u64,
    /// Placebo (dose 0) infusions given.
    pub placebo_infusions: u64,
    pub total_grams: f64,
    /// Median dose of the active infusions.
    pub median_dose_g_per_kg: Option<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SafetyRow {
    pub term: String,
    pub phase: String,
    pub arms: Vec<SafetyCell>,
    /// All subjects who received the active product (an infusion with a dose > 0), whatever
    /// their arm, counting events with onset on or after their first active infusion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub treated: Option<SafetyCell>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Default)]
pub struct SafetyCell {
    pub arm: String,
    pub patients: u64,
    pub n: u64,
    pub percent: f64,
    pub events: u64,
    /// Events per 100 infusions given in that arm and phase (None without infusions).
    pub per_100_infusions: Option<f64>,
}

/// Mean TIS at one nominal week in one arm.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TisPoint {
    pub arm: String,
    pub week: u32,
    pub n: u64,
    pub mean: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// Everything `analyze` computes.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Analysis {
    pub trial: String,
    pub population: String,
    pub arms: Vec<String>,
    pub control: Option<String>,
    pub level: f64,
    pub endpoints: Vec<EndpointResult>,
    pub subgroups: Vec<SubgroupResult>,
    pub hierarchy: Vec<HierarchyStep>,
    pub flow: Vec<Flow>,
    pub baseline: Vec<BaselineRow>,
    pub exposure: Vec<Exposure>,
    pub safety: Vec<SafetyRow>,
    pub tis_over_time: Vec<TisPoint>,
    /// Primary-week TIS of every analysed subject (arm, subject, TIS or None), for the waterfall.
    pub waterfall: Vec<(String, String, Option<f64>)>,
    /// The adaptive dose rules checked against the infusions given.
    pub adaptive: Vec<AdaptiveCheck>,
    pub settings: BTreeMap<String, String>,
    /// One row per randomised subject (written as `subjects_derived.csv`, not in the JSON).
    #[serde(skip)]
    pub subjects: Vec<SubjectSummary>,
    /// One row per scored follow-up visit (written as `visits_scored.csv`, not in the JSON).
    #[serde(skip)]
    pub visits: Vec<VisitSummary>,
}

/// The derived data of one subject.
#[derive(Clone, Debug, PartialEq)]
pub struct SubjectSummary {
    pub subject: String,
    pub arm: String,
    pub excluded: Option<String>,
    pub visits: usize,
    pub last_week: Option<u32>,
    pub confirmed_deterioration: Option<u32>,
    /// First nominal week with TIS at or above the population's minimal, moderate, major thresholds.
    pub first_week_at: [Option<u32>; 3],
    /// Per binary endpoint (protocol order): `yes`, or the reason for non-response.
    pub outcomes: Vec<(String, String)>,
    /// Per change endpoint: the change from baseline.
    pub changes: Vec<(String, Option<f64>)>,
    pub active_infusions: usize,
    pub total_grams: f64,
    pub median_dose_g_per_kg: Option<f64>,
    /// First week of each event type.
    pub events: Vec<(String, u32)>,
    /// A subject-level scoring problem.
    pub error: Option<String>,
}

/// One scored follow-up visit.
#[derive(Clone, Debug, PartialEq)]
pub struct VisitSummary {
    pub subject: String,
    pub arm: String,
    pub week: u32,
    pub nominal_week: u32,
    pub tis: Option<f64>,
    pub category: Option<&'static str>,
    pub deterioration: Option<bool>,
    pub confirmed_by_now: Option<bool>,
    pub error: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AdaptiveCheck {
    pub arm: String,
    pub rule: String,
    /// Subjects whose TIS at the rule's week was below the cut (computable TIS only).
    pub triggered: u64,
    /// Of those, how many received the escalated dose after the rule's week.
    pub escalated: u64,
    /// Subjects escalated without meeting the rule.
    pub escalated_without_trigger: u64,
}

// ---------------------------------------------------------------------------------------------
// Statistics helpers
// ---------------------------------------------------------------------------------------------

fn ci_of(method: &str, level: f64, e: Estimate) -> Ci {
    match e {
        Estimate::Interval(i) => Ci {
            method: method.into(),
            level,
            ci_low: i.low.is_finite().then_some(i.low),
            ci_high: i.high.is_finite().then_some(i.high),
            note: (!i.high.is_finite()).then(|| "the upper limit is unbounded".to_string()),
        },
        Estimate::Undefined(why) => {
            Ci { method: method.into(), level, ci_low: None, ci_high: None, note: Some(why.to_string()) }
        }
    }
}

fn with_estimate(estimate: Option<f64>, ci: Ci) -> EstimateCi {
    EstimateCi { estimate, ci_low: ci.ci_low, ci_high: ci.ci_high, method: ci.method, level: ci.level, note: ci.note }
}

fn difference_method(name: &str) -> Option<DifferenceMethod> {
    DifferenceMethod::ALL.into_iter().find(|m| m.name() == name)
}

fn proportion_method(name: &str) -> OneProportionMethod {
    OneProportionMethod::ALL.into_iter().find(|m| m.name() == name).unwrap_or(OneProportionMethod::ClopperPearson)
}

fn exact_ci(x: u64, n: u64, level: f64) -> Option<Ci> {
    let i = proportion_ci(x, n, level, OneProportionMethod::ClopperPearson).ok()?;
    Some(Ci { method: "clopper-pearson".into(), level, ci_low: Some(i.low), ci_high: Some(i.high), note: None })
}

fn mean_sd(v: &[f64]) -> (f64, Option<f64>) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.len() > 1).then(|| (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt());
    (mean, sd)
}

fn t_interval(v: &[f64], level: f64) -> Option<Ci> {
    let (mean, sd) = mean_sd(v);
    let sd = sd?;
    let q = t_ppf(1.0 - (1.0 - level) / 2.0, v.len() as f64 - 1.0);
    let half = q * sd / (v.len() as f64).sqrt();
    Some(Ci { method: "t".into(), level, ci_low: Some(mean - half), ci_high: Some(mean + half), note: None })
}

/// Binary outcome per analysed subject of one arm, with the reason for each non-response.
fn binary_arm(arm: &str, outcomes: &[(&SubjectData, Result<(), &'static str>)], level: f64) -> ArmResult {
    let mine: Vec<_> = outcomes.iter().filter(|(s, _)| s.subject.arm == arm).collect();
    let n = mine.len() as u64;
    let x = mine.iter().filter(|(_, o)| o.is_ok()).count() as u64;
    let mut non_responders = BTreeMap::new();
    for (_, o) in &mine {
        if let Err(why) = o {
            *non_responders.entry(why.to_string()).or_insert(0) += 1;
        }
    }
    ArmResult {
        arm: arm.into(),
        n,
        responders: Some(x),
        proportion: (n > 0).then(|| x as f64 / n as f64),
        ci: exact_ci(x, n, level),
        non_responders,
        ..ArmResult::default()
    }
}

fn two_arm_tests(t: &TwoByTwo, names: &[String], strata: &[TwoByTwo]) -> Vec<Test> {
    names
        .iter()
        .map(|name| {
            let (p, stat, note) = match name.as_str() {
                "fisher" => (Some(fisher_test(t)), None, None),
                "chi2" | "chi2-yates" => match chi2_test(t, name == "chi2-yates") {
                    Some((s, p)) => (Some(p), Some(s), None),
                    None => (None, None, Some("a row or column of the table is empty".to_string())),
                },
                "barnard" => {
                    let r = barnard(t);
                    (Some(r.p_value), Some(r.statistic), None)
                }
                "boschloo" => {
                    let r = boschloo(t);
                    (Some(r.p_value), Some(r.statistic), None)
                }
                "cmh" if strata.len() < 2 => (
                    None,
                    None,
                    Some(
                        "fewer than two strata (trial.toml `strata`, default the `stratum` column of subjects.csv)"
                            .to_string(),
                    ),
                ),
                "cmh" => match cmh_test(strata, true) {
                    Some((s, p)) => (Some(p), Some(s), None),
                    None => (None, None, Some("no stratum has both arms with a response and a non-response".into())),
                },
                _ => (None, None, Some(format!("unknown test {name}"))),
            };
            Test { name: name.clone(), p_value: p, statistic: stat, note }
        })
        .collect()
}

/// Risk difference with the chosen method (including the Mantel–Haenszel ones across strata).
fn difference_with(t: &TwoByTwo, method: &str, level: f64, strata: &[TwoByTwo]) -> EstimateCi {
    let est = Some(t.risk_difference());
    match method {
        "mh-greenland-robins" | "mh-sato" => {
            let r = if method == "mh-sato" {
                mh_risk_difference_sato(strata, level)
            } else {
                mh_risk_difference(strata, level)
            };
            match r {
                Ok((e, ci)) => with_estimate(e, ci_of(method, level, ci)),
                Err(e) => with_estimate(
                    None,
                    Ci { method: method.into(), level, ci_low: None, ci_high: None, note: Some(e.to_string()) },
                ),
            }
        }
        "exact-unconditional" => match myotrial_stats::exact_ci::exact_unconditional_ci(t, level) {
            Ok(i) => with_estimate(
                est,
                Ci { method: method.into(), level, ci_low: Some(i.low), ci_high: Some(i.high), note: None },
            ),
            Err(e) => with_estimate(
                est,
                Ci { method: method.into(), level, ci_low: None, ci_high: None, note: Some(e.to_string()) },
            ),
        },
        _ => {
            let m = difference_method(method).unwrap_or(DifferenceMethod::Wald);
            match difference_ci(t, level, m) {
                Ok(ci) => with_estimate(est, ci_of(m.name(), level, ci)),
                Err(e) => with_estimate(
                    est,
                    Ci { method: method.into(), level, ci_low: None, ci_high: None, note: Some(e.to_string()) },
                ),
            }
        }
    }
}

/// A subject's randomisation stratum: its values of the protocol's `strata` characteristics
/// (`None` when one is missing).
fn stratum_of(s: &Subject, strata: &[String]) -> Option<String> {
    let parts: Option<Vec<&str>> = strata
        .iter()
        .map(|k| match k.as_str() {
            "stratum" => s.stratum.as_deref(),
            "site" => s.site.as_deref(),
            "sex" => s.sex,
            "antibody" => s.antibody.as_deref(),
            "diagnosis" => s.diagnosis.as_deref(),
            _ => None,
        })
        .collect();
    parts.map(|p| p.join(" / "))
}

/// 2×2 tables by stratum for the subjects given (treatment first, control second); subjects
/// with a missing stratum characteristic are left out.
fn strata_tables(
    outcomes: &[(&SubjectData, Result<(), &'static str>)],
    arm: &str,
    control: &str,
    strata: &[String],
) -> Vec<TwoByTwo> {
    let mut by: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for (s, o) in outcomes {
        let Some(st) = stratum_of(s.subject, strata) else { continue };
        let cell = by.entry(st).or_default();
        let ok = u64::from(o.is_ok());
        if s.subject.arm == arm {
            cell[0] += ok;
            cell[1] += 1;
        } else if s.subject.arm == control {
            cell[2] += ok;
            cell[3] += 1;
        }
    }
    by.values().filter_map(|c| TwoByTwo::new(c[0], c[1], c[2], c[3]).ok()).collect()
}

fn compare_binary(
    outcomes: &[(&SubjectData, Result<(), &'static str>)],
    arms: &[ArmResult],
    (arm, control): (&str, &str),
    e: &Endpoint,
    level: f64,
    strata: &[String],
) -> Option<Comparison> {
    let a = arms.iter().find(|r| r.arm == arm)?;
    let c = arms.iter().find(|r| r.arm == control)?;
    let Ok(t) = TwoByTwo::new(a.responders?, a.n, c.responders?, c.n) else {
        // An arm without subjects: every key stays, with null values and the reason.
        let why = "an arm has no analysed subjects".to_string();
        return Some(Comparison {
            arm: arm.into(),
            control: control.into(),
            difference: EstimateCi {
                estimate: None,
                ci_low: None,
                ci_high: None,
                method: e.ci.clone(),
                level,
                note: Some(why.clone()),
            },
            alternatives: Vec::new(),
            risk_ratio: None,
            odds_ratio: None,
            hazard_ratio: None,
            tests: e
                .tests
                .iter()
                .map(|n| Test { name: n.clone(), p_value: None, statistic: None, note: Some(why.clone()) })
                .collect(),
        });
    };
    let strata = strata_tables(outcomes, arm, control, strata);
    let difference = difference_with(&t, &e.ci, level, &strata);
    let alternatives = DifferenceMethod::ALL
        .into_iter()
        .map(|m| match difference_ci(&t, level, m) {
            Ok(ci) => ci_of(m.name(), level, ci),
            Err(err) => Ci { method: m.name().into(), level, ci_low: None, ci_high: None, note: Some(err.to_string()) },
        })
        .collect();
    let rr =
        ratio_ci(&t, level, RatioMethod::KatzLog).map(|ci| with_estimate(t.risk_ratio(), ci_of("katz-log", level, ci)));
    let or = odds_ci(&t, level, OddsMethod::Woolf).map(|ci| with_estimate(t.odds_ratio(), ci_of("woolf", level, ci)));
    Some(Comparison {
        arm: arm.into(),
        control: control.into(),
        difference,
        alternatives,
        risk_ratio: rr.ok(),
        odds_ratio: or.ok(),
        hazard_ratio: None,
        tests: two_arm_tests(&t, &e.tests, &strata),
    })
}

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

fn analysed<'a, 'b>(subjects: &'b [SubjectData<'a>]) -> Vec<&'b SubjectData<'a>> {
    subjects.iter().filter(|s| s.excluded.is_none()).collect()
}

fn binary_outcome(s: &SubjectData, kind: &EndpointKind, p: &Protocol) -> Result<(), &'static str> {
    match kind {
        EndpointKind::Responder { threshold, week } => s.responder(*threshold, *week, p),
        EndpointKind::Remission { week, mmt_min_pct, enzymes_normal, cdasi_activity_max } => {
            if let Some(e) = s.intercurrent_before(*week, p) {
                return Err(e);
            }
            if s.row_at(*week).is_none() {
                return Err("no visit");
            }
            if s.remission(*week, *mmt_min_pct, *enzymes_normal, *cdasi_activity_max) {
                Ok(())
            } else {
                Err("not in remission")
            }
        }
        _ => Err("not a binary endpoint"),
    }
}

fn analyse_binary(subjects: &[&SubjectData], e: &Endpoint, p: &Protocol) -> EndpointResult {
    let level = p.level;
    let outcomes: Vec<(&SubjectData, Result<(), &'static str>)> =
        subjects.iter().map(|s| (*s, binary_outcome(s, &e.kind, p))).collect();
    let arms: Vec<ArmResult> = p.arms.iter().map(|a| binary_arm(a, &outcomes, level)).collect();
    let mut result = EndpointResult::empty(e, e.kind.week(), arms);
    match &p.control {
        None => {
            let a = &result.arms[0];
            let (x, n) = (a.responders.unwrap_or(0), a.n);
            if n > 0 {
                let chosen = proportion_method(&e.ci);
                let ci = |m: OneProportionMethod| match proportion_ci(x, n, level, m) {
                    Ok(i) => {
                        Ci { method: m.name().into(), level, ci_low: Some(i.low), ci_high: Some(i.high), note: None }
                    }
                    Err(err) => {
                        Ci { method: m.name().into(), level, ci_low: None, ci_high: None, note: Some(err.to_string()) }
                    }
                };
                result.proportion = Some(with_estimate(a.proportion, ci(chosen)));
                result.alternatives = OneProportionMethod::ALL.into_iter().map(ci).collect();
                result.tests = e
                    .tests
                    .iter()
                    .map(|t| Test {
                        name: t.clone(),
                        p_value: binomial_test(x, n, 0.5).ok(),
                        statistic: None,
                        note: Some("two-sided, p0 = 0.5".into()),
                    })
                    .collect();
            }
        }
        Some(control) => {
            for arm in p.treatment_arms() {
                if let Some(c) = compare_binary(&outcomes, &result.arms, (arm, control), e, level, &p.strata) {
                    result.comparisons.push(c);
                }
            }
            if let Some(first) = result.comparisons.first() {
                result.difference = Some(first.difference.clone());
                result.tests = first.tests.clone();
                result.alternatives = first.alternatives.clone();
            }
        }
    }
    result
}

fn analyse_change(
    subjects: &[&SubjectData],
    e: &Endpoint,
    p: &Protocol,
    measure: Measure,
    week: u32,
) -> EndpointResult {
    let level = p.level;
    let mut per_arm: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    let mut arms = Vec::new();
    for arm in &p.arms {
        let mine: Vec<&&SubjectData> = subjects.iter().filter(|s| &s.subject.arm == arm).collect();
        let mut base = Vec::new();
        let mut change = Vec::new();
        for s in &mine {
            if let (Some(b), Some(f)) = (s.value(measure, 0), s.value(measure, week)) {
                base.push(b);
                change.push(f - b);
            }
        }
        let (mean, sd) = if change.is_empty() {
            (None, None)
        } else {
            let (m, sd) = mean_sd(&change);
            (Some(m), sd)
        };
        arms.push(ArmResult {
            arm: arm.clone(),
            n: mine.len() as u64,
            n_observed: Some(change.len() as u64),
            mean,
            sd,
            baseline_mean: (!base.is_empty()).then(|| mean_sd(&base).0),
            ci: t_interval(&change, level),
            ..ArmResult::default()
        });
        per_arm.push((base, change));
    }
    let mut result = EndpointResult::empty(e, Some(week), arms);
    if let Some(control) = &p.control {
        let ci = p.arms.iter().position(|a| a == control).unwrap_or(0);
        for arm in p.treatment_arms() {
            let ai = p.arms.iter().position(|a| a == arm).unwrap_or(0);
            let (x, y) = (&per_arm[ai].1, &per_arm[ci].1);
            let welch =
                two_sample_t(x, y, false, level).ok().filter(|t| t.statistic.is_finite() && t.p_value.is_finite());
            let why = if x.len() < 2 || y.len() < 2 {
                "fewer than two observed changes in an arm"
            } else {
                "no variation: every change is the same within each arm"
            };
            let (difference, tests) = match welch {
                Some(t) => (
                    EstimateCi {
                        estimate: Some(t.difference),
                        ci_low: Some(t.ci.low),
                        ci_high: Some(t.ci.high),
                        method: "welch".into(),
                        level,
                        note: None,
                    },
                    vec![Test {
                        name: "welch-t".into(),
                        p_value: Some(t.p_value),
                        statistic: Some(t.statistic),
                        note: None,
                    }],
                ),
                None => (
                    EstimateCi {
                        estimate: None,
                        ci_low: None,
                        ci_high: None,
                        method: "welch".into(),
                        level,
                        note: Some(why.into()),
                    },
                    vec![Test { name: "welch-t".into(), p_value: None, statistic: None, note: Some(why.into()) }],
                ),
            };
            result.comparisons.push(Comparison {
                arm: arm.into(),
                control: control.clone(),
                difference,
                alternatives: Vec::new(),
                risk_ratio: None,
                odds_ratio: None,
                hazard_ratio: None,
                tests,
            });
            if result.ancova.is_none() {
                let mut change = Vec::new();
                let mut base = Vec::new();
                let mut group = Vec::new();
                for (g, idx) in [ci, ai].into_iter().enumerate() {
                    change.extend(&per_arm[idx].1);
                    base.extend(&per_arm[idx].0);
                    group.extend(std::iter::repeat_n(g, per_arm[idx].1.len()));
                }
                if let Ok(fit) = ancova(&change, &base, &group, level) {
                    if let Some(c) = fit.contrasts.first() {
                        result.ancova = Some(AncovaResult {
                            ls_means: vec![(control.clone(), fit.ls_means[0]), (arm.to_string(), fit.ls_means[1])],
                            difference: EstimateCi {
                                estimate: Some(c.difference),
                                ci_low: Some(c.ci.low),
                                ci_high: Some(c.ci.high),
                                method: "ancova".into(),
                                level,
                                note: None,
                            },
                            p_value: c.p_value,
                        });
                    }
                }
            }
        }
        if let Some(first) = result.comparisons.first() {
            result.difference = Some(first.difference.clone());
            result.tests = first.tests.clone();
        }
    }
    result
}

/// (time, event) per subject for a time-to-event endpoint; `None` when not evaluable (no follow-up).
fn time_to(s: &SubjectData, kind: &EndpointKind, p: &Protocol) -> Option<Observation> {
    let cap = kind.week();
    // Follow-up ends at the last assessment for a response (a TIS needs a visit), and at the
    // last contact (visit or event) for a clinical event. Weeks are nominal (schedule windows).
    let last = match kind {
        EndpointKind::TimeToResponse { .. } => s.nominal.last().copied()?,
        _ => s.last_week.map(|w| p.schedule.nominal_week(w))?,
    };
    let last = cap.map_or(last, |c| last.min(c));
    let first = match kind {
        EndpointKind::TimeToResponse { threshold, .. } => s
            .scored
            .iter()
            .find(|r| {
                r.tis_x2.is_some_and(|x| i128::from(x) * i128::from(Dec::SCALE) >= 2 * i128::from(threshold.raw()))
            })
            .map(|r| p.schedule.nominal_week(r.week)),
        EndpointKind::TimeToEvent { event, .. } => s.first_event.get(event.as_str()).copied(),
        _ => None,
    };
    Some(match first {
        Some(w) if cap.is_none_or(|c| w <= c) => Observation { time: f64::from(w), event: true },
        _ => Observation { time: f64::from(last), event: false },
    })
}

fn analyse_time(subjects: &[&SubjectData], e: &Endpoint, p: &Protocol) -> EndpointResult {
    let level = p.level;
    let mut data = Vec::new();
    let mut group = Vec::new();
    let mut arms = Vec::new();
    for (g, arm) in p.arms.iter().enumerate() {
        let obs: Vec<Observation> =
            subjects.iter().filter(|s| &s.subject.arm == arm).filter_map(|s| time_to(s, &e.kind, p)).collect();
        let steps = kaplan_meier(&obs, level, ConfType::Log);
        let (m, lo, hi) = median_survival(&steps);
        arms.push(ArmResult {
            arm: arm.clone(),
            n: subjects.iter().filter(|s| &s.subject.arm == arm).count() as u64,
            n_observed: Some(obs.len() as u64),
            events: Some(obs.iter().filter(|o| o.event).count() as u64),
            median: Some(EstimateCi {
                estimate: m,
                ci_low: lo,
                ci_high: hi,
                method: "km-log".into(),
                level,
                note: m.is_none().then(|| "the curve does not reach 0.5".into()),
            }),
            km: steps
                .iter()
                .map(|s| KmPoint {
                    time: s.time,
                    n_risk: s.n_risk,
                    n_event: s.n_event,
                    surv: s.surv,
                    lower: s.lower,
                    upper: s.upper,
                })
                .collect(),
            ..ArmResult::default()
        });
        group.extend(std::iter::repeat_n(g, obs.len()));
        data.extend(obs);
    }
    let mut result = EndpointResult::empty(e, e.kind.week(), arms);
    if let Some(control) = &p.control {
        let ci = p.arms.iter().position(|a| a == control).unwrap_or(0);
        for arm in p.treatment_arms() {
            let ai = p.arms.iter().position(|a| a == arm).unwrap_or(0);
            let mut d = Vec::new();
            let mut g = Vec::new();
            for (o, &k) in data.iter().zip(&group) {
                if k == ai || k == ci {
                    d.push(*o);
                    g.push(usize::from(k == ai));
                }
            }
            let strata = vec![0; d.len()];
            let both_arms = g.contains(&0) && g.contains(&1);
            let lr = if both_arms { log_rank(&d, &g, &strata) } else { None };
            let cov: Vec<Vec<f64>> = g.iter().map(|&k| vec![k as f64]).collect();
            let hr = cox_efron(&d, &cov, level).and_then(|c| c.into_iter().next()).map(|c| {
                // |β| > 20 (HR beyond 5e8 or below 2e-9) or an unbounded limit: the partial
                // likelihood is monotone (one arm has every early event), no finite estimate.
                if c.coef.abs() > 20.0 || !(c.ci.0.is_finite() && c.ci.1.is_finite() && c.hazard_ratio.is_finite()) {
                    EstimateCi {
                        estimate: None,
                        ci_low: None,
                        ci_high: None,
                        method: "cox-efron".into(),
                        level,
                        note: Some(
                            "no finite estimate: the partial likelihood is monotone (complete separation of the arms)"
                                .into(),
                        ),
                    }
                } else {
                    EstimateCi {
                        estimate: Some(c.hazard_ratio),
                        ci_low: Some(c.ci.0),
                        ci_high: Some(c.ci.1),
                        method: "cox-efron".into(),
                        level,
                        note: None,
                    }
                }
            });
            result.comparisons.push(Comparison {
                arm: arm.into(),
                control: control.clone(),
                difference: hr.clone().unwrap_or(EstimateCi {
                    estimate: None,
                    ci_low: None,
                    ci_high: None,
                    method: "cox-efron".into(),
                    level,
                    note: Some("the Cox model cannot be fitted (no events, or no events in an arm)".into()),
                }),
                alternatives: Vec::new(),
                risk_ratio: None,
                odds_ratio: None,
                hazard_ratio: hr,
                tests: vec![match lr {
                    Some((stat, _, pv)) => {
                        Test { name: "log-rank".into(), p_value: Some(pv), statistic: Some(stat), note: None }
                    }
                    None => Test {
                        name: "log-rank".into(),
                        p_value: None,
                        statistic: None,
                        note: Some(if both_arms { "no events" } else { "an arm has no subjects" }.into()),
                    },
                }],
            });
        }
        if let Some(first) = result.comparisons.first() {
            result.tests = first.tests.clone();
            result.hazard_ratio = first.hazard_ratio.clone();
        }
    }
    result
}

pub fn analyse_endpoint(subjects: &[&SubjectData], e: &Endpoint, p: &Protocol) -> EndpointResult {
    match &e.kind {
        EndpointKind::Responder { .. } | EndpointKind::Remission { .. } => analyse_binary(subjects, e, p),
        EndpointKind::Change { measure, week } => analyse_change(subjects, e, p, *measure, *week),
        EndpointKind::TimeToResponse { .. } | EndpointKind::TimeToEvent { .. } => analyse_time(subjects, e, p),
    }
}

// ---------------------------------------------------------------------------------------------
// Subgroups, hierarchy, flow, baseline, exposure, safety, TIS over time
// ---------------------------------------------------------------------------------------------

fn band_label(bands: &[Dec], v: Dec) -> String {
    let i = bands.iter().take_while(|&&b| v >= b).count();
    match (i, bands.len()) {
        (0, _) => format!("< {}", bands[0]),
        (i, n) if i == n => format!("≥ {}", bands[n - 1]),
        (i, _) => format!("{} to < {}", bands[i - 1], bands[i]),
    }
}

fn subgroup_level(s: &SubjectData, by: &str, bands: &[Dec], measure: Option<Measure>) -> String {
    let t = s.subject;
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "missing".into());
    match by {
        "antibody" => text(&t.antibody),
        "diagnosis" => text(&t.diagnosis),
        "site" => text(&t.site),
        "stratum" => text(&t.stratum),
        "sex" => t.sex.map_or_else(|| "missing".into(), str::to_string),
        "age" => t.age.map_or_else(|| "missing".into(), |a| band_label(bands, Dec::from(a))),
        "severity" => measure
            .and_then(|m| s.value(m, 0))
            .and_then(|v| Dec::parse(&format!("{v}")).ok())
            .map_or_else(|| "missing".into(), |v| band_label(bands, v)),
        _ => "missing".into(),
    }
}

fn subgroups(subjects: &[&SubjectData], p: &Protocol) -> Vec<SubgroupResult> {
    let mut out = Vec::new();
    for g in &p.subgroups {
        let endpoint = g
            .endpoint
            .as_ref()
            .and_then(|id| p.endpoints.iter().find(|e| &e.id == id))
            .or_else(|| p.endpoints.iter().find(|e| e.kind.is_binary()));
        let Some(endpoint) = endpoint else { continue };
        if !endpoint.kind.is_binary() {
            continue;
        }
        let mut levels: BTreeMap<String, Vec<&SubjectData>> = BTreeMap::new();
        for s in subjects {
            levels.entry(subgroup_level(s, &g.by, &g.bands, g.severity_measure)).or_default().push(s);
        }
        let levels = levels
            .into_iter()
            .map(|(level, members)| {
                let r = analyse_binary(&members, endpoint, p);
                SubgroupLevel { level, arms: r.arms, difference: r.difference.or(r.proportion) }
            })
            .collect();
        out.push(SubgroupResult { by: g.by.clone(), endpoint: endpoint.id.clone(), levels });
    }
    out
}

fn hierarchy(results: &[EndpointResult], p: &Protocol) -> Vec<HierarchyStep> {
    let picked: Vec<(String, String, Option<f64>)> = p
        .hierarchy
        .iter()
        .map(|id| {
            let r = results.iter().find(|r| &r.id == id);
            let t = r.and_then(|r| r.tests.first());
            (id.clone(), t.map_or_else(String::new, |t| t.name.clone()), t.and_then(|t| t.p_value))
        })
        .collect();
    // A missing p-value stops the sequence (it cannot be rejected).
    let ps: Vec<f64> = picked.iter().map(|(_, _, p)| p.unwrap_or(1.0)).collect();
    let rejected = fixed_sequence(&ps, p.alpha);
    picked
        .into_iter()
        .zip(rejected)
        .map(|((endpoint, test, p_value), rejected)| HierarchyStep { endpoint, test, p_value, rejected })
        .collect()
}

fn flow(subjects: &[SubjectData], p: &Protocol) -> Vec<Flow> {
    p.arms
        .iter()
        .map(|arm| {
            let mine: Vec<&SubjectData> = subjects.iter().filter(|s| &s.subject.arm == arm).collect();
            let mut events = BTreeMap::new();
            for s in &mine {
                for e in s.first_event.keys() {
                    *events.entry(e.to_string()).or_insert(0) += 1;
                }
            }
            Flow {
                arm: arm.clone(),
                randomised: mine.len() as u64,
                excluded: mine.iter().filter(|s| s.excluded.is_some()).count() as u64,
                analysed: mine.iter().filter(|s| s.excluded.is_none()).count() as u64,
                with_visits: mine.iter().filter(|s| !s.rows.is_empty()).count() as u64,
                assessed_at_primary: p
                    .primary_week
                    .map(|w| mine.iter().filter(|s| s.excluded.is_none() && s.row_at(w).is_some()).count() as u64),
                events,
            }
        })
        .collect()
}

fn fmt_mean_sd(v: &[f64]) -> String {
    if v.is_empty() {
        return "–".into();
    }
    let (m, sd) = mean_sd(v);
    match sd {
        Some(sd) => format!("{m:.1} ({sd:.1}) [n={}]", v.len()),
        None => format!("{m:.1} [n=1]"),
    }
}

fn baseline(subjects: &[&SubjectData], p: &Protocol) -> Vec<BaselineRow> {
    let by_arm: Vec<Vec<&SubjectData>> =
        p.arms.iter().map(|a| subjects.iter().filter(|s| &s.subject.arm == a).copied().collect()).collect();
    let mut rows = vec![BaselineRow {
        characteristic: "Analysed, n".into(),
        values: by_arm.iter().map(|m| m.len().to_string()).collect(),
    }];
    let count = |m: &Vec<&SubjectData>, f: &dyn Fn(&SubjectData) -> bool| {
        let k = m.iter().filter(|s| f(s)).count();
        let pct = if m.is_empty() { 0.0 } else { 100.0 * k as f64 / m.len() as f64 };
        format!("{k} ({pct:.1} %)")
    };
    rows.push(BaselineRow {
        characteristic: "Age, years, mean (SD)".into(),
        values: by_arm
            .iter()
            .map(|m| fmt_mean_sd(&m.iter().filter_map(|s| s.subject.age.map(f64::from)).collect::<Vec<_>>()))
            .collect(),
    });
    rows.push(BaselineRow {
        characteristic: "Female, n (%)".into(),
        values: by_arm.iter().map(|m| count(m, &|s| s.subject.sex == Some("F"))).collect(),
    });
    let mut antibodies: Vec<String> = subjects.iter().filter_map(|s| s.subject.antibody.clone()).collect();
    antibodies.sort();
    antibodies.dedup();
    for ab in antibodies {
        rows.push(BaselineRow {
            characteristic: format!("Antibody {ab}, n (%)"),
            values: by_arm.iter().map(|m| count(m, &|s| s.subject.antibody.as_deref() == Some(ab.as_str()))).collect(),
        });
    }
    let measures = [
        (Measure::Pga, "PGA, cm"),
        (Measure::Ptga, "PtGA, cm"),
        (Measure::Extramuscular, "Extramuscular VAS, cm"),
        (Measure::Mmt, "MMT"),
        (Measure::Haq, "HAQ"),
        (Measure::CdasiActivity, "CDASI activity"),
        (Measure::CdasiDamage, "CDASI damage"),
        (Measure::Enzyme(Enzyme::Ck), "CK"),
    ];
    for (m, label) in measures {
        let vals: Vec<Vec<f64>> = by_arm.iter().map(|a| a.iter().filter_map(|s| s.value(m, 0)).collect()).collect();
        if vals.iter().all(Vec::is_empty) {
            continue;
        }
        rows.push(BaselineRow {
            characteristic: format!("{label}, mean (SD)"),
            values: vals.iter().map(|v| fmt_mean_sd(v)).collect(),
        });
    }
    rows
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

fn exposure(bundle: &Bundle, analysed_arm: &dyn Fn(&str) -> Option<String>) -> Vec<Exposure> {
    let mut arms: Vec<Option<&String>> = bundle.protocol.arms.iter().map(Some).collect();
    arms.push(None);
    arms.into_iter()
        .map(|arm| {
            let mine: Vec<_> = bundle
                .infusions
                .iter()
                .filter(|i| match (analysed_arm(&i.subject), arm) {
                    (Some(a), Some(want)) => &a == want,
                    (Some(_), None) => true,
                    (None, _) => false,
                })
                .collect();
            let active: Vec<_> = mine.iter().filter(|i| i.dose_g_per_kg > Dec::ZERO).collect();
            let mut subjects: Vec<&str> = active.iter().map(|i| i.subject.as_str()).collect();
            subjects.sort_unstable();
            subjects.dedup();
            let mut doses: Vec<f64> = active.iter().map(|i| i.dose_g_per_kg.to_f64()).collect();
            let grams = active.iter().fold(Dec::ZERO, |a, i| a.checked_add(i.grams).unwrap_or(a));
            Exposure {
                arm: arm.map_or_else(|| "all".to_string(), Clone::clone),
                subjects_infused: subjects.len() as u64,
                infusions: active.len() as u64,
                placebo_infusions: (mine.len() - active.len()) as u64,
                total_grams: grams.to_f64(),
                median_dose_g_per_kg: median(&mut doses),
            }
        })
        .collect()
}

fn phase_of(p: &Protocol, week: u32) -> String {
    // Phases share boundary weeks (16 ends one and starts the next): an onset at a boundary
    // belongs to the later phase, as the infusion given that week does.
    p.phases
        .iter()
        .rev()
        .find(|ph| week >= ph.start_week && week <= ph.end_week)
        .map_or_else(|| "all".into(), |ph| ph.name.clone())
}

/// Which adverse events a safety row counts.
type AePredicate = Box<dyn Fn(&crate::bundle::AdverseEvent) -> bool>;

fn safety(bundle: &Bundle, analysed_arm: &dyn Fn(&str) -> Option<String>) -> Vec<SafetyRow> {
    let p = &bundle.protocol;
    let mut phases: Vec<String> = vec!["all".into()];
    phases.extend(p.phases.iter().map(|ph| ph.name.clone()));
    phases.dedup();
    let n_arm: Vec<u64> = p
        .arms
        .iter()
        .map(|a| bundle.subjects.iter().filter(|s| analysed_arm(&s.id).as_deref() == Some(a)).count() as u64)
        .collect();
    let mut terms: Vec<String> = bundle.adverse_events.iter().map(|a| a.term.clone()).collect();
    terms.sort();
    terms.dedup();
    let mut rows_spec: Vec<(String, AePredicate)> = vec![
        ("Any adverse event".into(), Box::new(|_| true)),
        ("Related".into(), Box::new(|a| a.related)),
        ("Serious".into(), Box::new(|a| a.serious)),
        ("Serious and related".into(), Box::new(|a| a.serious && a.related)),
        ("Thromboembolic".into(), Box::new(|a| a.thromboembolic)),
    ];
    for t in terms {
        let tt = t.clone();
        rows_spec.push((t, Box::new(move |a| a.term == tt)));
    }
    // First active infusion week of each analysed subject who had one.
    let mut first_active: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    for i in &bundle.infusions {
        if i.dose_g_per_kg > Dec::ZERO && analysed_arm(&i.subject).is_some() {
            let w = first_active.entry(i.subject.as_str()).or_insert(i.week);
            *w = (*w).min(i.week);
        }
    }
    let mut out = Vec::new();
    for phase in &phases {
        let in_phase = |w: u32| phase == "all" || &phase_of(p, w) == phase;
        for (label, pred) in &rows_spec {
            let arms = p
                .arms
                .iter()
                .zip(&n_arm)
                .map(|(arm, &n)| {
                    let events: Vec<_> = bundle
                        .adverse_events
                        .iter()
                        .filter(|a| {
                            analysed_arm(&a.subject).as_deref() == Some(arm) && in_phase(a.onset_week) && pred(a)
                        })
                        .collect();
                    let mut who: Vec<&str> = events.iter().map(|a| a.subject.as_str()).collect();
                    who.sort_unstable();
                    who.dedup();
                    let infusions = bundle
                        .infusions
                        .iter()
                        .filter(|i| analysed_arm(&i.subject).as_deref() == Some(arm) && in_phase(i.week))
                        .count();
                    SafetyCell {
                        arm: arm.clone(),
                        patients: who.len() as u64,
                        n,
                        percent: if n == 0 { 0.0 } else { 100.0 * who.len() as f64 / n as f64 },
                        events: events.len() as u64,
                        per_100_infusions: (infusions > 0).then(|| 100.0 * events.len() as f64 / infusions as f64),
                    }
                })
                .collect::<Vec<_>>();
            let treated = (!first_active.is_empty()).then(|| {
                let events: Vec<_> = bundle
                    .adverse_events
                    .iter()
                    .filter(|a| {
                        first_active.get(a.subject.as_str()).is_some_and(|&w| a.onset_week >= w)
                            && in_phase(a.onset_week)
                            && pred(a)
                    })
                    .collect();
                let mut who: Vec<&str> = events.iter().map(|a| a.subject.as_str()).collect();
                who.sort_unstable();
                who.dedup();
                let n = first_active.len() as u64;
                let infusions = bundle
                    .infusions
                    .iter()
                    .filter(|i| {
                        first_active.contains_key(i.subject.as_str()) && i.dose_g_per_kg > Dec::ZERO && in_phase(i.week)
                    })
                    .count();
                SafetyCell {
                    arm: "any active infusion".into(),
                    patients: who.len() as u64,
                    n,
                    percent: 100.0 * who.len() as f64 / n as f64,
                    events: events.len() as u64,
                    per_100_infusions: (infusions > 0).then(|| 100.0 * events.len() as f64 / infusions as f64),
                }
            });
            if arms.iter().all(|c| c.events == 0) && label != "Any adverse event" {
                continue;
            }
            out.push(SafetyRow { term: label.clone(), phase: phase.clone(), arms, treated });
        }
    }
    out
}

fn tis_over_time(subjects: &[&SubjectData], p: &Protocol) -> Vec<TisPoint> {
    let mut weeks: Vec<u32> = subjects.iter().flat_map(|s| s.nominal.iter().copied()).filter(|&w| w > 0).collect();
    weeks.sort_unstable();
    weeks.dedup();
    let mut out = Vec::new();
    for arm in &p.arms {
        for &w in &weeks {
            let v: Vec<f64> = subjects.iter().filter(|s| &s.subject.arm == arm).filter_map(|s| s.tis_at(w)).collect();
            if v.is_empty() {
                continue;
            }
            let ci = t_interval(&v, p.level);
            out.push(TisPoint {
                arm: arm.clone(),
                week: w,
                n: v.len() as u64,
                mean: mean_sd(&v).0,
                ci_low: ci.as_ref().and_then(|c| c.ci_low),
                ci_high: ci.as_ref().and_then(|c| c.ci_high),
            });
        }
    }
    out
}

fn adaptive(bundle: &Bundle, subjects: &[&SubjectData]) -> Vec<AdaptiveCheck> {
    let mut out = Vec::new();
    for r in &bundle.protocol.regimens {
        for rule in &r.rules {
            let mut check = AdaptiveCheck {
                arm: r.arm.clone(),
                rule: format!(
                    "TIS < {} at week {} → {} g/kg every {} weeks",
                    rule.tis_below, rule.at_week, rule.dose_g_per_kg, rule.interval_weeks
                ),
                triggered: 0,
                escalated: 0,
                escalated_without_trigger: 0,
            };
            for s in subjects.iter().filter(|s| s.subject.arm == r.arm) {
                let below = s
                    .at(rule.at_week)
                    .and_then(|v| v.tis_x2)
                    .map(|x2| i128::from(x2) * i128::from(Dec::SCALE) < 2 * i128::from(rule.tis_below.raw()));
                let escalated = bundle.infusions.iter().any(|i| {
                    i.subject == s.subject.id && i.week >= rule.at_week && i.dose_g_per_kg >= rule.dose_g_per_kg
                });
                match below {
                    Some(true) => {
                        check.triggered += 1;
                        check.escalated += u64::from(escalated);
                    }
                    _ => check.escalated_without_trigger += u64::from(escalated),
                }
            }
            out.push(check);
        }
    }
    out
}

/// Analyse a bundle: every endpoint, subgroups, hierarchy, flow, baseline, exposure, safety.
pub fn analyse(bundle: &Bundle) -> Analysis {
    let p = &bundle.protocol;
    let all = derive(bundle);
    let subjects = analysed(&all);
    let endpoints: Vec<EndpointResult> = p.endpoints.iter().map(|e| analyse_endpoint(&subjects, e, p)).collect();
    let arm_of: std::collections::HashMap<&str, &str> =
        subjects.iter().map(|s| (s.subject.id.as_str(), s.subject.arm.as_str())).collect();
    let analysed_arm = |id: &str| -> Option<String> { arm_of.get(id).map(|a| a.to_string()) };
    let primary_week = p.primary_week.or_else(|| p.endpoints.iter().find_map(|e| e.kind.week()));
    let waterfall = primary_week
        .map(|w| subjects.iter().map(|s| (s.subject.arm.clone(), s.subject.id.clone(), s.tis_at(w))).collect())
        .unwrap_or_default();
    let mut settings = BTreeMap::new();
    settings.insert("population".into(), p.settings.population.to_string());
    settings.insert("enzyme_change".into(), p.settings.enzyme_change.to_string());
    settings.insert("missing".into(), p.settings.missing.to_string());
    settings.insert("deterioration_change".into(), p.settings.deterioration_change.to_string());
    settings.insert("level".into(), p.level.to_string());
    settings.insert("alpha".into(), p.alpha.to_string());
    settings.insert("intercurrent.crossover".into(), format!("{:?}", p.intercurrent.crossover));
    settings.insert("intercurrent.rescue".into(), format!("{:?}", p.intercurrent.rescue));
    settings.insert("intercurrent.discontinued".into(), format!("{:?}", p.intercurrent.discontinued));
    Analysis {
        trial: p.name.clone(),
        population: p.population.to_string(),
        arms: p.arms.clone(),
        control: p.control.clone(),
        level: p.level,
        subgroups: subgroups(&subjects, p),
        hierarchy: hierarchy(&endpoints, p),
        endpoints,
        flow: flow(&all, p),
        baseline: baseline(&subjects, p),
        exposure: exposure(bundle, &analysed_arm),
        safety: safety(bundle, &analysed_arm),
        tis_over_time: tis_over_time(&subjects, p),
        waterfall,
        adaptive: adaptive(bundle, &subjects),
        settings,
        subjects: summaries(bundle, &all),
        visits: visit_rows(&all, p),
    }
}

fn summaries(bundle: &Bundle, all: &[SubjectData]) -> Vec<SubjectSummary> {
    let p = &bundle.protocol;
    let cuts = myotrial_response::tis::Category::thresholds_x2(p.population);
    let mut infusions: std::collections::HashMap<&str, Vec<&crate::bundle::Infusion>> =
        std::collections::HashMap::new();
    for i in &bundle.infusions {
        infusions.entry(i.subject.as_str()).or_default().push(i);
    }
    all.iter()
        .map(|s| {
            let first_week_at = cuts
                .map(|c| s.scored.iter().find(|r| r.tis_x2.is_some_and(|x| x >= c)).map(|r| nominal_week(p, r.week)));
            let outcomes = p
                .endpoints
                .iter()
                .filter(|e| e.kind.is_binary())
                .map(|e| {
                    let o = binary_outcome(s, &e.kind, p);
                    (e.id.clone(), o.map_or_else(|why| why.to_string(), |()| "yes".to_string()))
                })
                .collect();
            let changes = p
                .endpoints
                .iter()
                .filter_map(|e| match e.kind {
                    EndpointKind::Change { measure, week } => {
                        let c = s.value(measure, 0).zip(s.value(measure, week)).map(|(b, f)| f - b);
                        Some((e.id.clone(), c))
                    }
                    _ => None,
                })
                .collect();
            let mine: Vec<&&crate::bundle::Infusion> = infusions
                .get(s.subject.id.as_str())
                .map(|v| v.iter().filter(|i| i.dose_g_per_kg > Dec::ZERO).collect())
                .unwrap_or_default();
            let mut doses: Vec<f64> = mine.iter().map(|i| i.dose_g_per_kg.to_f64()).collect();
            SubjectSummary {
                subject: s.subject.id.clone(),
                arm: s.subject.arm.clone(),
                excluded: s.excluded.clone(),
                visits: s.rows.len(),
                last_week: s.last_week,
                confirmed_deterioration: s.confirmed_deterioration,
                first_week_at,
                outcomes,
                changes,
                active_infusions: mine.len(),
                total_grams: mine.iter().fold(Dec::ZERO, |a, i| a.checked_add(i.grams).unwrap_or(a)).to_f64(),
                median_dose_g_per_kg: median(&mut doses),
                events: s.first_event.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
                error: s.error.clone(),
            }
        })
        .collect()
}

fn visit_rows(all: &[SubjectData], p: &Protocol) -> Vec<VisitSummary> {
    let mut out = Vec::new();
    for s in all {
        for r in &s.scored {
            out.push(VisitSummary {
                subject: s.subject.id.clone(),
                arm: s.subject.arm.clone(),
                week: r.week,
                nominal_week: nominal_week(p, r.week),
                tis: r.tis_x2.map(|x| f64::from(x) / 2.0),
                category: r.category.map(|c| c.name()),
                deterioration: r.deterioration.map(|d| d.met()),
                confirmed_by_now: r.confirmed_deterioration,
                error: r.error_text(),
            });
        }
    }
    out
}
