//! The trial protocol, `trial.toml` (data-format.md §5; full schema in docs/trial-toml.md).
//!
//! [`Protocol::parse`] reads the text, checks every key (unknown keys are errors, as unknown CSV
//! columns are) and every cross-reference (the control arm is an arm, an endpoint in the
//! hierarchy exists, ...), and reports each problem as `trial.toml:line:column: message`.

use crate::error::{LoadError, LoadErrors};
use crate::scoring::StrengthChoice;
use myotrial_measures::Dec;
use myotrial_response::{CoreSet, DeteriorationChange, EnzymeChange, MissingRule, Population, Settings};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

/// A validated protocol.
#[derive(Clone, Debug)]
pub struct Protocol {
    pub name: String,
    pub description: Option<String>,
    pub population: Population,
    /// Scoring rules (data-format.md §3) used for every derived endpoint.
    pub settings: Settings,
    pub strength: StrengthChoice,
    pub arms: Vec<String>,
    /// The arm differences are taken against; `None` for a single-arm study.
    pub control: Option<String>,
    pub primary_week: Option<u32>,
    /// Confidence level of every interval.
    pub level: f64,
    pub schedule: Schedule,
    pub regimens: Vec<Regimen>,
    pub phases: Vec<Phase>,
    pub crossover: Option<Crossover>,
    pub endpoints: Vec<Endpoint>,
    pub subgroups: Vec<Subgroup>,
    /// Endpoint ids tested in this fixed sequence at `alpha` (key secondary endpoints).
    pub hierarchy: Vec<String>,
    pub alpha: f64,
    pub exclusions: Vec<Exclusion>,
    /// How intercurrent events are handled for responder endpoints.
    pub intercurrent: Intercurrent,
    /// Subject characteristics whose combination is the randomisation stratum (CMH test,
    /// Mantel–Haenszel differences): any of `stratum`, `site`, `sex`, `antibody`, `diagnosis`.
    pub strata: Vec<String>,
}

/// Visit schedule: the nominal weeks and the window around each.
#[derive(Clone, Debug, Default)]
pub struct Schedule {
    /// Nominal weeks; `None`: the weeks present in `visits.csv`.
    pub weeks: Option<Vec<u32>>,
    /// A visit within ± this many weeks of a nominal week counts as that week.
    pub window: u32,
}

impl Schedule {
    /// The nominal week of an actual visit week: the nearest schedule week within the window
    /// (the earlier one on a tie); the week itself without a schedule.
    pub fn nominal_week(&self, week: u32) -> u32 {
        match &self.weeks {
            None => week,
            Some(ws) => ws
                .iter()
                .copied()
                .filter(|&n| n.abs_diff(week) <= self.window)
                .min_by_key(|&n| (n.abs_diff(week), n))
                .unwrap_or(week),
        }
    }
}

/// A treatment regimen of one arm (dose in g/kg).
#[derive(Clone, Debug)]
pub struct Regimen {
    pub arm: String,
    pub product: Option<String>,
    pub dose_g_per_kg: Dec,
    pub interval_weeks: u32,
    pub cycles: u32,
    pub start_week: u32,
    /// Explicit (week, dose) schedule; when given it replaces dose × interval × cycles.
    pub doses: Vec<(u32, Dec)>,
    pub rules: Vec<AdaptiveRule>,
}

/// "TIS < `tis_below` at week `at_week` → `dose_g_per_kg` every `interval_weeks` weeks".
#[derive(Clone, Debug)]
pub struct AdaptiveRule {
    pub at_week: u32,
    pub tis_below: Dec,
    pub dose_g_per_kg: Dec,
    pub interval_weeks: u32,
}

#[derive(Clone, Debug)]
pub struct Phase {
    pub name: String,
    pub start_week: u32,
    pub end_week: u32,
    pub treatment: Option<String>,
}

/// Control patients may switch to another arm's treatment.
#[derive(Clone, Debug)]
pub struct Crossover {
    pub from: String,
    pub to: String,
    /// What allows the switch (documentation; the switch itself is an event in events.csv).
    pub trigger: String,
}

/// How a subject with an intercurrent event before an endpoint's week counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handling {
    /// Non-responder from the event on (default).
    NonResponder,
    /// Use the observed visits regardless (treatment-policy).
    Observed,
}

#[derive(Clone, Copy, Debug)]
pub struct Intercurrent {
    pub crossover: Handling,
    pub rescue: Handling,
    pub discontinued: Handling,
}

/// A measure whose change from baseline is an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Tis,
    Pga,
    Ptga,
    Extramuscular,
    Mmt,
    Haq,
    CdasiActivity,
    CdasiDamage,
    Cmas,
    Enzyme(myotrial_measures::Enzyme),
}

impl Measure {
    pub const NAMES: &'static str =
        "pga, ptga, extramuscular, mmt, haq, cdasi_activity, cdasi_damage, cmas, ck, aldolase, ast, alt, ldh";

    pub fn from_name(s: &str) -> Option<Measure> {
        use myotrial_measures::Enzyme;
        Some(match s {
            "pga" => Measure::Pga,
            "ptga" => Measure::Ptga,
            "extramuscular" => Measure::Extramuscular,
            "mmt" => Measure::Mmt,
            "haq" => Measure::Haq,
            "cdasi_activity" => Measure::CdasiActivity,
            "cdasi_damage" => Measure::CdasiDamage,
            "cmas" => Measure::Cmas,
            _ => Measure::Enzyme(Enzyme::ALL.into_iter().find(|e| e.name() == s)?),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Measure::Tis => "tis",
            Measure::Pga => "pga",
            Measure::Ptga => "ptga",
            Measure::Extramuscular => "extramuscular",
            Measure::Mmt => "mmt",
            Measure::Haq => "haq",
            Measure::CdasiActivity => "cdasi_activity",
            Measure::CdasiDamage => "cdasi_damage",
            Measure::Cmas => "cmas",
            Measure::Enzyme(e) => e.name(),
        }
    }
}

/// Event types of events.csv.
pub const EVENTS: &[&str] = &["rescue", "discontinued", "crossover", "relapse", "remission", "death"];

#[derive(Clone, Debug, PartialEq)]
pub enum EndpointKind {
    /// TIS ≥ threshold at `week` and no confirmed deterioration by then (data-format.md §3.6).
    Responder { threshold: Dec, week: u32 },
    /// Change from baseline of a measure at `week`.
    Change { measure: Measure, week: u32 },
    /// Time to the first visit with TIS ≥ threshold (censored at the last assessed visit or `by_week`).
    TimeToResponse { threshold: Dec, by_week: Option<u32> },
    /// Time to the first event of this type in events.csv (censored at the last visit or event).
    TimeToEvent { event: String, by_week: Option<u32> },
    /// A state defined on the visit values at `week`: MMT at ≥ `mmt_min_pct` % of its maximum,
    /// every enzyme measured ≤ ULN (if `enzymes_normal`), CDASI activity ≤ `cdasi_activity_max`.
    Remission { week: u32, mmt_min_pct: Dec, enzymes_normal: bool, cdasi_activity_max: Option<u32> },
}

impl EndpointKind {
    pub fn name(&self) -> &'static str {
        match self {
            EndpointKind::Responder { .. } => "responder",
            EndpointKind::Change { .. } => "change",
            EndpointKind::TimeToResponse { .. } => "time-to-response",
            EndpointKind::TimeToEvent { .. } => "time-to-event",
            EndpointKind::Remission { .. } => "remission",
        }
    }

    /// The week a binary or continuous endpoint is judged at.
    pub fn week(&self) -> Option<u32> {
        match self {
            EndpointKind::Responder { week, .. }
            | EndpointKind::Change { week, .. }
            | EndpointKind::Remission { week, .. } => Some(*week),
            EndpointKind::TimeToResponse { by_week, .. } | EndpointKind::TimeToEvent { by_week, .. } => *by_week,
        }
    }

    pub fn is_binary(&self) -> bool {
        matches!(self, EndpointKind::Responder { .. } | EndpointKind::Remission { .. })
    }
}

#[derive(Clone, Debug)]
pub struct Endpoint {
    pub id: String,
    pub label: String,
    pub kind: EndpointKind,
    /// Interval method of the difference (two arms) or of the proportion (one arm).
    pub ci: String,
    /// Tests to report, by name.
    pub tests: Vec<String>,
    /// `primary`, `secondary` or `exploratory`.
    pub role: String,
    /// Line of the `[[endpoint]]` entry in trial.toml (for errors found with the data).
    pub line: u64,
}

/// Subgroup analysis of an endpoint by a subject characteristic.
#[derive(Clone, Debug)]
pub struct Subgroup {
    /// `antibody`, `diagnosis`, `sex`, `site`, `stratum`, `age` (with `bands`) or `severity`
    /// (baseline `severity_measure`, with `bands`).
    pub by: String,
    /// Band lower edges (e.g. `[40, 65]` gives `<40`, `40-64`, `≥65`).
    pub bands: Vec<Dec>,
    pub severity_measure: Option<Measure>,
    pub endpoint: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Exclusion {
    pub subject: String,
    pub reason: String,
    /// Line of the `[[exclude]]` entry in trial.toml.
    pub line: u64,
}

pub const DIFFERENCE_METHODS: &[&str] = &[
    "wald",
    "wald-cc",
    "newcombe",
    "miettinen-nurminen",
    "agresti-caffo",
    "exact-unconditional",
    "mh-greenland-robins",
    "mh-sato",
];
pub const PROPORTION_METHODS: &[&str] =
    &["clopper-pearson", "mid-p", "wilson", "wilson-cc", "jeffreys", "agresti-coull", "wald"];
pub const TWO_ARM_TESTS: &[&str] = &["fisher", "chi2", "chi2-yates", "cmh", "barnard", "boschloo"];
pub const ONE_ARM_TESTS: &[&str] = &["binomial"];
const SUBGROUP_BY: &[&str] = &["antibody", "diagnosis", "sex", "site", "stratum", "age", "severity"];

// ---- raw TOML shape ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name: Spanned<String>,
    description: Option<String>,
    population: Option<Spanned<String>>,
    control: Option<Spanned<String>>,
    arms: Spanned<Vec<Spanned<String>>>,
    primary_week: Option<u32>,
    level: Option<Spanned<f64>>,
    alpha: Option<Spanned<f64>>,
    scoring: Option<RawScoring>,
    schedule: Option<RawSchedule>,
    #[serde(default)]
    regimen: Vec<Spanned<RawRegimen>>,
    #[serde(default)]
    phase: Vec<Spanned<RawPhase>>,
    crossover: Option<Spanned<RawCrossover>>,
    #[serde(default)]
    endpoint: Vec<Spanned<RawEndpoint>>,
    #[serde(default)]
    subgroup: Vec<Spanned<RawSubgroup>>,
    #[serde(default)]
    hierarchy: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<RawExclude>>,
    intercurrent: Option<RawIntercurrent>,
    strata: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScoring {
    enzyme_change: Option<Spanned<String>>,
    missing: Option<Spanned<String>>,
    deterioration_change: Option<Spanned<String>>,
    strength: Option<Spanned<String>>,
    core_set: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    weeks: Option<Vec<u32>>,
    window: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegimen {
    arm: Spanned<String>,
    product: Option<String>,
    dose_g_per_kg: Option<Spanned<f64>>,
    interval_weeks: Option<u32>,
    cycles: Option<u32>,
    start_week: Option<u32>,
    #[serde(default)]
    doses: Vec<RawDose>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDose {
    week: u32,
    dose_g_per_kg: Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    at_week: u32,
    tis_below: Spanned<f64>,
    dose_g_per_kg: Spanned<f64>,
    interval_weeks: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhase {
    name: String,
    start_week: u32,
    end_week: u32,
    treatment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrossover {
    from: Spanned<String>,
    to: Spanned<String>,
    trigger: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpoint {
    id: Spanned<String>,
    label: Option<String>,
    kind: Spanned<String>,
    threshold: Option<Spanned<f64>>,
    week: Option<u32>,
    by_week: Option<u32>,
    measure: Option<Spanned<String>>,
    event: Option<Spanned<String>>,
    ci: Option<Spanned<String>>,
    tests: Option<Vec<Spanned<String>>>,
    role: Option<Spanned<String>>,
    mmt_min_pct: Option<Spanned<f64>>,
    enzymes_normal: Option<bool>,
    cdasi_activity_max: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubgroup {
    by: Spanned<String>,
    #[serde(default)]
    bands: Vec<Spanned<f64>>,
    severity_measure: Option<Spanned<String>>,
    endpoint: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExclude {
    subject: String,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntercurrent {
    crossover: Option<Spanned<String>>,
    rescue: Option<Spanned<String>>,
    discontinued: Option<Spanned<String>>,
}

/// 1-based line and column of a byte offset.
fn position(text: &str, offset: usize) -> (u64, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.bytes().filter(|&b| b == b'\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

struct Check<'a> {
    text: &'a str,
    file: &'a str,
    errors: LoadErrors,
}

impl Check<'_> {
    fn at(&mut self, span: Range<usize>, message: String) {
        let (line, column) = position(self.text, span.start);
        self.errors.push(LoadError { file: self.file.to_string(), line, column, message });
    }

    /// A TOML number as an exact decimal (its shortest decimal form, e.g. 2.0 → 2, 0.4 → 0.4).
    fn dec(&mut self, v: &Spanned<f64>, what: &str) -> Dec {
        let x = *v.get_ref();
        match Dec::parse(&format!("{x}")) {
            Ok(d) if x >= 0.0 => d,
            _ => {
                self.at(v.span(), format!("{what}: {x} is not a non-negative decimal"));
                Dec::ZERO
            }
        }
    }

    fn word<T: std::str::FromStr>(&mut self, v: &Option<Spanned<String>>, default: T, what: &str) -> T
    where
        T::Err: std::fmt::Display,
    {
        match v {
            None => default,
            Some(s) => s.get_ref().parse().unwrap_or_else(|e: T::Err| {
                self.at(s.span(), format!("{what}: {e}"));
                default
            }),
        }
    }

    fn one_of(&mut self, v: &Spanned<String>, allowed: &[&str], what: &str) -> bool {
        let ok = allowed.contains(&v.get_ref().as_str());
        if !ok {
            self.at(v.span(), format!("{what}: {:?} is not one of: {}", v.get_ref(), allowed.join(", ")));
        }
        ok
    }
}

fn handling(c: &mut Check, v: &Option<Spanned<String>>, what: &str) -> Handling {
    match v {
        None => Handling::NonResponder,
        Some(s) => match s.get_ref().as_str() {
            "non-responder" => Handling::NonResponder,
            "observed" => Handling::Observed,
            other => {
                c.at(s.span(), format!("{what}: {other:?} is not one of: non-responder, observed"));
                Handling::NonResponder
            }
        },
    }
}

impl Protocol {
    /// Parse and validate `trial.toml`. `file` names the file in error messages.
    pub fn parse(text: &str, file: &str) -> Result<Protocol, LoadErrors> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| position(text, s.start));
            let message = e.message().trim_end().replace('\n', " ");
            LoadErrors::from(LoadError { file: file.to_string(), line, column, message })
        })?;
        let mut c = Check { text, file, errors: LoadErrors::default() };
        let population: Population = c.word(&raw.population, Population::Adult, "population");
        let scoring = raw.scoring.unwrap_or(RawScoring {
            enzyme_change: None,
            missing: None,
            deterioration_change: None,
            strength: None,
            core_set: None,
        });
        let core_set = match &scoring.core_set {
            None => CoreSet::Imacs,
            Some(s) => match s.get_ref().as_str() {
                "imacs" => CoreSet::Imacs,
                "printo" => {
                    c.at(
                        s.span(),
                        "scoring.core_set: the PRINTO set needs CHQ-PhS and DAS values, which visits.csv \
                         (data-format.md §2) does not carry; only \"imacs\" can be analysed"
                            .into(),
                    );
                    CoreSet::Imacs
                }
                other => {
                    c.at(s.span(), format!("scoring.core_set: {other:?} is not one of: imacs"));
                    CoreSet::Imacs
                }
            },
        };
        let settings = Settings {
            population,
            core_set,
            enzyme_change: c.word(&scoring.enzyme_change, EnzymeChange::Relative, "scoring.enzyme_change"),
            missing: c.word(&scoring.missing, MissingRule::Strict, "scoring.missing"),
            deterioration_change: c.word(
                &scoring.deterioration_change,
                DeteriorationChange::Relative,
                "scoring.deterioration_change",
            ),
        };
        let strength = c.word(&scoring.strength, StrengthChoice::Auto, "scoring.strength");

        // Arms and control.
        let mut arms: Vec<String> = Vec::new();
        for a in raw.arms.get_ref() {
            if a.get_ref().trim().is_empty() {
                c.at(a.span(), "arms: an arm name must not be empty".into());
            } else if arms.contains(a.get_ref()) {
                c.at(a.span(), format!("arms: {:?} is listed twice", a.get_ref()));
            } else {
                arms.push(a.get_ref().clone());
            }
        }
        if arms.is_empty() {
            c.at(raw.arms.span(), "arms: at least one arm is needed".into());
        }
        let control = match &raw.control {
            Some(s) if !arms.contains(s.get_ref()) => {
                c.at(s.span(), format!("control: {:?} is not one of the arms ({})", s.get_ref(), arms.join(", ")));
                None
            }
            Some(s) if arms.len() == 1 => {
                c.at(s.span(), "control: a single-arm study has no control arm (remove `control`)".into());
                None
            }
            Some(s) => Some(s.get_ref().clone()),
            None => None,
        };
        if arms.len() >= 2 && control.is_none() && raw.control.is_none() {
            c.at(raw.arms.span(), "control: a trial with two or more arms needs `control = \"<arm>\"`".into());
        }
        let arm_ok = |c: &mut Check, s: &Spanned<String>, what: &str| {
            if !arms.contains(s.get_ref()) {
                c.at(s.span(), format!("{what}: {:?} is not one of the arms ({})", s.get_ref(), arms.join(", ")));
            }
        };

        let level = raw.level.as_ref().map_or(0.95, |l| *l.get_ref());
        if let Some(l) = &raw.level {
            if !(*l.get_ref() > 0.0 && *l.get_ref() < 1.0) {
                c.at(l.span(), format!("level: {} is not between 0 and 1", l.get_ref()));
            }
        }
        let alpha = raw.alpha.as_ref().map_or(0.05, |a| *a.get_ref());
        if let Some(a) = &raw.alpha {
            if !(*a.get_ref() > 0.0 && *a.get_ref() < 1.0) {
                c.at(a.span(), format!("alpha: {} is not between 0 and 1", a.get_ref()));
            }
        }

        let schedule = match raw.schedule {
            None => Schedule::default(),
            Some(s) => {
                let mut weeks = s.weeks;
                if let Some(w) = &mut weeks {
                    w.sort_unstable();
                    w.dedup();
                }
                Schedule { weeks, window: s.window.unwrap_or(0) }
            }
        };

        let mut regimens = Vec::new();
        for r in &raw.regimen {
            let rr = r.get_ref();
            arm_ok(&mut c, &rr.arm, "regimen.arm");
            let dose = rr.dose_g_per_kg.as_ref().map_or(Dec::ZERO, |d| c.dec(d, "regimen.dose_g_per_kg"));
            let doses =
                rr.doses.iter().map(|d| (d.week, c.dec(&d.dose_g_per_kg, "regimen.doses.dose_g_per_kg"))).collect();
            let rules = rr
                .rule
                .iter()
                .map(|u| {
                    let uu = u.get_ref();
                    AdaptiveRule {
                        at_week: uu.at_week,
                        tis_below: c.dec(&uu.tis_below, "regimen.rule.tis_below"),
                        dose_g_per_kg: c.dec(&uu.dose_g_per_kg, "regimen.rule.dose_g_per_kg"),
                        interval_weeks: uu.interval_weeks,
                    }
                })
                .collect();
            if rr.dose_g_per_kg.is_none() && rr.doses.is_empty() {
                c.at(r.span(), "regimen: give `dose_g_per_kg` (with interval and cycles) or `doses`".into());
            }
            regimens.push(Regimen {
                arm: rr.arm.get_ref().clone(),
                product: rr.product.clone(),
                dose_g_per_kg: dose,
                interval_weeks: rr.interval_weeks.unwrap_or(4),
                cycles: rr.cycles.unwrap_or(1),
                start_week: rr.start_week.unwrap_or(0),
                doses,
                rules,
            });
        }

        let mut phases = Vec::new();
        for p in &raw.phase {
            let pp = p.get_ref();
            if pp.end_week < pp.start_week {
                c.at(p.span(), format!("phase {:?}: end_week is before start_week", pp.name));
            }
            phases.push(Phase {
                name: pp.name.clone(),
                start_week: pp.start_week,
                end_week: pp.end_week,
                treatment: pp.treatment.clone(),
            });
        }

        let crossover = raw.crossover.as_ref().map(|x| {
            let xx = x.get_ref();
            arm_ok(&mut c, &xx.from, "crossover.from");
            arm_ok(&mut c, &xx.to, "crossover.to");
            Crossover {
                from: xx.from.get_ref().clone(),
                to: xx.to.get_ref().clone(),
                trigger: xx.trigger.clone().unwrap_or_else(|| "confirmed-deterioration".into()),
            }
        });

        let single_arm = arms.len() == 1;
        let mut endpoints: Vec<Endpoint> = Vec::new();
        for e in &raw.endpoint {
            let ee = e.get_ref();
            let id = ee.id.get_ref().clone();
            if endpoints.iter().any(|x| x.id == id) {
                c.at(ee.id.span(), format!("endpoint.id: {id:?} is used twice"));
            }
            let need_week = |c: &mut Check, w: Option<u32>| {
                w.unwrap_or_else(|| {
                    c.at(e.span(), format!("endpoint {id:?}: needs `week`"));
                    0
                })
            };
            let threshold = |c: &mut Check| match &ee.threshold {
                Some(t) => {
                    let d = c.dec(t, "endpoint.threshold");
                    if d > Dec::from(100) {
                        c.at(t.span(), format!("endpoint.threshold: {} is above 100", t.get_ref()));
                    }
                    d
                }
                None => {
                    c.at(e.span(), format!("endpoint {id:?}: needs `threshold`"));
                    Dec::ZERO
                }
            };
            let kind = match ee.kind.get_ref().as_str() {
                "responder" => {
                    EndpointKind::Responder { threshold: threshold(&mut c), week: need_week(&mut c, ee.week) }
                }
                "change" => {
                    let measure = match &ee.measure {
                        Some(m) => Measure::from_name(m.get_ref()).unwrap_or_else(|| {
                            c.at(
                                m.span(),
                                format!("endpoint.measure: {:?} is not one of: {}", m.get_ref(), Measure::NAMES),
                            );
                            Measure::Pga
                        }),
                        None => {
                            c.at(e.span(), format!("endpoint {id:?}: needs `measure`"));
                            Measure::Pga
                        }
                    };
                    EndpointKind::Change { measure, week: need_week(&mut c, ee.week) }
                }
                "time-to-response" => {
                    EndpointKind::TimeToResponse { threshold: threshold(&mut c), by_week: ee.by_week }
                }
                "time-to-event" => {
                    let event = match &ee.event {
                        Some(ev) => {
                            c.one_of(ev, EVENTS, "endpoint.event");
                            ev.get_ref().clone()
                        }
                        None => {
                            c.at(e.span(), format!("endpoint {id:?}: needs `event`"));
                            String::new()
                        }
                    };
                    EndpointKind::TimeToEvent { event, by_week: ee.by_week }
                }
                "remission" => EndpointKind::Remission {
                    week: need_week(&mut c, ee.week),
                    mmt_min_pct: ee.mmt_min_pct.as_ref().map_or(Dec::from(100), |m| c.dec(m, "endpoint.mmt_min_pct")),
                    enzymes_normal: ee.enzymes_normal.unwrap_or(true),
                    cdasi_activity_max: ee.cdasi_activity_max,
                },
                other => {
                    c.at(
                        ee.kind.span(),
                        format!(
                            "endpoint.kind: {other:?} is not one of: responder, change, time-to-response, time-to-event, remission"
                        ),
                    );
                    continue;
                }
            };
            let default_ci = if single_arm { "clopper-pearson" } else { "wald" };
            let ci = match &ee.ci {
                Some(m) => {
                    let allowed = if single_arm { PROPORTION_METHODS } else { DIFFERENCE_METHODS };
                    c.one_of(m, allowed, "endpoint.ci");
                    m.get_ref().clone()
                }
                None => default_ci.to_string(),
            };
            let tests = match &ee.tests {
                Some(ts) => {
                    let allowed = if single_arm { ONE_ARM_TESTS } else { TWO_ARM_TESTS };
                    ts.iter().filter(|t| c.one_of(t, allowed, "endpoint.tests")).map(|t| t.get_ref().clone()).collect()
                }
                None if single_arm => vec!["binomial".to_string()],
                None => vec!["fisher".to_string(), "chi2".to_string()],
            };
            let role = match &ee.role {
                Some(r) => {
                    c.one_of(r, &["primary", "secondary", "exploratory"], "endpoint.role");
                    r.get_ref().clone()
                }
                None if endpoints.is_empty() => "primary".into(),
                None => "secondary".into(),
            };
            let label = ee.label.clone().unwrap_or_else(|| default_label(&kind));
            if let EndpointKind::Responder { week: 0, .. }
            | EndpointKind::Change { week: 0, .. }
            | EndpointKind::Remission { week: 0, .. } = kind
            {
                c.at(e.span(), format!("endpoint {id:?}: week 0 is the baseline, not an assessment"));
            }
            let line = position(text, e.span().start).0;
            endpoints.push(Endpoint { id, label, kind, ci, tests, role, line });
        }

        let mut subgroups = Vec::new();
        for s in &raw.subgroup {
            let ss = s.get_ref();
            c.one_of(&ss.by, SUBGROUP_BY, "subgroup.by");
            let bands: Vec<Dec> = ss.bands.iter().map(|b| c.dec(b, "subgroup.bands")).collect();
            let banded = matches!(ss.by.get_ref().as_str(), "age" | "severity");
            if banded && bands.is_empty() {
                c.at(ss.by.span(), format!("subgroup by {:?} needs `bands` (band lower edges)", ss.by.get_ref()));
            }
            if !banded && !bands.is_empty() {
                c.at(s.span(), format!("subgroup by {:?}: `bands` apply only to age and severity", ss.by.get_ref()));
            }
            if bands.windows(2).any(|w| w[0] >= w[1]) {
                c.at(s.span(), "subgroup.bands: must increase".into());
            }
            let severity_measure = match &ss.severity_measure {
                Some(m) => Measure::from_name(m.get_ref()).or_else(|| {
                    c.at(
                        m.span(),
                        format!("subgroup.severity_measure: {:?} is not one of: {}", m.get_ref(), Measure::NAMES),
                    );
                    None
                }),
                None if ss.by.get_ref() == "severity" => Some(Measure::CdasiActivity),
                None => None,
            };
            let endpoint = ss.endpoint.as_ref().map(|e| {
                match endpoints.iter().find(|x| &x.id == e.get_ref()) {
                    None => c.at(e.span(), format!("subgroup.endpoint: no endpoint has id {:?}", e.get_ref())),
                    Some(x) if !x.kind.is_binary() => c.at(
                        e.span(),
                        format!("subgroup.endpoint: {:?} is not a responder or remission endpoint", e.get_ref()),
                    ),
                    Some(_) => {}
                }
                e.get_ref().clone()
            });
            subgroups.push(Subgroup { by: ss.by.get_ref().clone(), bands, severity_measure, endpoint });
        }

        let mut hierarchy = Vec::new();
        for h in &raw.hierarchy {
            if !endpoints.iter().any(|x| &x.id == h.get_ref()) {
                c.at(h.span(), format!("hierarchy: no endpoint has id {:?}", h.get_ref()));
            } else if hierarchy.contains(h.get_ref()) {
                c.at(h.span(), format!("hierarchy: {:?} is listed twice", h.get_ref()));
            }
            hierarchy.push(h.get_ref().clone());
        }

        let exclusions = raw
            .exclude
            .iter()
            .map(|x| Exclusion {
                subject: x.get_ref().subject.clone(),
                reason: x.get_ref().reason.clone(),
                line: position(text, x.span().start).0,
            })
            .collect();
        let intercurrent = match &raw.intercurrent {
            None => Intercurrent {
                crossover: Handling::NonResponder,
                rescue: Handling::NonResponder,
                discontinued: Handling::NonResponder,
            },
            Some(i) => Intercurrent {
                crossover: handling(&mut c, &i.crossover, "intercurrent.crossover"),
                rescue: handling(&mut c, &i.rescue, "intercurrent.rescue"),
                discontinued: handling(&mut c, &i.discontinued, "intercurrent.discontinued"),
            },
        };

        let strata = match &raw.strata {
            None => vec!["stratum".to_string()],
            Some(list) => list
                .iter()
                .filter(|x| c.one_of(x, &["stratum", "site", "sex", "antibody", "diagnosis"], "strata"))
                .map(|x| x.get_ref().clone())
                .collect(),
        };
        if !c.errors.is_empty() {
            return Err(c.errors);
        }
        Ok(Protocol {
            name: raw.name.into_inner(),
            description: raw.description,
            population,
            settings,
            strength,
            arms,
            control,
            primary_week: raw.primary_week.or_else(|| endpoints.iter().find_map(|e| e.kind.week())),
            level,
            schedule,
            regimens,
            phases,
            crossover,
            endpoints,
            subgroups,
            hierarchy,
            alpha,
            exclusions,
            intercurrent,
            strata,
        })
    }

    /// The arms other than the control, in protocol order.
    pub fn treatment_arms(&self) -> impl Iterator<Item = &str> {
        self.arms.iter().map(String::as_str).filter(move |a| Some(*a) != self.control.as_deref())
    }
}

fn default_label(kind: &EndpointKind) -> String {
    match kind {
        EndpointKind::Responder { threshold, week } => format!("TIS ≥ {threshold} at week {week}"),
        EndpointKind::Change { measure, week } => format!("Change in {} at week {week}", measure.name()),
        EndpointKind::TimeToResponse { threshold, .. } => format!("Time to TIS ≥ {threshold}"),
        EndpointKind::TimeToEvent { event, .. } => format!("Time to {event}"),
        EndpointKind::Remission { week, .. } => format!("Remission at week {week}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SKETCH: &str = r#"name = "ProDERM-like"
population = "adult"
control = "placebo"                 # arm the difference is taken against
arms = ["ivig", "placebo"]
primary_week = 16
[[endpoint]]
id = "tis20"                        # also tis40, tis60; cdasi_activity_change, ...
kind = "responder"
threshold = 20
week = 16
ci = "wald"                         # wald | newcombe | miettinen-nurminen | exact-unconditional ...
"#;

    #[test]
    fn the_data_format_sketch_is_accepted_with_defaults() {
        let p = Protocol::parse(SKETCH, "trial.toml").unwrap();
        assert_eq!(p.arms, ["ivig", "placebo"]);
        assert_eq!(p.control.as_deref(), Some("placebo"));
        assert_eq!(p.endpoints.len(), 1);
        let e = &p.endpoints[0];
        assert_eq!(e.kind, EndpointKind::Responder { threshold: Dec::from(20), week: 16 });
        assert_eq!(e.ci, "wald");
        assert_eq!(e.tests, ["fisher", "chi2"]);
        assert_eq!(e.role, "primary");
        assert_eq!(p.level, 0.95);
        assert!(p.schedule.weeks.is_none());
    }

    #[test]
    fn errors_name_line_and_column() {
        let text = SKETCH.replace("control = \"placebo\"", "control = \"plaecbo\"");
        let e = Protocol::parse(&text, "trial.toml").unwrap_err().to_string();
        assert_eq!(e, "trial.toml:3:11: control: \"plaecbo\" is not one of the arms (ivig, placebo)");
        let text = SKETCH.replace("threshold = 20", "threshhold = 20");
        let e = Protocol::parse(&text, "trial.toml").unwrap_err().to_string();
        assert!(e.starts_with("trial.toml:9:1: unknown field `threshhold`"), "{e}");
        let e = Protocol::parse("name = \"x\"\narms = [\"a\"\n", "trial.toml").unwrap_err().to_string();
        assert!(e.starts_with("trial.toml:2:"), "{e}");
        let text = SKETCH.replace("ci = \"wald\"", "ci = \"walt\"");
        let e = Protocol::parse(&text, "trial.toml").unwrap_err().to_string();
        assert!(e.starts_with("trial.toml:11:6: endpoint.ci: \"walt\" is not one of:"), "{e}");
    }
}
