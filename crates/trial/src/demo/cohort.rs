//! Cohort-like bundle (published-results.md §B): IVIG added to conventional treatment (24) vs
//! conventional immunosuppression alone (18), outcome at 6 months (week 26), relapses followed
//! over years.
//!
//! Remission is derived from the visit values with this bundle's operational definition (the
//! paper's exact definitions were not available): muscular remission = MMT-8 at its maximum
//! (80/80) and CK ≤ ULN at week 26; complete remission = muscular remission and CDASI activity 0.

use super::values::{multipliers, push_visit, Rng, Vals, VISITS_HEADER};
use super::{count_check, endpoint, p_value, round_to, Check, DemoBundle, Status};
use crate::analysis::Analysis;
use std::fmt::Write;

const STUDY: &str = "Cohort";
const MMT_MAX: i64 = 80;
const FOLLOW_UP: [u32; 6] = [52, 104, 156, 208, 260, 312];
/// 48 months in weeks (48 × 52 / 12).
pub const MONTHS_48: u32 = 208;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Outcome {
    Complete,
    MuscularOnly,
    NoRemission,
}

struct Subject {
    id: String,
    arm: &'static str,
    weight: i64,
    visits: Vec<(u32, Vals)>,
    relapse: Option<u32>,
    courses: u32,
}

fn plan(arm: &str) -> (Vec<Outcome>, usize) {
    let mut v = Vec::new();
    let (complete, muscular, none, relapses) = if arm == "ivig" { (12, 10, 2, 13) } else { (8, 2, 8, 9) };
    v.extend(std::iter::repeat_n(Outcome::Complete, complete));
    v.extend(std::iter::repeat_n(Outcome::MuscularOnly, muscular));
    v.extend(std::iter::repeat_n(Outcome::NoRemission, none));
    (v, relapses)
}

fn build(rng: &mut Rng, id: String, arm: &'static str, outcome: Outcome, relapse: Option<u32>) -> Subject {
    let mut base = Vals::baseline(rng, MMT_MAX);
    base.cdasi_a = Some(rng.int(2, 16));
    let m = multipliers(rng);
    let at26 = {
        let mut v = base.improved(0.8, &m, MMT_MAX);
        match outcome {
            Outcome::Complete | Outcome::MuscularOnly => {
                v.mmt = MMT_MAX;
                v.ck = rng.int(60, 200);
            }
            Outcome::NoRemission => {
                v.mmt = rng.int(base.mmt, MMT_MAX - 2).min(MMT_MAX - 2);
                v.ck = rng.int(250, 600).min(base.ck);
            }
        }
        v.cdasi_a = Some(if outcome == Outcome::Complete { 0 } else { rng.int(1, 8).min(base.cdasi_a.unwrap_or(8)) });
        v.cdasi_d = base.cdasi_d;
        v
    };
    let mut visits = vec![(0, base), (26, at26)];
    let end = if relapse.is_some() || rng.uniform() < 0.5 { 312 } else { 260 };
    for &w in FOLLOW_UP.iter().filter(|&&w| w <= end) {
        let mut v = at26;
        if relapse.is_some_and(|r| r <= w) {
            // A relapse: weaker, CK up, skin active again.
            v.mmt = (v.mmt - rng.int(6, 14)).max(0);
            v.ck = rng.int(400, 1500);
            v.cdasi_a = Some(rng.int(3, 12));
        }
        visits.push((w, v));
    }
    let courses = if arm == "ivig" { [4, 5, 6, 6, 6, 7, 8, 10, 12, 18][(rng.next_u64() % 10) as usize] } else { 0 };
    Subject { id, arm, weight: rng.int(48, 105), visits, relapse, courses }
}

pub fn generate(seed: u64) -> DemoBundle {
    let mut rng = Rng::new(seed);
    let mut subjects = Vec::new();
    let mut n = 0;
    for arm in ["ivig", "conventional"] {
        let (mut outcomes, relapses) = plan(arm);
        rng.shuffle(&mut outcomes);
        for (i, o) in outcomes.into_iter().enumerate() {
            n += 1;
            let relapse = (i < relapses).then(|| rng.int(30, i64::from(MONTHS_48)) as u32);
            subjects.push(build(&mut rng, format!("CO{n:03}"), arm, o, relapse));
        }
    }
    // Courses: one 2 g/kg course every 4 weeks from week 0, median 6 (range 4–18).
    let mut infusions = String::from("subject,week,dose_g_per_kg,weight_kg,grams,product\n");
    let mut visits = String::from(VISITS_HEADER);
    let mut events = String::from("subject,week,event,note\n");
    let mut subjects_csv = String::from("subject,arm,sex,age,weight_kg,diagnosis\n");
    let mut aes = String::from("subject,term,onset_week,end_week,severity,serious,related,thromboembolic\n");
    let mut headaches = 0;
    for s in &subjects {
        let sex = if rng.uniform() < 0.75 { "F" } else { "M" };
        let _ = writeln!(subjects_csv, "{},{},{sex},{},{},DM", s.id, s.arm, rng.int(25, 75), s.weight);
        for (w, v) in &s.visits {
            push_visit(&mut visits, &s.id, *w, v, MMT_MAX);
        }
        for c in 0..s.courses {
            let _ = writeln!(infusions, "{},{},2,{},,IVIG", s.id, 4 * c, s.weight);
        }
        if let Some(r) = s.relapse {
            let _ = writeln!(events, "{},{r},relapse,muscle and/or skin relapse", s.id);
        }
        // Adverse events: 4 of 24 IVIG patients (16.7 %), mild headache or migraine.
        if s.arm == "ivig" && headaches < 4 {
            headaches += 1;
            let term = if headaches % 2 == 0 { "migraine" } else { "headache" };
            let _ = writeln!(aes, "{},{term},{},{},mild,no,yes,no", s.id, 4 * (headaches - 1), 4 * (headaches - 1));
        }
    }
    DemoBundle {
        name: "cohort-like",
        files: vec![
            ("trial.toml", TRIAL_TOML.to_string()),
            ("subjects.csv", subjects_csv),
            ("visits.csv", visits),
            ("infusions.csv", infusions),
            ("events.csv", events),
            ("adverse_events.csv", aes),
        ],
    }
}

const TRIAL_TOML: &str = r#"# SYNTHETIC DATA generated by `myotrial demo`: shaped like the 2012 retrospective cohort of IVIG
# added to conventional treatment in dermatomyositis, not its patient data.
name = "Cohort-like (synthetic)"
description = "Retrospective cohort: IVIG add-on (24) vs conventional immunosuppression (18); outcome at 6 months (week 26); relapses over a median of about 6 years. Remission is derived from the visits: muscular = MMT-8 80/80 and CK within normal limits; complete = muscular and CDASI activity 0 (this bundle's operational definitions)."
population = "adult"
control = "conventional"
arms = ["ivig", "conventional"]
primary_week = 26

[scoring]
missing = "strict"

[[regimen]]
arm = "ivig"
product = "IVIG"
dose_g_per_kg = 2.0
interval_weeks = 4
cycles = 6

[[endpoint]]
id = "muscular_remission"
label = "Muscular remission at 6 months (MMT-8 80/80, CK ≤ ULN)"
kind = "remission"
week = 26
mmt_min_pct = 100
enzymes_normal = true
tests = ["chi2", "fisher"]

[[endpoint]]
id = "complete_remission"
label = "Complete remission at 6 months (muscular remission and CDASI activity 0)"
kind = "remission"
week = 26
mmt_min_pct = 100
enzymes_normal = true
cdasi_activity_max = 0
tests = ["chi2", "fisher"]

[[endpoint]]
id = "time_to_relapse"
label = "Time to relapse (weeks, to 48 months)"
kind = "time-to-event"
event = "relapse"
by_week = 208

[[endpoint]]
id = "cdasi_activity_change"
label = "Change in CDASI activity at 6 months"
kind = "change"
measure = "cdasi_activity"
week = 26

[[endpoint]]
id = "mmt_change"
label = "Change in MMT-8 at 6 months"
kind = "change"
measure = "mmt"
week = 26
"#;

pub fn compare(a: &Analysis) -> Vec<Check> {
    let mut out = vec![count_check(
        STUDY,
        a,
        "muscular_remission",
        "Muscular remission at 6 months",
        &[("ivig", 22, 24), ("conventional", 10, 18)],
        "22/24 (91.7 %) vs 10/18 (55.6 %)",
    )];
    let chi2 = p_value(a, "muscular_remission", "chi2");
    out.push(Check {
        study: STUDY,
        figure: "P value, muscular remission".into(),
        published: "P = .007".into(),
        myotrial: chi2.map_or_else(|| "–".into(), |p| format!("χ² {p:.4}")),
        method: "chi2 (Pearson, no correction)".into(),
        status: if chi2.map(|p| round_to(p, 3)) == Some(0.007) { Status::Reproduced } else { Status::Failed },
        reason: "Pearson χ² p = 0.0065 rounds to the published .007".into(),
    });
    out.push(count_check(
        STUDY,
        a,
        "complete_remission",
        "Complete remission at 6 months",
        &[("ivig", 12, 24), ("conventional", 8, 18)],
        "12/24 (50 %) vs 8/18 (44.4 %)",
    ));
    let (c, f) = (p_value(a, "complete_remission", "chi2"), p_value(a, "complete_remission", "fisher"));
    let expected = c.map(|p| round_to(p, 2)) == Some(0.72) && f.map(|p| round_to(p, 2)) == Some(0.76);
    out.push(Check {
        study: STUDY,
        figure: "P value, complete remission".into(),
        published: "P = .28".into(),
        myotrial: format!(
            "χ² {}, Fisher {}",
            c.map_or_else(|| "–".into(), |p| format!("{p:.2}")),
            f.map_or_else(|| "–".into(), |p| format!("{p:.2}"))
        ),
        method: "chi2, fisher".into(),
        status: if expected { Status::NotReproducible } else { Status::Failed },
        reason: "no standard 2×2 test of 12/24 vs 8/18 gives .28 (χ² 0.72, Fisher 0.76)".into(),
    });
    if let Some(e) = endpoint(a, "time_to_relapse") {
        if let Some(r) = e.arms.iter().find(|r| r.arm == "ivig") {
            let s48 = r.km.iter().take_while(|k| k.time <= f64::from(MONTHS_48)).last().map_or(1.0, |k| k.surv);
            let got = 100.0 * (1.0 - s48);
            out.push(Check {
                study: STUDY,
                figure: "Relapse within 48 months, IVIG".into(),
                published: "54.2 % (13/24)".into(),
                myotrial: format!("{got:.1} % (Kaplan–Meier, {} events)", r.events.unwrap_or(0)),
                method: "1 − Kaplan–Meier survival at week 208".into(),
                status: if round_to(got, 1) == 54.2 { Status::Reproduced } else { Status::Failed },
                reason: "mean relapse-free time (38.5 ± 34.3 months) and the courses–relapse association (P = .03) are not modelled".into(),
            });
        }
    }
    let ae = a.safety.iter().find(|r| r.term == "Any adverse event" && r.phase == "all");
    let ivig = ae.and_then(|r| r.arms.iter().find(|c| c.arm == "ivig"));
    out.push(Check {
        study: STUDY,
        figure: "Adverse events, IVIG patients".into(),
        published: "16.7 %".into(),
        myotrial: ivig.map_or_else(|| "–".into(), |c| format!("{}/{} = {:.1} %", c.patients, c.n, c.percent)),
        method: "patients with ≥ 1 adverse event".into(),
        status: if ivig.is_some_and(|c| round_to(c.percent, 1) == 16.7) { Status::Reproduced } else { Status::Failed },
        reason: String::new(),
    });
    out
}
