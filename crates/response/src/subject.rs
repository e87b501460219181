//! One subject's visits scored together: TIS and deterioration at every follow-up visit versus
//! week 0, confirmed deterioration, and the responder rule of data-format.md §3.6.

use crate::deterioration::{self, Deterioration};
use crate::settings::Settings;
use crate::tis::{self, Tis, TisError};
use crate::visit::{StrengthScale, Visit};
use myotrial_measures::Dec;

/// The results of one follow-up visit.
#[derive(Clone, Debug)]
pub struct VisitResult {
    pub week: u32,
    pub tis: Result<Tis, TisError>,
    pub deterioration: Deterioration,
    /// Confirmed deterioration is dated at this visit (met here and at the previous visit).
    pub confirmed_here: bool,
    /// Confirmed deterioration dated at or before this visit.
    pub confirmed_by_now: bool,
}

/// All follow-up visits of a subject, in week order.
#[derive(Clone, Debug)]
pub struct SubjectResult {
    pub visits: Vec<VisitResult>,
    /// Week of the first confirmed deterioration.
    pub confirmed_deterioration: Option<u32>,
}

/// A problem with the subject's visits as a whole; no visit of the subject is scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubjectError {
    #[error("no baseline (week 0) row")]
    NoBaseline,
    #[error("two rows for week {0}")]
    DuplicateWeek(u32),
    #[error("the strength scale changes from {from} to {to} at week {week}")]
    ScaleChanged { week: u32, from: StrengthScale, to: StrengthScale },
}

/// Check the subject-level rules (a week-0 row, one row per week, one strength scale) without scoring.
pub fn check(visits: &[(u32, Visit)]) -> Result<(), SubjectError> {
    let mut owned = Vec::new();
    check_sorted(in_week_order(visits, &mut owned))
}

/// The visits in week order: `visits` itself when already sorted (the usual case, no copy),
/// otherwise a sorted copy in `owned`.
fn in_week_order<'a>(visits: &'a [(u32, Visit)], owned: &'a mut Vec<(u32, Visit)>) -> &'a [(u32, Visit)] {
    if visits.windows(2).all(|w| w[0].0 <= w[1].0) {
        visits
    } else {
        owned.extend_from_slice(visits);
        owned.sort_by_key(|(w, _)| *w);
        owned
    }
}

/// [`check`] on visits already in week order.
fn check_sorted(order: &[(u32, Visit)]) -> Result<(), SubjectError> {
    if let Some(w) = order.windows(2).find(|p| p[0].0 == p[1].0) {
        return Err(SubjectError::DuplicateWeek(w[0].0));
    }
    if order.first().map(|(w, _)| *w) != Some(0) {
        return Err(SubjectError::NoBaseline);
    }
    let mut scale: Option<StrengthScale> = None;
    for (week, v) in order {
        if let Some(s) = v.strength {
            match scale {
                Some(from) if from != s.scale => {
                    return Err(SubjectError::ScaleChanged { week: *week, from, to: s.scale })
                }
                _ => scale = Some(s.scale),
            }
        }
    }
    Ok(())
}

/// Score every follow-up visit of one subject against its week-0 visit. Visits may come in any order.
pub fn score_subject(visits: &[(u32, Visit)], settings: &Settings) -> Result<SubjectResult, SubjectError> {
    let mut results = Vec::with_capacity(visits.len().saturating_sub(1));
    let confirmed_deterioration = for_each_visit(visits, settings, |v| results.push(v))?;
    Ok(SubjectResult { visits: results, confirmed_deterioration })
}

/// [`score_subject`] handing each follow-up visit's result to `f` in week order, without
/// collecting them (for batch scoring). Returns the week of the first confirmed deterioration.
pub fn for_each_visit(
    visits: &[(u32, Visit)],
    settings: &Settings,
    mut f: impl FnMut(VisitResult),
) -> Result<Option<u32>, SubjectError> {
    let mut owned = Vec::new();
    let order = in_week_order(visits, &mut owned);
    check_sorted(order)?;
    let (_, baseline) = &order[0];
    // Settings and each visit are validated once here, not once per (baseline, visit) pair.
    let das_max = tis::das_max(settings);
    let baseline_ok = settings
        .validate()
        .map_err(TisError::from)
        .and_then(|()| baseline.validate(das_max).map_err(TisError::InvalidBaseline));
    let followed = tis::followed_enzyme(baseline);
    let mut previous_met = false;
    let mut first = None;
    for &(week, ref v) in &order[1..] {
        let deterioration = deterioration::assess(baseline, v, settings.deterioration_change);
        // Confirmed: met here and at the previous assessment visit (deterioration::confirmations).
        let confirmed_here = deterioration.met() && previous_met;
        previous_met = deterioration.met();
        if confirmed_here && first.is_none() {
            first = Some(week);
        }
        let tis = match &baseline_ok {
            Ok(()) => v
                .validate(das_max)
                .map_err(TisError::InvalidFollowUp)
                .and_then(|()| tis::score_checked_with(baseline, v, settings, followed)),
            Err(e) => Err(e.clone()),
        };
        f(VisitResult { week, tis, deterioration, confirmed_here, confirmed_by_now: first.is_some() });
    }
    Ok(first)
}

impl SubjectResult {
    /// Responder for "TIS ≥ `threshold` at week `week`" (data-format.md §3.6): the TIS at that
    /// week is computable and ≥ the threshold, and no confirmed deterioration is dated at or
    /// before it. A missing visit is a non-responder.
    pub fn responder(&self, threshold: Dec, week: u32) -> bool {
        let Some(v) = self.visits.iter().find(|v| v.week == week) else { return false };
        let reached = match &v.tis {
            Ok(t) => t.tis_x2.is_some_and(|x| (x as i128) * (Dec::SCALE as i128) >= 2 * threshold.raw() as i128),
            Err(_) => false,
        };
        reached && self.confirmed_deterioration.is_none_or(|d| d > week)
    }
}
