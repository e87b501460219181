//! Pilot-like bundle (published-results.md §C): first-line IVIG monotherapy, single arm, 20
//! enrolled and 19 analysed (one excluded for a ceiling effect), 2 g/kg at week 0 then 1 g/kg
//! at weeks 3 and 6, with the adaptive rule "TIS < 40 at week 4 → 2 g/kg every 4 weeks"
//! applied by the generator to the engine's week-4 TIS.

use super::values::{draw_category, multipliers, push_visit, score, tis_at, Category, Rng, Vals, VISITS_HEADER};
use super::{count_check, endpoint, round_to, Check, DemoBundle, Status};
use crate::analysis::Analysis;
use std::fmt::Write;

const STUDY: &str = "Pilot";
const MMT_MAX: i64 = 150;
const WEEKS: [u32; 5] = [0, 3, 4, 6, 9];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// TIS ≥ 40 from week 3 on.
    Early,
    /// TIS < 40 at weeks 3 and 4 (dose escalated), ≥ 40 at week 9.
    Late,
    /// Rescue medication at week 4 or 6 and stopped; TIS < 40 throughout.
    Rescue,
    /// Completed, TIS < 40 throughout.
    NonResponder,
    /// MMT-8 at its maximum at baseline: excluded from the analysis (ceiling effect).
    Ceiling,
}

struct Subject {
    id: String,
    kind: Kind,
    weight: i64,
    diagnosis: &'static str,
    visits: Vec<(u32, Vals)>,
    infusions: Vec<(u32, i64)>,
    events: Vec<(u32, &'static str, &'static str)>,
}

/// Visits at WEEKS (up to `last`) with improvement f(w) = f9 × share(w).
fn path(base: &Vals, f9: f64, m: &[f64; 6], share: [f64; 5], last: u32) -> Vec<(u32, Vals)> {
    WEEKS.iter().zip(share).filter(|(w, _)| **w <= last).map(|(&w, s)| (w, base.improved(f9 * s, m, MMT_MAX))).collect()
}

fn build(rng: &mut Rng, id: String, kind: Kind, diagnosis: &'static str) -> Subject {
    let mut base = Vals::baseline(rng, MMT_MAX);
    base.cdasi_a = None;
    base.cdasi_d = None;
    let mut events = Vec::new();
    let visits = loop {
        let v = match kind {
            Kind::Early => {
                let (f3, m) = draw_category(rng, &base, Category::Moderate, MMT_MAX);
                // Improvement grows after week 3, so the TIS never falls back below 40.
                path(&base, f3, &m, [0.0, 1.0, 1.05, 1.15, 1.25], 9)
            }
            Kind::Late => {
                let (f9, m) = draw_category(rng, &base, Category::Moderate, MMT_MAX);
                path(&base, f9, &m, [0.0, 0.3, 0.4, 0.8, 1.0], 9)
            }
            Kind::NonResponder => {
                let (f9, m) = draw_category(rng, &base, Category::Minimal, MMT_MAX);
                path(&base, f9, &m, [0.0, 0.4, 0.6, 0.8, 1.0], 9)
            }
            Kind::Rescue => {
                let m = multipliers(rng);
                let last = if rng.uniform() < 0.5 { 4 } else { 6 };
                path(&base, 0.1, &m, [0.0, 0.5, 0.8, 1.0, 1.0], last)
            }
            Kind::Ceiling => {
                base.mmt = MMT_MAX;
                let (f9, m) = draw_category(rng, &base, Category::Minimal, MMT_MAX);
                path(&base, f9, &m, [0.0, 0.4, 0.6, 0.8, 1.0], 9)
            }
        };
        // Keep the draw only if the engine agrees on every visit that matters.
        let recs = score(&v, MMT_MAX);
        let t = |w| tis_at(&recs, w).unwrap_or(0.0);
        let ok = match kind {
            Kind::Early => [3, 4, 6, 9].iter().all(|&w| t(w) >= 40.0),
            Kind::Late => t(3) < 40.0 && t(4) < 40.0 && t(9) >= 40.0,
            Kind::Rescue | Kind::NonResponder | Kind::Ceiling => recs.iter().all(|r| r.tis_x2.is_none_or(|x| x < 80)),
        };
        if ok {
            break v;
        }
    };
    // Infusions: 2 g/kg at week 0, 1 g/kg at week 3, and at week 6 1 g/kg or, when the
    // engine's TIS at week 4 is below 40, 2 g/kg (the adaptive rule).
    let last = visits.last().map_or(0, |v| v.0);
    let recs = score(&visits, MMT_MAX);
    let escalate = tis_at(&recs, 4).is_some_and(|t| t < 40.0);
    let mut infusions = vec![(0, 2), (3, 1)];
    if kind == Kind::Rescue {
        events.push((last, "rescue", "rescue medication (glucocorticoids)"));
        events.push((last, "discontinued", "stopped the study treatment after rescue"));
    } else {
        infusions.push((6, if escalate { 2 } else { 1 }));
    }
    Subject { id, kind, weight: rng.int(50, 100), diagnosis, visits, infusions, events }
}

pub fn generate(seed: u64) -> DemoBundle {
    let mut rng = Rng::new(seed);
    let mut kinds = Vec::new();
    for (k, n) in [(Kind::Early, 6), (Kind::Late, 2), (Kind::Rescue, 7), (Kind::NonResponder, 4), (Kind::Ceiling, 1)] {
        kinds.extend(std::iter::repeat_n(k, n));
    }
    rng.shuffle(&mut kinds);
    let mut dx: Vec<&'static str> = Vec::new();
    for (d, n) in [("DM", 9), ("IMNM", 6), ("overlap", 4), ("ASyS", 1)] {
        dx.extend(std::iter::repeat_n(d, n));
    }
    rng.shuffle(&mut dx);
    let subjects: Vec<Subject> =
        kinds.iter().zip(dx).enumerate().map(|(i, (&k, d))| build(&mut rng, format!("PL{:02}", i + 1), k, d)).collect();

    let mut toml = TRIAL_TOML.to_string();
    for s in subjects.iter().filter(|s| s.kind == Kind::Ceiling) {
        let _ = write!(
            toml,
            "\n[[exclude]]\nsubject = \"{}\"\nreason = \"ceiling effect: MMT-8 150/150 at baseline, no room to improve\"\n",
            s.id
        );
    }
    let mut subjects_csv = String::from("subject,arm,sex,age,weight_kg,diagnosis\n");
    let mut visits = String::from(VISITS_HEADER);
    let mut infusions = String::from("subject,week,dose_g_per_kg,weight_kg,grams,product\n");
    let mut events = String::from("subject,week,event,note\n");
    for s in &subjects {
        let sex = if rng.uniform() < 0.6 { "F" } else { "M" };
        let _ = writeln!(subjects_csv, "{},ivig,{sex},{},{},{}", s.id, rng.int(30, 78), s.weight, s.diagnosis);
        for (w, v) in &s.visits {
            push_visit(&mut visits, &s.id, *w, v, MMT_MAX);
        }
        for (w, d) in &s.infusions {
            let _ = writeln!(infusions, "{},{w},{d},{},,IVIG 10%", s.id, s.weight);
        }
        for (w, e, note) in &s.events {
            let _ = writeln!(events, "{},{w},{e},{note}", s.id);
        }
    }
    // Adverse events: 3 serious (one pulmonary embolism), some mild infusion-related ones.
    let mut aes = String::from("subject,term,onset_week,end_week,severity,serious,related,thromboembolic\n");
    let analysed: Vec<&Subject> = subjects.iter().filter(|s| s.kind != Kind::Ceiling).collect();
    let serious = [("pulmonary embolism", "yes"), ("pneumonia", "no"), ("infusion reaction", "no")];
    for (i, (term, te)) in serious.iter().enumerate() {
        let s = analysed[(i * 5) % analysed.len()];
        let related = if *term == "pneumonia" { "no" } else { "yes" };
        let _ = writeln!(
            aes,
            "{},{term},{},{},severe,yes,{related},{te}",
            s.id,
            s.infusions[0].0 + 1,
            s.infusions[0].0 + 3
        );
    }
    for s in analysed.iter().step_by(3) {
        let _ = writeln!(aes, "{},headache,0,0,mild,no,yes,no", s.id);
    }
    DemoBundle {
        name: "pilot-like",
        files: vec![
            ("trial.toml", toml),
            ("subjects.csv", subjects_csv),
            ("visits.csv", visits),
            ("infusions.csv", infusions),
            ("events.csv", events),
            ("adverse_events.csv", aes),
        ],
    }
}

const TRIAL_TOML: &str = r#"# SYNTHETIC DATA generated by `myotrial demo`: shaped like the first-line IVIG pilot (Lim et al.,
# Rheumatology 2021), not its patient data.
name = "Pilot-like (synthetic)"
description = "Single-arm pilot of first-line IVIG monotherapy in recent-onset myositis: 2 g/kg at week 0, 1 g/kg at weeks 3 and 6; TIS < 40 at week 4 escalates to 2 g/kg every 4 weeks. Rescue medication stops the study treatment (non-responder)."
population = "adult"
arms = ["ivig"]
primary_week = 9

[schedule]
weeks = [0, 3, 4, 6, 9]

[[regimen]]
arm = "ivig"
product = "IVIG 10%"
doses = [{ week = 0, dose_g_per_kg = 2.0 }, { week = 3, dose_g_per_kg = 1.0 }, { week = 6, dose_g_per_kg = 1.0 }]

[[regimen.rule]]
at_week = 4
tis_below = 40
dose_g_per_kg = 2.0
interval_weeks = 4

[[endpoint]]
id = "tis40_week9"
label = "At least moderate improvement (TIS ≥ 40) at week 9"
kind = "responder"
threshold = 40
week = 9
ci = "clopper-pearson"

[[endpoint]]
id = "time_to_tis40"
label = "Time to first TIS ≥ 40 (weeks, to week 9)"
kind = "time-to-response"
threshold = 40
by_week = 9

[[endpoint]]
id = "tis20_week9"
label = "TIS ≥ 20 at week 9"
kind = "responder"
threshold = 20
week = 9
ci = "clopper-pearson"

[[subgroup]]
by = "diagnosis"
"#;

pub fn compare(a: &Analysis) -> Vec<Check> {
    let mut out = vec![count_check(STUDY, a, "tis40_week9", "TIS ≥ 40 at week 9", &[("ivig", 8, 19)], "8/19")];
    let analysed = a.flow.first().map_or(0, |f| f.analysed);
    let randomised = a.flow.first().map_or(0, |f| f.randomised);
    out.push(Check {
        study: STUDY,
        figure: "Enrolled, analysed".into(),
        published: "20 enrolled, 19 analysed (1 ceiling effect)".into(),
        myotrial: format!("{randomised} enrolled, {analysed} analysed"),
        method: "subjects.csv and trial.toml [[exclude]]".into(),
        status: if (randomised, analysed) == (20, 19) { Status::Reproduced } else { Status::Failed },
        reason: String::new(),
    });
    let e = endpoint(a, "tis40_week9");
    let ci_of = |m: &str| {
        e.and_then(|e| e.alternatives.iter().find(|c| c.method == m)).and_then(|c| Some((c.ci_low?, c.ci_high?)))
    };
    let est = e.and_then(|e| e.proportion.as_ref()).and_then(|p| p.estimate).unwrap_or(f64::NAN);
    let cp = ci_of("clopper-pearson");
    let midp = ci_of("mid-p");
    let show = |c: Option<(f64, f64)>| {
        c.map_or_else(|| "–".into(), |(l, h)| format!("{:.2} to {:.2} %", 100.0 * l, 100.0 * h))
    };
    out.push(Check {
        study: STUDY,
        figure: "Proportion".into(),
        published: "42.0 %".into(),
        myotrial: format!("{:.2} %", 100.0 * est),
        method: "8/19".into(),
        status: if round_to(100.0 * est, 1) == 42.1 { Status::NotReproducible } else { Status::Failed },
        reason: "8/19 = 42.1 %; the published 42.0 % is a rounding slip".into(),
    });
    let cp_ok = cp.is_some_and(|(l, h)| round_to(100.0 * l, 2) == 20.25 && round_to(100.0 * h, 2) == 66.50);
    out.push(Check {
        study: STUDY,
        figure: "Exact 95 % CI (Clopper–Pearson)".into(),
        published: "20.25 to 66.50 % (the exact CP interval of 8/19)".into(),
        myotrial: show(cp),
        method: "clopper-pearson".into(),
        status: if cp_ok { Status::Reproduced } else { Status::Failed },
        reason: String::new(),
    });
    let midp_ok = midp.is_some_and(|(l, h)| round_to(100.0 * l, 1) == 21.8 && round_to(100.0 * h, 1) == 64.6);
    out.push(Check {
        study: STUDY,
        figure: "Published 95 % CI".into(),
        published: "19.6 to 64.6 % (\"Clopper-Pearson\")".into(),
        myotrial: format!("Clopper–Pearson {}; mid-p {}", show(cp), show(midp)),
        method: "clopper-pearson, mid-p".into(),
        status: if cp_ok && midp_ok { Status::NotReproducible } else { Status::Failed },
        reason: "not the Clopper–Pearson interval of 8/19 (20.25–66.50); its upper limit matches the mid-p interval (21.8–64.6) but no standard method gives 19.6".into(),
    });
    let early = endpoint(a, "time_to_tis40")
        .and_then(|e| e.arms.first())
        .map(|r| r.km.iter().filter(|k| k.time <= 3.0).map(|k| k.n_event).sum::<u64>());
    out.push(Check {
        study: STUDY,
        figure: "Responders improved by week 3".into(),
        published: "6 of 8".into(),
        myotrial: early.map_or_else(|| "–".into(), |k| format!("{k} of 8")),
        method: "time to first TIS ≥ 40 (Kaplan–Meier events by week 3)".into(),
        status: if early == Some(6) { Status::Reproduced } else { Status::Failed },
        reason: String::new(),
    });
    let rescue = a.flow.first().and_then(|f| f.events.get("rescue")).copied().unwrap_or(0);
    out.push(Check {
        study: STUDY,
        figure: "Rescue medication, stopped early".into(),
        published: "7".into(),
        myotrial: rescue.to_string(),
        method: "events.csv".into(),
        status: if rescue == 7 { Status::Reproduced } else { Status::Failed },
        reason: String::new(),
    });
    let row = |t: &str| {
        a.safety.iter().find(|r| r.term == t && r.phase == "all").and_then(|r| r.arms.first()).map_or(0, |c| c.events)
    };
    let (serious, pe) = (row("Serious"), row("pulmonary embolism"));
    out.push(Check {
        study: STUDY,
        figure: "Serious adverse events (pulmonary embolism)".into(),
        published: "3 (1)".into(),
        myotrial: format!("{serious} ({pe})"),
        method: "adverse_events.csv".into(),
        status: if (serious, pe) == (3, 1) { Status::Reproduced } else { Status::Failed },
        reason: String::new(),
    });
    let adaptive = a.adaptive.first();
    out.push(Check {
        study: STUDY,
        figure: "Adaptive rule TIS < 40 at week 4 → 2 g/kg".into(),
        published: "applied".into(),
        myotrial: adaptive.map_or_else(
            || "–".into(),
            |c| {
                format!(
                    "{} triggered, {} escalated, {} escalated without the rule",
                    c.triggered, c.escalated, c.escalated_without_trigger
                )
            },
        ),
        method: "engine TIS at week 4 vs infusions.csv".into(),
        status: if adaptive.is_some_and(|c| {
            c.triggered > 0 && c.triggered == c.escalated + rescued_before_6(a) && c.escalated_without_trigger == 0
        }) {
            Status::Reproduced
        } else {
            Status::Failed
        },
        reason: "subjects rescued before week 6 were not escalated".into(),
    });
    out
}

/// Triggered subjects who stopped before the week-6 infusion (rescue at week 4 or 6).
fn rescued_before_6(a: &Analysis) -> u64 {
    a.flow.first().and_then(|f| f.events.get("rescue")).copied().unwrap_or(0)
}
