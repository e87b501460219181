//! The 2016 ACR/EULAR Total Improvement Score (tis.md §1–§4), exactly.
//!
//! Each row's improvement % is `100 × s × (follow-up − baseline) / R`; it is compared with the
//! band edges as `100·s·Δ ≤ cut·R` on integers (values are [`Dec`] billionths widened to `i128`),
//! so no band decision ever depends on binary floating point. Points are held doubled (TIS × 2 is
//! an integer 0–200), so every TIS is an exact multiple of 2.5.

use crate::settings::{CoreSet, EnzymeChange, MissingRule, Population, Settings, SettingsError};
use crate::visit::{OutOfRange, StrengthScale, Visit};
use myotrial_measures::{Dec, Enzyme, EnzymeReading};
use std::fmt;

/// The six TIS rows, in output order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Row {
    /// Physician global activity.
    Pga,
    /// Patient (adult) or parent (JDM) global activity.
    Ptga,
    /// MMT (or CMAS with the PRINTO set).
    Mmt,
    /// HAQ-DI or CHAQ.
    Haq,
    /// Most abnormal enzyme (IMACS) or CHQ-PhS (PRINTO).
    Enzyme,
    /// Extramuscular global activity (IMACS) or DAS (PRINTO).
    Extramuscular,
}

impl Row {
    pub const ALL: [Row; 6] = [Row::Pga, Row::Ptga, Row::Mmt, Row::Haq, Row::Enzyme, Row::Extramuscular];

    /// Name used in output columns (`pga_points`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Row::Pga => "pga",
            Row::Ptga => "ptga",
            Row::Mmt => "mmt",
            Row::Haq => "haq",
            Row::Enzyme => "enzyme",
            Row::Extramuscular => "extramuscular",
        }
    }

    /// Upper-inclusive band edges in percent (tis.md §2.1, §2.2).
    fn cuts(self) -> [i128; 4] {
        match self {
            Row::Mmt => [2, 10, 20, 30],
            _ => [5, 15, 25, 40],
        }
    }

    /// Points ×2 for bands 0..=4 (tis.md §2.4).
    fn points_x2(self) -> [u8; 5] {
        match self {
            Row::Pga => [0, 15, 30, 35, 40],
            Row::Ptga => [0, 5, 10, 15, 20],
            Row::Mmt => [0, 20, 40, 55, 65],
            Row::Haq => [0, 10, 15, 15, 20],
            Row::Enzyme => [0, 5, 10, 15, 15],
            Row::Extramuscular => [0, 15, 25, 30, 40],
        }
    }

    /// The row's maximum points ×2 (20, 10, 32.5, 10, 7.5, 20 → total 100).
    pub fn max_points_x2(self) -> u8 {
        self.points_x2()[4]
    }
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An exact percentage `num / den` (den > 0), kept for audit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Percent {
    pub num: i128,
    pub den: i128,
}

impl Percent {
    /// For display only.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// `self ≤ x` for a whole-number percentage `x`, exactly.
    pub fn le(self, x: i128) -> bool {
        self.num <= x * self.den
    }

    /// `self ≥ x` for a whole-number percentage `x`, exactly.
    pub fn ge(self, x: i128) -> bool {
        self.num >= x * self.den
    }
}

impl serde::Serialize for Percent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_f64())
    }
}

/// `100 × s × (fu − bl) / range` as an exact fraction; `higher_better` sets the sign `s`.
pub fn improvement(bl: Dec, fu: Dec, range: Dec, higher_better: bool) -> Percent {
    let diff = fu.raw() as i128 - bl.raw() as i128;
    let signed = if higher_better { diff } else { -diff };
    Percent { num: 100 * signed, den: range.raw() as i128 }
}

/// One scored row, with everything needed to audit it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
pub struct RowScore {
    pub row: Row,
    pub baseline: Dec,
    pub followup: Dec,
    /// The denominator R of the improvement %.
    pub range: Dec,
    pub improvement_pct: Percent,
    /// 0 (≤ first cut, incl. any worsening) … 4 (above the last cut).
    pub band: u8,
    pub points_x2: u8,
}

impl RowScore {
    pub fn points(&self) -> f64 {
        self.points_x2 as f64 / 2.0
    }
}

/// Where a value needed for a row is missing.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingAt {
    Baseline,
    FollowUp,
    Both,
}

/// Why a row could not be scored.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum Unscorable {
    /// The measure is missing.
    Missing { at: MissingAt },
    /// No enzyme (value with ULN) at baseline, so none can be followed.
    NoBaselineEnzyme,
    /// The followed enzyme is missing at the follow-up visit.
    EnzymeMissing { enzyme: Enzyme },
    /// Relative enzyme change with a baseline value of 0 is undefined.
    EnzymeBaselineZero { enzyme: Enzyme },
}

/// The outcome of one TIS row.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RowOutcome {
    Scored(RowScore),
    Unscorable(Row, Unscorable),
}

impl RowOutcome {
    pub fn row(&self) -> Row {
        match self {
            RowOutcome::Scored(s) => s.row,
            RowOutcome::Unscorable(r, _) => *r,
        }
    }

    pub fn points_x2(&self) -> Option<u8> {
        match self {
            RowOutcome::Scored(s) => Some(s.points_x2),
            RowOutcome::Unscorable(..) => None,
        }
    }

    /// Plain-language reason the row could not be scored, e.g. `missing haq at week 16`.
    pub fn problem(&self, baseline_week: u32, week: u32) -> Option<String> {
        let RowOutcome::Unscorable(row, why) = self else { return None };
        let mut text = String::new();
        why.describe(row.name(), baseline_week, week, &mut text).ok()?;
        Some(text)
    }
}

impl Unscorable {
    /// Write the plain-language reason for the row named `row` (e.g. `haq`, or `cmas` for the
    /// strength row scored with the CMAS), without allocating.
    pub fn describe(&self, row: &str, baseline_week: u32, week: u32, out: &mut impl fmt::Write) -> fmt::Result {
        // Written piece by piece (no formatting machinery): `score` writes this for every
        // visit with a missing measure.
        fn num(out: &mut impl fmt::Write, v: u32) -> fmt::Result {
            let mut digits = [0u8; 10];
            let mut i = digits.len();
            let mut v = v;
            loop {
                i -= 1;
                digits[i] = b'0' + (v % 10) as u8;
                v /= 10;
                if v == 0 {
                    break;
                }
            }
            // ASCII digits are valid UTF-8.
            out.write_str(std::str::from_utf8(&digits[i..]).unwrap_or("?"))
        }
        match self {
            Unscorable::Missing { at } => {
                out.write_str("missing ")?;
                out.write_str(row)?;
                out.write_str(" at week ")?;
                match at {
                    MissingAt::Baseline => {
                        num(out, baseline_week)?;
                        out.write_str(" (baseline)")
                    }
                    MissingAt::FollowUp => num(out, week),
                    MissingAt::Both => {
                        num(out, baseline_week)?;
                        out.write_str(" (baseline) and week ")?;
                        num(out, week)
                    }
                }
            }
            Unscorable::NoBaselineEnzyme => {
                out.write_str("missing enzyme at week ")?;
                num(out, baseline_week)?;
                out.write_str(" (baseline): no value with its ULN")
            }
            Unscorable::EnzymeMissing { enzyme } => {
                out.write_str("missing enzyme (")?;
                out.write_str(enzyme.name())?;
                out.write_str(") at week ")?;
                num(out, week)
            }
            Unscorable::EnzymeBaselineZero { enzyme } => {
                out.write_str("enzyme (")?;
                out.write_str(enzyme.name())?;
                out.write_str(") is 0 at baseline: relative change undefined")
            }
        }
    }
}

/// Highest improvement category reached (tis.md §3).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    None,
    Minimal,
    Moderate,
    Major,
}

impl Category {
    /// Thresholds ×2 (minimal, moderate, major), inclusive.
    pub fn thresholds_x2(population: Population) -> [u16; 3] {
        match population {
            Population::Adult => [40, 80, 120],
            Population::Jdm => [60, 90, 140],
        }
    }

    pub fn from_tis_x2(tis_x2: u16, population: Population) -> Category {
        let [min, moderate, major] = Self::thresholds_x2(population);
        if tis_x2 >= major {
            Category::Major
        } else if tis_x2 >= moderate {
            Category::Moderate
        } else if tis_x2 >= min {
            Category::Minimal
        } else {
            Category::None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Category::None => "none",
            Category::Minimal => "minimal",
            Category::Moderate => "moderate",
            Category::Major => "major",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The TIS of one follow-up visit against baseline.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Tis {
    /// The six rows in [`Row::ALL`] order.
    pub rows: [RowOutcome; 6],
    /// TIS × 2 (0–200), `None` when not computable.
    pub tis_x2: Option<u16>,
    pub category: Option<Category>,
    /// Some rows were not scorable and counted 0 (only with [`MissingRule::Partial`]).
    pub partial: bool,
    /// The followed enzyme (IMACS set), chosen at baseline.
    pub enzyme: Option<Enzyme>,
    /// The followed enzyme was at or below its ULN at baseline (tis.md §4: flagged, scored as usual).
    pub enzyme_normal_at_baseline: bool,
}

impl Tis {
    pub fn tis(&self) -> Option<f64> {
        self.tis_x2.map(|x| x as f64 / 2.0)
    }

    pub fn row(&self, r: Row) -> &RowOutcome {
        &self.rows[r as usize]
    }

    /// Cumulative responder flags: at least minimal, moderate, major.
    pub fn at_least(&self, population: Population) -> Option<[bool; 3]> {
        let t = Category::thresholds_x2(population);
        self.tis_x2.map(|x| [x >= t[0], x >= t[1], x >= t[2]])
    }
}

/// Why a visit pair cannot be scored at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TisError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("baseline: {0}")]
    InvalidBaseline(OutOfRange),
    #[error("follow-up: {0}")]
    InvalidFollowUp(OutOfRange),
    #[error("the strength scale changed from {baseline} at baseline to {followup}")]
    ScaleChanged { baseline: StrengthScale, followup: StrengthScale },
}

fn band_of(row: Row, pct: Percent) -> u8 {
    row.cuts().iter().position(|&c| pct.le(c)).unwrap_or(4) as u8
}

fn score_values(row: Row, bl: Dec, fu: Dec, range: Dec, higher_better: bool) -> RowScore {
    let improvement_pct = improvement(bl, fu, range, higher_better);
    let band = band_of(row, improvement_pct);
    RowScore {
        row,
        baseline: bl,
        followup: fu,
        range,
        improvement_pct,
        band,
        points_x2: row.points_x2()[band as usize],
    }
}

fn score_pair(row: Row, bl: Option<Dec>, fu: Option<Dec>, range: Dec, higher_better: bool) -> RowOutcome {
    match (bl, fu) {
        (Some(b), Some(f)) => RowOutcome::Scored(score_values(row, b, f, range, higher_better)),
        (None, Some(_)) => RowOutcome::Unscorable(row, Unscorable::Missing { at: MissingAt::Baseline }),
        (Some(_), None) => RowOutcome::Unscorable(row, Unscorable::Missing { at: MissingAt::FollowUp }),
        (None, None) => RowOutcome::Unscorable(row, Unscorable::Missing { at: MissingAt::Both }),
    }
}

/// The followed enzyme: the most abnormal at baseline (value ÷ ULN; ties CK, aldolase, AST, ALT, LDH).
pub fn followed_enzyme(baseline: &Visit) -> Option<(Enzyme, EnzymeReading)> {
    baseline.enzymes.most_abnormal()
}

fn score_enzyme(
    followed: Option<(Enzyme, EnzymeReading)>,
    followup: &Visit,
    change: EnzymeChange,
) -> (RowOutcome, Option<(Enzyme, EnzymeReading)>) {
    let row = Row::Enzyme;
    let Some((enzyme, bl)) = followed else {
        return (RowOutcome::Unscorable(row, Unscorable::NoBaselineEnzyme), None);
    };
    let chosen = Some((enzyme, bl));
    let Some(fu) = followup.enzymes.get(enzyme) else {
        return (RowOutcome::Unscorable(row, Unscorable::EnzymeMissing { enzyme }), chosen);
    };
    let range = match change {
        EnzymeChange::Relative => bl.value,
        // k × ULN never overflows for a validated reading below ~6e8 U/L; refuse rather than wrap.
        EnzymeChange::UlnMultiple => match bl.uln.checked_mul_int(enzyme.uln_multiple()) {
            Some(r) => r,
            None => return (RowOutcome::Unscorable(row, Unscorable::EnzymeBaselineZero { enzyme }), chosen),
        },
    };
    if range.raw() <= 0 {
        return (RowOutcome::Unscorable(row, Unscorable::EnzymeBaselineZero { enzyme }), chosen);
    }
    (RowOutcome::Scored(score_values(row, bl.value, fu.value, range, false)), chosen)
}

/// Score one follow-up visit against baseline.
pub fn score(baseline: &Visit, followup: &Visit, settings: &Settings) -> Result<Tis, TisError> {
    settings.validate()?;
    let das_max = das_max(settings);
    baseline.validate(das_max).map_err(TisError::InvalidBaseline)?;
    followup.validate(das_max).map_err(TisError::InvalidFollowUp)?;
    score_checked(baseline, followup, settings)
}

/// The largest DAS value allowed by the settings (PRINTO only).
pub(crate) fn das_max(settings: &Settings) -> Option<Dec> {
    match settings.core_set {
        CoreSet::Printo { das_range, .. } => Some(das_range),
        CoreSet::Imacs => None,
    }
}

/// [`score`] for settings and visits already validated (the subject scorer validates each visit
/// once, not once per pair).
pub(crate) fn score_checked(baseline: &Visit, followup: &Visit, settings: &Settings) -> Result<Tis, TisError> {
    score_checked_with(baseline, followup, settings, followed_enzyme(baseline))
}

/// [`score_checked`] with the baseline's followed enzyme already chosen ([`followed_enzyme`]):
/// a subject's visits all follow the same one, chosen once.
pub(crate) fn score_checked_with(
    baseline: &Visit,
    followup: &Visit,
    settings: &Settings,
    followed: Option<(Enzyme, EnzymeReading)>,
) -> Result<Tis, TisError> {
    if let (Some(b), Some(f)) = (baseline.strength, followup.strength) {
        if b.scale != f.scale {
            return Err(TisError::ScaleChanged { baseline: b.scale, followup: f.scale });
        }
    }
    let ten = Dec::from(10);
    let three = Dec::from(3);
    let strength_range = baseline.strength.or(followup.strength).map(|s| Dec::from(s.scale.max())).unwrap_or(ten);
    let strength = |v: &Visit| v.strength.map(|s| Dec::from(s.score));

    let pga = score_pair(Row::Pga, baseline.pga, followup.pga, ten, false);
    let ptga = score_pair(Row::Ptga, baseline.ptga, followup.ptga, ten, false);
    let mmt = score_pair(Row::Mmt, strength(baseline), strength(followup), strength_range, true);
    let haq = score_pair(Row::Haq, baseline.haq, followup.haq, three, false);
    let (row5, row6, chosen) = match settings.core_set {
        CoreSet::Imacs => {
            let (enz, chosen) = score_enzyme(followed, followup, settings.enzyme_change);
            let extra = score_pair(Row::Extramuscular, baseline.extramuscular, followup.extramuscular, ten, false);
            (enz, extra, chosen)
        }
        CoreSet::Printo { chq_phs_range, das_range } => (
            score_pair(Row::Enzyme, baseline.chq_phs, followup.chq_phs, chq_phs_range, true),
            score_pair(Row::Extramuscular, baseline.das, followup.das, das_range, false),
            None,
        ),
    };
    let rows = [pga, ptga, mmt, haq, row5, row6];
    let all_scored = rows.iter().all(|r| matches!(r, RowOutcome::Scored(_)));
    let sum: u16 = rows.iter().filter_map(|r| r.points_x2()).map(u16::from).sum();
    let tis_x2 = match settings.missing {
        MissingRule::Strict if !all_scored => None,
        _ => Some(sum),
    };
    Ok(Tis {
        rows,
        tis_x2,
        category: tis_x2.map(|t| Category::from_tis_x2(t, settings.population)),
        partial: tis_x2.is_some() && !all_scored,
        enzyme: chosen.map(|(e, _)| e),
        enzyme_normal_at_baseline: chosen.is_some_and(|(_, r)| r.within_normal()),
    })
}
