//! ProDERM-like bundle (published-results.md §A): IVIG 2 g/kg vs placebo every 4 weeks, 47 vs
//! 48, visits every 4 weeks to week 40, open-label IVIG extension from week 16, 5 early
//! crossovers of placebo patients after confirmed deterioration.

use super::values::{
    changes_with_mean, confirmed, draw_category, push_visit, score, tis_at, Category, Rng, Vals, VISITS_HEADER,
};
use super::{count_check, endpoint, p_value, round_to, Check, DemoBundle, Status};
use crate::analysis::Analysis;
use std::fmt::Write;

const STUDY: &str = "ProDERM";
const MMT_MAX: i64 = 150;
const WEEKS: [u32; 11] = [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40];
/// Active (IVIG) infusion cycles given over 40 weeks (Werth et al. 2023).
const ACTIVE_INFUSIONS: usize = 664;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// TIS category at week 16, no deterioration.
    At16(Category),
    /// IVIG: deterioration at weeks 8 and 12 (confirmed at 12); not eligible for the extension.
    DeterioratedIvig,
    /// Placebo: deterioration at weeks 4 and 8 (confirmed at 8), early crossover to IVIG at 8.
    Crossover,
    /// IVIG: withdrew after the week-8 visit.
    Withdrawn,
}

struct Subject {
    id: String,
    arm: &'static str,
    kind: Kind,
    weight: i64,
    visits: Vec<(u32, Vals)>,
    /// (week, g/kg, active)
    infusions: Vec<(u32, i64, bool)>,
    events: Vec<(u32, &'static str, &'static str)>,
}

fn kinds(arm: &str, scale: usize) -> Vec<Kind> {
    let mut k = Vec::new();
    let mut add = |n: usize, kind: Kind| k.extend(std::iter::repeat_n(kind, n * scale));
    if arm == "ivig" {
        // 37 ≥ 20, 32 ≥ 40, 15 ≥ 60 of 47.
        add(15, Kind::At16(Category::Major));
        add(17, Kind::At16(Category::Moderate));
        add(5, Kind::At16(Category::Minimal));
        add(7, Kind::At16(Category::None));
        add(2, Kind::DeterioratedIvig);
        add(1, Kind::Withdrawn);
    } else {
        // 21 ≥ 20, 11 ≥ 40, 4 ≥ 60 of 48.
        add(4, Kind::At16(Category::Major));
        add(7, Kind::At16(Category::Moderate));
        add(10, Kind::At16(Category::Minimal));
        add(22, Kind::At16(Category::None));
        add(5, Kind::Crossover);
    }
    k
}

/// Overall improvement at `week` for a subject whose week-16 improvement is `f16`.
fn trajectory(f16: f64, week: u32, placebo: bool, jitter: f64) -> f64 {
    if week < 16 {
        f16 * f64::from(week) / 16.0 * jitter
    } else if week == 16 {
        f16
    } else {
        let t = f64::from(week - 16) / 24.0;
        if placebo {
            // On open-label IVIG from week 16.
            f16 + (f16.max(0.7) - f16) * t
        } else {
            f16 * (1.0 + 0.15 * t)
        }
    }
}

fn build(rng: &mut Rng, id: String, arm: &'static str, kind: Kind) -> Subject {
    let placebo = arm == "placebo";
    let base = Vals::baseline(rng, MMT_MAX);
    let weight = rng.int(50, 110);
    let mut visits = vec![(0, base)];
    let mut events = Vec::new();
    match kind {
        Kind::At16(cat) => {
            let (f16, m) = draw_category(rng, &base, cat, MMT_MAX);
            for &w in &WEEKS[1..] {
                let jitter = rng.range(0.8, 1.0);
                visits.push((w, base.improved(trajectory(f16, w, placebo, jitter), &m, MMT_MAX)));
            }
        }
        Kind::DeterioratedIvig => {
            let m = super::values::multipliers(rng);
            visits.push((4, base.improved(0.05, &m, MMT_MAX)));
            visits.push((8, base.deteriorated()));
            visits.push((12, base.deteriorated()));
            visits.push((16, base.improved(0.1, &m, MMT_MAX)));
            events.push((
                16,
                "discontinued",
                "confirmed deterioration in the double-blind period: not eligible for the extension",
            ));
        }
        Kind::Crossover => {
            let m = super::values::multipliers(rng);
            visits.push((4, base.deteriorated()));
            visits.push((8, base.deteriorated()));
            events.push((8, "crossover", "confirmed deterioration at weeks 4 and 8: early switch to IVIG"));
            for &w in &WEEKS[3..] {
                let f = 0.1 + 0.5 * f64::from(w - 12) / 28.0;
                visits.push((w, base.improved(f, &m, MMT_MAX)));
            }
        }
        Kind::Withdrawn => {
            let m = super::values::multipliers(rng);
            visits.push((4, base.improved(0.03, &m, MMT_MAX)));
            visits.push((8, base.improved(0.05, &m, MMT_MAX)));
            events.push((12, "discontinued", "withdrew consent"));
        }
    }
    // Infusions: double-blind weeks 0–12 (placebo or IVIG 2 g/kg), extension 16–36 IVIG.
    let mut infusions = Vec::new();
    let last_week = visits.last().map_or(0, |v| v.0);
    for w in [0, 4, 8, 12] {
        let withdrawn_before = kind == Kind::Withdrawn && w > 8;
        if withdrawn_before {
            continue;
        }
        let active = !placebo || (kind == Kind::Crossover && w >= 8);
        infusions.push((w, if active { 2 } else { 0 }, active));
    }
    if last_week == 40 {
        let reduce = matches!(kind, Kind::At16(Category::Major | Category::Moderate)) && rng.uniform() < 0.3;
        for w in [16, 20, 24, 28, 32, 36] {
            let dose = if reduce && w >= 28 { 1 } else { 2 };
            infusions.push((w, dose, true));
        }
    }
    Subject { id, arm, kind, weight, visits, infusions, events }
}

pub fn generate(seed: u64) -> DemoBundle {
    generate_scaled(seed, 1)
}

/// The bundle with every subject count (and the infusion and adverse-event totals) multiplied
/// by `scale`: for benchmarks (`scale` 105 gives 9,975 subjects × 11 visits).
pub fn generate_scaled(seed: u64, scale: usize) -> DemoBundle {
    let mut rng = Rng::new(seed);
    // Randomisation list: 95 slots, arms and kinds shuffled.
    let mut slots: Vec<(&'static str, Kind)> = Vec::new();
    for arm in ["ivig", "placebo"] {
        let mut k = kinds(arm, scale);
        rng.shuffle(&mut k);
        slots.extend(k.into_iter().map(|k| (arm, k)));
    }
    rng.shuffle(&mut slots);
    let mut subjects: Vec<Subject> = slots
        .iter()
        .enumerate()
        .map(|(i, &(arm, kind))| build(&mut rng, format!("PD{:03}", i + 1), arm, kind))
        .collect();

    // Exactly 664 active infusions: the excess are extension discontinuations (the subject stops
    // infusions and visits at the week of the first infusion not given).
    let mut total: usize = subjects.iter().map(|s| s.infusions.iter().filter(|i| i.2).count()).sum();
    let mut order: Vec<usize> = (0..subjects.len()).collect();
    rng.shuffle(&mut order);
    for &i in &order {
        if total <= ACTIVE_INFUSIONS * scale {
            break;
        }
        let s = &mut subjects[i];
        if s.visits.last().map(|v| v.0) != Some(40) || s.kind == Kind::Crossover {
            continue;
        }
        let k = (rng.int(1, 5) as usize).min(total - ACTIVE_INFUSIONS * scale);
        let keep = s.infusions.len() - k;
        let stop = s.infusions[keep].0;
        s.infusions.truncate(keep);
        s.visits.retain(|v| v.0 <= stop);
        s.events.push((stop, "discontinued", "stopped during the open-label extension"));
        total -= k;
    }

    // CDASI activity: change at week 16 around the published means (−9.36 IVIG, −1.16 placebo),
    // exact to the published mean's second decimal over the subjects seen at week 16.
    for (arm, mean, sd) in [("ivig", -9.36, 10.8), ("placebo", -1.16, 7.4)] {
        let idx: Vec<usize> = (0..subjects.len())
            .filter(|&i| subjects[i].arm == arm && subjects[i].visits.iter().any(|v| v.0 == 16))
            .collect();
        let floors: Vec<i64> = idx.iter().map(|&i| -subjects[i].visits[0].1.cdasi_a.unwrap_or(0)).collect();
        let changes = changes_with_mean(&mut rng, idx.len(), mean, sd, &floors);
        for (&i, &c) in idx.iter().zip(&changes) {
            let s = &mut subjects[i];
            let bl = s.visits[0].1.cdasi_a.unwrap_or(0);
            let dbl = s.visits[0].1.cdasi_d.unwrap_or(0);
            let placebo = s.arm == "placebo";
            for (w, v) in s.visits.iter_mut().skip(1) {
                let a = match *w {
                    w if w < 16 => bl + (c as f64 * f64::from(w) / 16.0).round() as i64,
                    16 => bl + c,
                    w => {
                        let t = f64::from(w - 16) / 24.0;
                        let extra = if placebo { -8.0 * t } else { -2.0 * t };
                        bl + c + extra.round() as i64
                    }
                };
                v.cdasi_a = Some(a.clamp(0, 100));
                v.cdasi_d = Some((dbl - (f64::from(*w) / 20.0).round() as i64).max(0));
            }
        }
    }
    for s in subjects.iter_mut() {
        // Subjects without a week-16 visit keep their baseline CDASI at earlier visits.
        let (a, d) = (s.visits[0].1.cdasi_a, s.visits[0].1.cdasi_d);
        if !s.visits.iter().any(|v| v.0 == 16) {
            for v in s.visits.iter_mut() {
                v.1.cdasi_a = a;
                v.1.cdasi_d = d;
            }
        }
    }

    // Self-check with the engine (debug builds): each subject's week-16 outcome is the one drawn.
    for s in subjects.iter().filter(|_| cfg!(debug_assertions)) {
        let recs = score(&s.visits, MMT_MAX);
        if let Kind::At16(cat) = s.kind {
            let (lo, hi) = super::values::band(cat);
            let t = tis_at(&recs, 16).unwrap_or(-1.0);
            debug_assert!(t >= lo && t < hi && confirmed(&recs).is_none(), "{} {:?} {t}", s.id, s.kind);
        }
    }

    let files = vec![
        ("trial.toml", TRIAL_TOML.to_string()),
        ("subjects.csv", subjects_csv(&mut rng, &subjects)),
        ("visits.csv", visits_csv(&subjects)),
        ("infusions.csv", infusions_csv(&subjects)),
        ("events.csv", events_csv(&subjects)),
        ("adverse_events.csv", adverse_events_csv(&mut rng, &subjects, scale)),
    ];
    DemoBundle { name: "proderm-like", files }
}

const TRIAL_TOML: &str = r#"# SYNTHETIC DATA generated by `myotrial demo`: shaped like ProDERM (Aggarwal et al., NEJM 2022),
# not the trial's patient data. Edit and re-run `myotrial analyze` on this directory.
name = "ProDERM-like (synthetic)"
description = "Randomised, double-blind, placebo-controlled: IVIG 2 g/kg vs placebo every 4 weeks to week 12, primary endpoint at week 16, then open-label IVIG to week 40. Placebo patients with confirmed deterioration could switch early."
population = "adult"
control = "placebo"
arms = ["ivig", "placebo"]
primary_week = 16
hierarchy = ["tis20", "tis40", "tis60", "cdasi_activity_change"]

[schedule]
weeks = [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40]
window = 1

[[regimen]]
arm = "ivig"
product = "IVIG 10%"
dose_g_per_kg = 2.0
interval_weeks = 4
cycles = 4
start_week = 0

[[regimen]]
arm = "placebo"
product = "placebo"
dose_g_per_kg = 0.0
interval_weeks = 4
cycles = 4
start_week = 0

[[phase]]
name = "double-blind"
start_week = 0
end_week = 16

[[phase]]
name = "open-label extension"
start_week = 16
end_week = 40
treatment = "IVIG 2 g/kg every 4 weeks (1 g/kg allowed from week 28 when stable)"

[crossover]
from = "placebo"
to = "ivig"
trigger = "confirmed-deterioration"

[[endpoint]]
id = "tis20"
label = "TIS ≥ 20 at week 16 (at least minimal improvement), no confirmed deterioration"
kind = "responder"
threshold = 20
week = 16
ci = "wald"
tests = ["fisher", "chi2", "chi2-yates"]

[[endpoint]]
id = "tis40"
label = "TIS ≥ 40 at week 16 (at least moderate improvement)"
kind = "responder"
threshold = 40
week = 16

[[endpoint]]
id = "tis60"
label = "TIS ≥ 60 at week 16 (major improvement)"
kind = "responder"
threshold = 60
week = 16

[[endpoint]]
id = "cdasi_activity_change"
label = "Change in CDASI activity at week 16"
kind = "change"
measure = "cdasi_activity"
week = 16

[[endpoint]]
id = "ck_change"
label = "Change in creatine kinase at week 16 (U/L)"
kind = "change"
measure = "ck"
week = 16

[[endpoint]]
id = "time_to_tis20"
label = "Time to first TIS ≥ 20 (weeks, to week 16)"
kind = "time-to-response"
threshold = 20
by_week = 16
role = "exploratory"

[[subgroup]]
by = "antibody"

[[subgroup]]
by = "sex"

[[subgroup]]
by = "age"
bands = [40, 65]

[[subgroup]]
by = "severity"
severity_measure = "cdasi_activity"
bands = [14, 25]
"#;

fn subjects_csv(rng: &mut Rng, subjects: &[Subject]) -> String {
    let antibodies = ["TIF1g", "TIF1g", "NXP2", "MDA5", "Mi2", "Mi2", "SAE", "none", "unknown"];
    let mut s = String::from("subject,arm,site,sex,age,weight_kg,antibody,diagnosis\n");
    for x in subjects {
        let sex = if rng.uniform() < 0.7 { "F" } else { "M" };
        let ab = antibodies[(rng.next_u64() % antibodies.len() as u64) as usize];
        let _ = writeln!(s, "{},{},S{:02},{sex},{},{},{ab},DM", x.id, x.arm, rng.int(1, 12), rng.int(22, 79), x.weight);
    }
    s
}

fn visits_csv(subjects: &[Subject]) -> String {
    let mut s = String::from(VISITS_HEADER);
    for x in subjects {
        for (w, v) in &x.visits {
            push_visit(&mut s, &x.id, *w, v, MMT_MAX);
        }
    }
    s
}

fn infusions_csv(subjects: &[Subject]) -> String {
    let mut s = String::from("subject,week,dose_g_per_kg,weight_kg,grams,product\n");
    for x in subjects {
        for &(w, dose, active) in &x.infusions {
            let product = if active { "IVIG 10%" } else { "placebo" };
            // grams left empty: derived from dose × weight by the loader.
            let _ = writeln!(s, "{},{w},{dose},{},,{product}", x.id, x.weight);
        }
    }
    s
}

fn events_csv(subjects: &[Subject]) -> String {
    let mut s = String::from("subject,week,event,note\n");
    for x in subjects {
        for (w, e, note) in &x.events {
            let _ = writeln!(s, "{},{w},{e},{note}", x.id);
        }
    }
    s
}

/// The smallest count whose percentage of `n` rounds to `pct`.
fn count_for(pct: u64, n: usize) -> usize {
    (0..=n).find(|&k| ((100 * k) as f64 / n as f64).round() as u64 == pct).unwrap_or(n * pct as usize / 100)
}

/// Adverse events: over the IVIG-treated patients (everyone with an active infusion), headache
/// 42 %, pyrexia 19 %, nausea 16 % of patients; 282 treatment-related events in all, 9 of them
/// serious, 6 of those thromboembolic. Placebo-period events are unrelated and never these terms.
fn adverse_events_csv(rng: &mut Rng, subjects: &[Subject], scale: usize) -> String {
    let treated: Vec<&Subject> = subjects.iter().filter(|s| s.infusions.iter().any(|i| i.2)).collect();
    let n = treated.len();
    // (subject, term, onset, serious, related, thromboembolic, severity)
    let mut events: Vec<(String, &str, u32, bool, bool, bool, &str)> = Vec::new();
    let active_week = |rng: &mut Rng, s: &Subject| {
        let weeks: Vec<u32> = s.infusions.iter().filter(|i| i.2).map(|i| i.0).collect();
        weeks[(rng.next_u64() % weeks.len() as u64) as usize]
    };
    for (term, pct, max_events) in [("headache", 42, 3), ("pyrexia", 19, 2), ("nausea", 16, 2)] {
        let mut who: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut who);
        for &i in who.iter().take(count_for(pct, n)) {
            for _ in 0..rng.int(1, max_events) {
                let w = active_week(rng, treated[i]);
                events.push((treated[i].id.clone(), term, w, false, true, false, "mild"));
            }
        }
    }
    let serious = [
        ("deep vein thrombosis", true),
        ("deep vein thrombosis", true),
        ("deep vein thrombosis", true),
        ("pulmonary embolism", true),
        ("pulmonary embolism", true),
        ("cerebral infarction", true),
        ("aseptic meningitis", false),
        ("haemolytic anaemia", false),
        ("acute kidney injury", false),
    ];
    for (term, te) in serious.iter().cycle().take(serious.len() * scale).copied() {
        let s = treated[(rng.next_u64() % n as u64) as usize];
        let w = active_week(rng, s);
        events.push((s.id.clone(), term, w, true, true, te, "severe"));
    }
    let fillers = ["chills", "fatigue", "vomiting", "dizziness", "myalgia", "flushing", "hypertension", "rash"];
    let mut related = events.iter().filter(|e| e.4).count();
    while related < 282 * scale {
        related += 1;
        let s = treated[(rng.next_u64() % n as u64) as usize];
        let w = active_week(rng, s);
        let term = fillers[(rng.next_u64() % fillers.len() as u64) as usize];
        events.push((s.id.clone(), term, w, false, true, false, if rng.uniform() < 0.8 { "mild" } else { "moderate" }));
    }
    // Unrelated events (any arm, any time), never the three terms above.
    for s in subjects {
        if rng.uniform() < 0.35 {
            let last = s.visits.last().map_or(0, |v| v.0);
            let w = rng.int(0, i64::from(last)) as u32;
            let term = ["nasopharyngitis", "arthralgia", "back pain", "urinary tract infection"]
                [(rng.next_u64() % 4) as usize];
            events.push((s.id.clone(), term, w, false, false, false, "mild"));
        }
    }
    events.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    let yn = |b: bool| if b { "yes" } else { "no" };
    let mut out = String::from("subject,term,onset_week,end_week,severity,serious,related,thromboembolic\n");
    for (s, term, w, serious, related, te, sev) in events {
        let end = if serious { w + 2 } else { w };
        let _ = writeln!(out, "{s},{term},{w},{end},{sev},{},{},{}", yn(serious), yn(related), yn(te));
    }
    out
}

pub fn compare(a: &Analysis) -> Vec<Check> {
    let mut out = vec![count_check(
        STUDY,
        a,
        "tis20",
        "TIS ≥ 20 at week 16",
        &[("ivig", 37, 47), ("placebo", 21, 48)],
        "37/47 (79 %) vs 21/48 (44 %)",
    )];
    // Difference and Wald CI: 34.97 %, 16.70 to 53.24.
    if let Some(d) = endpoint(a, "tis20").and_then(|e| e.difference.as_ref()) {
        let (e, lo, hi) = (d.estimate.unwrap_or(f64::NAN), d.ci_low.unwrap_or(f64::NAN), d.ci_high.unwrap_or(f64::NAN));
        let ok =
            round_to(100.0 * e, 2) == 34.97 && round_to(100.0 * lo, 2) == 16.70 && round_to(100.0 * hi, 2) == 53.24;
        out.push(Check {
            study: STUDY,
            figure: "Difference, 95 % CI".into(),
            published: "34.97 % (16.70 to 53.24)".into(),
            myotrial: format!("{:.2} % ({:.2} to {:.2})", 100.0 * e, 100.0 * lo, 100.0 * hi),
            method: d.method.clone(),
            status: if ok && d.method == "wald" { Status::Reproduced } else { Status::Failed },
            reason: "unpooled Wald interval without continuity correction".into(),
        });
    }
    let fisher = p_value(a, "tis20", "fisher");
    let chi2 = p_value(a, "tis20", "chi2");
    let yates = p_value(a, "tis20", "chi2-yates");
    let show = |p: Option<f64>| p.map_or_else(|| "–".into(), |p| format!("{p:.5}"));
    let as_expected = fisher.map(|p| round_to(p, 5)) == Some(0.00069) && chi2.map(|p| round_to(p, 5)) == Some(0.00047);
    out.push(Check {
        study: STUDY,
        figure: "P value, primary endpoint".into(),
        published: "P < 0.001 (NEJM)".into(),
        myotrial: format!("Fisher {}, χ² {}", show(fisher), show(chi2)),
        method: "fisher, chi2".into(),
        status: if fisher.is_some_and(|p| p < 0.001) && chi2.is_some_and(|p| p < 0.001) {
            Status::Reproduced
        } else {
            Status::Failed
        },
        reason: String::new(),
    });
    out.push(Check {
        study: STUDY,
        figure: "P value, primary endpoint (sponsor)".into(),
        published: "p = 0.0008".into(),
        myotrial: format!("Fisher {}, χ² {}, Yates {}", show(fisher), show(chi2), show(yates)),
        method: "fisher, chi2, chi2-yates".into(),
        status: if as_expected { Status::NotReproducible } else { Status::Failed },
        reason: "no standard test of 37/47 vs 21/48 gives 0.0008 (Fisher 0.00069, χ² 0.00047, Yates 0.0010); the sponsor's test is not identified".into(),
    });
    out.push(count_check(
        STUDY,
        a,
        "tis40",
        "TIS ≥ 40 at week 16",
        &[("ivig", 32, 47), ("placebo", 11, 48)],
        "32/47 (68 %) vs 11/48 (23 %)",
    ));
    out.push(count_check(
        STUDY,
        a,
        "tis60",
        "TIS ≥ 60 at week 16",
        &[("ivig", 15, 47), ("placebo", 4, 48)],
        "15/47 (32 %) vs 4/48 (8 %)",
    ));
    if let Some(e) = endpoint(a, "cdasi_activity_change") {
        for (arm, lo, hi, text) in
            [("ivig", -12.52, -6.19, "−9.36 (−12.52 to −6.19)"), ("placebo", -3.32, 0.99, "−1.16 (−3.32 to 0.99)")]
        {
            let Some(r) = e.arms.iter().find(|r| r.arm == arm) else { continue };
            let m = r.mean.unwrap_or(f64::NAN);
            let ci = r.ci.as_ref();
            out.push(Check {
                study: STUDY,
                figure: format!("CDASI activity mean change at week 16, {arm}"),
                published: text.into(),
                myotrial: format!(
                    "{m:.2} ({:.2} to {:.2}), n = {}",
                    ci.and_then(|c| c.ci_low).unwrap_or(f64::NAN),
                    ci.and_then(|c| c.ci_high).unwrap_or(f64::NAN),
                    r.n_observed.unwrap_or(0)
                ),
                method: "mean change, t interval (observed cases)".into(),
                status: if m > lo && m < hi { Status::Reproduced } else { Status::Failed },
                reason: "synthetic data: the mean is set inside the published CI; the CI width depends on the synthetic spread".into(),
            });
        }
    }
    let crossovers =
        a.flow.iter().find(|f| f.arm == "placebo").and_then(|f| f.events.get("crossover")).copied().unwrap_or(0);
    out.push(Check {
        study: STUDY,
        figure: "Early crossovers (placebo, confirmed deterioration)".into(),
        published: "5".into(),
        myotrial: crossovers.to_string(),
        method: "events.csv crossover, confirmed deterioration derived from visits".into(),
        status: if crossovers == 5 { Status::Reproduced } else { Status::Failed },
        reason: String::new(),
    });
    let treated =
        |term: &str| a.safety.iter().find(|r| r.term == term && r.phase == "all").and_then(|r| r.treated.clone());
    for (term, pct) in [("headache", 42.0), ("pyrexia", 19.0), ("nausea", 16.0)] {
        let c = treated(term);
        let got = c.as_ref().map_or(f64::NAN, |c| c.percent);
        out.push(Check {
            study: STUDY,
            figure: format!("{term}, % of IVIG-treated patients"),
            published: format!("{pct:.0} %"),
            myotrial: c.as_ref().map_or_else(|| "–".into(), |c| format!("{}/{} = {:.1} %", c.patients, c.n, c.percent)),
            method: "patients with ≥ 1 event on or after their first IVIG infusion".into(),
            status: if got.round() == pct { Status::Reproduced } else { Status::Failed },
            reason: String::new(),
        });
    }
    for (row, want, figure) in [
        ("Related", 282, "treatment-related adverse events in IVIG-treated patients"),
        ("Serious and related", 9, "serious treatment-related adverse events"),
        ("Thromboembolic", 6, "thromboembolic events"),
    ] {
        let got = treated(row).map_or(0, |c| c.events);
        out.push(Check {
            study: STUDY,
            figure: figure.into(),
            published: want.to_string(),
            myotrial: got.to_string(),
            method: "adverse_events.csv, events on IVIG".into(),
            status: if got == want { Status::Reproduced } else { Status::Failed },
            reason: String::new(),
        });
    }
    let all = a.exposure.iter().find(|e| e.arm == "all");
    let (n, med) = all.map_or((0, None), |e| (e.infusions, e.median_dose_g_per_kg));
    out.push(Check {
        study: STUDY,
        figure: "IVIG infusion cycles, median dose".into(),
        published: "664 cycles, median 2.0 g/kg".into(),
        myotrial: format!("{n} cycles, median {} g/kg", med.map_or_else(|| "–".into(), |m| format!("{m:.1}"))),
        method: "infusions.csv, active product".into(),
        status: if n == 664 && med == Some(2.0) { Status::Reproduced } else { Status::Failed },
        reason: String::new(),
    });
    out
}
