//! A trial bundle (data-format.md §1): the protocol and the CSV files, loaded and checked
//! together. Every problem in any file is reported as `file:line:column: message`, and nothing
//! is returned unless every file is valid and the files agree with each other (every subject in
//! visits, infusions, events and adverse events is randomised in `subjects.csv`, every arm is
//! an arm of the protocol, every week fits the visit schedule).

use crate::error::{LoadError, LoadErrors};
use crate::protocol::{EndpointKind, Protocol, EVENTS};
use crate::table::{opt, read_table, req, ColumnSpec};
use crate::visits::{Col, VisitRow, VisitsReader};
use myotrial_measures::Dec;
use std::collections::HashMap;

/// The files of a bundle, as bytes (reading them from disk is the caller's job).
#[derive(Clone, Copy, Debug)]
pub struct Sources<'a> {
    pub trial_toml: &'a str,
    pub subjects: &'a [u8],
    pub visits: &'a [u8],
    pub infusions: Option<&'a [u8]>,
    pub adverse_events: Option<&'a [u8]>,
    pub events: Option<&'a [u8]>,
}

/// A randomised subject (`subjects.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct Subject {
    pub id: String,
    pub arm: String,
    pub site: Option<String>,
    pub sex: Option<&'static str>,
    pub age: Option<u32>,
    pub weight_kg: Option<Dec>,
    pub antibody: Option<String>,
    pub diagnosis: Option<String>,
    pub stratum: Option<String>,
}

/// One infusion given (`infusions.csv`); `grams` derived from dose × weight when empty.
#[derive(Clone, Debug, PartialEq)]
pub struct Infusion {
    pub subject: String,
    pub week: u32,
    pub dose_g_per_kg: Dec,
    pub weight_kg: Option<Dec>,
    pub grams: Dec,
    pub product: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AdverseEvent {
    pub subject: String,
    pub term: String,
    pub onset_week: u32,
    pub end_week: Option<u32>,
    pub severity: Option<&'static str>,
    pub serious: bool,
    pub related: bool,
    pub thromboembolic: bool,
}

/// A clinical event (`events.csv`): rescue, discontinued, crossover, relapse, remission, death.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub subject: String,
    pub week: u32,
    pub event: &'static str,
    pub note: Option<String>,
}

/// A loaded, cross-checked bundle.
#[derive(Clone, Debug)]
pub struct Bundle {
    pub protocol: Protocol,
    /// In `subjects.csv` order.
    pub subjects: Vec<Subject>,
    /// Each subject's visit rows in week order (subjects without visits are absent).
    pub visits: HashMap<String, Vec<VisitRow>>,
    pub infusions: Vec<Infusion>,
    pub adverse_events: Vec<AdverseEvent>,
    pub events: Vec<Event>,
}

const SUBJECTS: &[ColumnSpec] = &[
    req("subject"),
    req("arm"),
    opt("site"),
    opt("sex"),
    opt("age"),
    opt("weight_kg"),
    opt("antibody"),
    opt("diagnosis"),
    opt("stratum"),
];
const INFUSIONS: &[ColumnSpec] =
    &[req("subject"), req("week"), req("dose_g_per_kg"), opt("weight_kg"), opt("grams"), opt("product")];
const ADVERSE_EVENTS: &[ColumnSpec] = &[
    req("subject"),
    req("term"),
    req("onset_week"),
    opt("end_week"),
    opt("severity"),
    opt("serious"),
    opt("related"),
    opt("thromboembolic"),
];
const EVENT_COLUMNS: &[ColumnSpec] = &[req("subject"), req("week"), req("event"), opt("note")];

const MAX_WEEK: i64 = 10_000;

/// The `subject` cell of a row of infusions, adverse events or events: present and randomised.
fn randomised(c: &mut crate::table::Cells, known: &dyn Fn(&str) -> bool) -> Option<String> {
    let subject = c.required("subject")?;
    if !known(&subject) {
        c.fail("subject", format!("subject: {subject:?} is not in subjects.csv"));
    }
    Some(subject)
}

/// Type every well-formed row of an optional table with `f` (its structural problems and bad
/// cells all go to `errors`).
fn each_row(
    bytes: Option<&[u8]>,
    file: &str,
    spec: &'static [ColumnSpec],
    errors: &mut LoadErrors,
    mut f: impl FnMut(&mut crate::table::Cells),
) {
    let Some(bytes) = bytes else { return };
    match read_table(bytes, file, spec) {
        Err(e) => errors.extend(e),
        Ok(mut t) => {
            errors.extend(std::mem::take(&mut t.errors));
            for r in t.rows.iter().filter(|r| !r.ragged) {
                f(&mut t.cells(r, errors));
            }
        }
    }
}

/// `a × b` exactly, or `None` on overflow.
fn mul_dec(a: Dec, b: Dec) -> Option<Dec> {
    let p = i128::from(a.raw()) * i128::from(b.raw()) / i128::from(Dec::SCALE);
    i64::try_from(p).ok().map(Dec::from_raw)
}

impl Bundle {
    /// Load and check every file of a bundle.
    pub fn load(src: Sources) -> Result<Bundle, LoadErrors> {
        let protocol = Protocol::parse(src.trial_toml, "trial.toml")?;
        let mut errors = LoadErrors::default();

        // subjects.csv
        let mut subjects: Vec<Subject> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        // Whether subjects.csv could be read at all: without it, membership checks would only
        // repeat one problem for every subject.
        let mut subjects_read = false;
        match read_table(src.subjects, "subjects.csv", SUBJECTS) {
            Err(e) => errors.extend(e),
            Ok(mut t) => {
                subjects_read = true;
                errors.extend(std::mem::take(&mut t.errors));
                for r in &t.rows {
                    let mut c = t.cells(r, &mut errors);
                    if r.ragged {
                        // Its subject still counts as randomised (no cascade of false errors).
                        if let Some(id) = c.text("subject") {
                            index.entry(id.to_string()).or_insert(usize::MAX);
                        }
                        continue;
                    }
                    let id = c.required("subject");
                    let arm = c.required("arm");
                    if let Some(a) = &arm {
                        if !protocol.arms.contains(a) {
                            let msg = format!("arm: {a:?} is not an arm of trial.toml ({})", protocol.arms.join(", "));
                            c.fail("arm", msg);
                        }
                    }
                    let sex = c.choice("sex", &["F", "M"]);
                    let age = c.integer("age", 0, 130).map(|a| a as u32);
                    let weight_kg = c.decimal("weight_kg", true, Some(Dec::from(500)));
                    let s = Subject {
                        id: id.clone().unwrap_or_default(),
                        arm: arm.unwrap_or_default(),
                        site: c.text("site").map(str::to_string),
                        sex,
                        age,
                        weight_kg,
                        antibody: c.text("antibody").map(str::to_string),
                        diagnosis: c.text("diagnosis").map(str::to_string),
                        stratum: c.text("stratum").map(str::to_string),
                    };
                    if let Some(id) = id {
                        if let Some(&first) = index.get(&id) {
                            let _ = first;
                            c.fail("subject", format!("subject: {id:?} appears twice"));
                            continue;
                        }
                        index.insert(id, subjects.len());
                        subjects.push(s);
                    }
                }
            }
        }
        let known = |id: &str| !subjects_read || index.contains_key(id);

        // visits.csv
        let mut visits: HashMap<String, Vec<VisitRow>> = HashMap::new();
        let mut present: std::collections::BTreeSet<u32> = std::collections::BTreeSet::new();
        let mut first_line: HashMap<String, u64> = HashMap::new();
        match VisitsReader::new(src.visits, "visits.csv") {
            Err(e) => errors.extend(e),
            Ok(mut reader) => {
                let subject_col = reader.column_of(Col::Subject);
                let week_col = reader.column_of(Col::Week);
                while let Some(row) = reader.next_row() {
                    match row {
                        Err(e) => errors.extend(e),
                        Ok(row) => {
                            let id = reader.subject().to_string();
                            if !known(&id) && !first_line.contains_key(&id) {
                                errors.push(LoadError {
                                    file: "visits.csv".into(),
                                    line: row.line,
                                    column: subject_col,
                                    message: format!("subject: {id:?} is not in subjects.csv"),
                                });
                            }
                            if let Some(weeks) = &protocol.schedule.weeks {
                                let w = protocol.schedule.window;
                                if !weeks.iter().any(|&n| row.week.abs_diff(n) <= w) {
                                    let within = if w == 0 { String::new() } else { format!(" ± {w}") };
                                    errors.push(LoadError {
                                        file: "visits.csv".into(),
                                        line: row.line,
                                        column: week_col,
                                        message: format!(
                                            "week: {} is outside the visit schedule of trial.toml (weeks {:?}{within})",
                                            row.week, weeks
                                        ),
                                    });
                                }
                            }
                            let list = visits.entry(id.clone()).or_default();
                            let schedule = &protocol.schedule;
                            let nominal = schedule.nominal_week(row.week);
                            if nominal == 0 && row.week != 0 {
                                errors.push(LoadError {
                                    file: "visits.csv".into(),
                                    line: row.line,
                                    column: week_col,
                                    message: format!(
                                        "week: {} is inside the window of week 0, but the baseline must be week 0 (data-format.md §2)",
                                        row.week
                                    ),
                                });
                            }
                            present.insert(nominal);
                            if let Some(prev) = list.iter().find(|r| r.week == row.week) {
                                errors.push(LoadError {
                                    file: "visits.csv".into(),
                                    line: row.line,
                                    column: week_col,
                                    message: format!(
                                        "week: a second row for subject {id:?} week {} (first on line {})",
                                        row.week, prev.line
                                    ),
                                });
                            } else if let Some(prev) = list.iter().find(|r| schedule.nominal_week(r.week) == nominal) {
                                errors.push(LoadError {
                                    file: "visits.csv".into(),
                                    line: row.line,
                                    column: week_col,
                                    message: format!(
                                        "week: {} and {} (line {}) of subject {id:?} are both in the window of scheduled week {nominal}",
                                        row.week, prev.week, prev.line
                                    ),
                                });
                            }
                            first_line.entry(id).or_insert(row.line);
                            list.push(row);
                        }
                    }
                }
            }
        }
        for rows in visits.values_mut() {
            rows.sort_by_key(|r| r.week);
        }

        // infusions.csv
        let mut infusions = Vec::new();
        each_row(src.infusions, "infusions.csv", INFUSIONS, &mut errors, |c| {
            let subject = randomised(c, &known);
            let week = c.required_integer("week", 0, MAX_WEEK);
            let dose = c.decimal("dose_g_per_kg", false, Some(Dec::from(5)));
            if c.text("dose_g_per_kg").is_none() {
                c.required("dose_g_per_kg");
            }
            let weight = c.decimal("weight_kg", true, Some(Dec::from(500)));
            let grams = c.decimal("grams", false, None);
            let subject_weight =
                subject.as_ref().and_then(|s| index.get(s)).and_then(|&i| subjects.get(i)).and_then(|s| s.weight_kg);
            let grams = match (grams, dose, weight.or(subject_weight)) {
                (Some(g), _, _) => Some(g),
                (None, Some(d), Some(w)) => mul_dec(d, w),
                (None, Some(_), None) => {
                    if c.text("grams").is_none() {
                        c.fail(
                            "grams",
                            "grams: empty, and there is no weight_kg (here or in subjects.csv) to derive it from dose_g_per_kg".into(),
                        );
                    }
                    None
                }
                _ => None,
            };
            if let (Some(subject), Some(week), Some(dose), Some(grams)) = (subject, week, dose, grams) {
                infusions.push(Infusion {
                    subject,
                    week: week as u32,
                    dose_g_per_kg: dose,
                    weight_kg: weight,
                    grams,
                    product: c.text("product").map(str::to_string),
                });
            }
        });

        // adverse_events.csv
        let mut adverse_events = Vec::new();
        each_row(src.adverse_events, "adverse_events.csv", ADVERSE_EVENTS, &mut errors, |c| {
            let subject = randomised(c, &known);
            let term = c.required("term");
            let onset = c.required_integer("onset_week", 0, MAX_WEEK);
            let end = c.integer("end_week", 0, MAX_WEEK);
            if let (Some(o), Some(e)) = (onset, end) {
                if e < o {
                    c.fail("end_week", format!("end_week: {e} is before onset_week {o}"));
                }
            }
            let severity = c.choice("severity", &["mild", "moderate", "severe"]);
            let serious = c.yes_no("serious").unwrap_or(false);
            let related = c.yes_no("related").unwrap_or(false);
            let thromboembolic = c.yes_no("thromboembolic").unwrap_or(false);
            if let (Some(subject), Some(term), Some(onset)) = (subject, term, onset) {
                adverse_events.push(AdverseEvent {
                    subject,
                    term,
                    onset_week: onset as u32,
                    end_week: end.map(|e| e as u32),
                    severity,
                    serious,
                    related,
                    thromboembolic,
                });
            }
        });

        // events.csv
        let mut events = Vec::new();
        each_row(src.events, "events.csv", EVENT_COLUMNS, &mut errors, |c| {
            let subject = randomised(c, &known);
            let week = c.required_integer("week", 0, MAX_WEEK);
            let event = c.choice("event", EVENTS);
            if c.text("event").is_none() {
                c.required("event");
            }
            if let (Some(sid), Some("crossover"), Some(x)) = (&subject, event, &protocol.crossover) {
                if let Some(subject) = index.get(sid).and_then(|&i| subjects.get(i)) {
                    if subject.arm != x.from {
                        let msg = format!(
                            "event: crossover of {sid:?}, randomised to {:?}, but trial.toml allows crossover only from {:?}",
                            subject.arm, x.from
                        );
                        c.fail("event", msg);
                    }
                }
            }
            if let (Some(subject), Some(week), Some(event)) = (subject, week, event) {
                events.push(Event { subject, week: week as u32, event, note: c.text("note").map(str::to_string) });
            }
        });

        // Every endpoint week must be one a visit can have: a schedule week, or without a
        // schedule a week present in visits.csv (a mistyped week would make everyone a
        // non-responder without a word).
        for e in &protocol.endpoints {
            let (Some(w), true) = (e.kind.week(), e.kind.is_binary() || matches!(e.kind, EndpointKind::Change { .. }))
            else {
                continue;
            };
            let known_week = match &protocol.schedule.weeks {
                Some(ws) => ws.contains(&w),
                None => present.contains(&w) || present.is_empty(),
            };
            if !known_week {
                let weeks: Vec<u32> = match &protocol.schedule.weeks {
                    Some(ws) => ws.clone(),
                    None => present.iter().copied().collect(),
                };
                errors.push(LoadError {
                    file: "trial.toml".into(),
                    line: e.line,
                    column: 1,
                    message: format!(
                        "endpoint {:?}: week {w} is not a visit week ({} {weeks:?})",
                        e.id,
                        if protocol.schedule.weeks.is_some() { "schedule" } else { "weeks in visits.csv:" }
                    ),
                });
            }
        }
        for x in &protocol.exclusions {
            if !known(&x.subject) {
                errors.push(LoadError {
                    file: "trial.toml".into(),
                    line: x.line,
                    column: 1,
                    message: format!("exclude: subject {:?} is not in subjects.csv", x.subject),
                });
            }
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        events.sort_by_key(|e| e.week);
        Ok(Bundle { protocol, subjects, visits, infusions, adverse_events, events })
    }
}
