//! The analysis of hand-made bundles: one subject per rule of data-format.md §3.6, each
//! expected outcome worked out by hand from the visit values (see bundles/rules/visits.csv:
//! baseline PGA 5, PtGA 5, extramuscular 5, MMT 100/150, HAQ 1.5, CK 1000/200; a "responding"
//! visit has PGA 2 (30 % → 17.5 points) and MMT 120 (13.3 % → 20 points) = TIS 37.5; a
//! "deteriorating" visit has extramuscular 7.5, worse by 2.5 cm ≥ 2 cm, criterion (b)).

use myotrial_trial::analysis::{analyse, derive};
use myotrial_trial::bundle::{Bundle, Sources};
use std::path::Path;

struct Files {
    toml: String,
    subjects: Vec<u8>,
    visits: Vec<u8>,
    events: Option<Vec<u8>>,
}

fn read(dir: &str) -> Files {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bundles").join(dir);
    Files {
        toml: std::fs::read_to_string(d.join("trial.toml")).unwrap(),
        subjects: std::fs::read(d.join("subjects.csv")).unwrap(),
        visits: std::fs::read(d.join("visits.csv")).unwrap(),
        events: std::fs::read(d.join("events.csv")).ok(),
    }
}

fn load(f: &Files) -> Result<Bundle, String> {
    Bundle::load(Sources {
        trial_toml: &f.toml,
        subjects: &f.subjects,
        visits: &f.visits,
        infusions: None,
        adverse_events: None,
        events: f.events.as_deref(),
    })
    .map_err(|e| e.to_string())
}

#[test]
fn each_rule_decides_its_subject() {
    let f = read("rules");
    let b = load(&f).unwrap();
    let subjects = derive(&b);
    let p = &b.protocol;
    let t20 = myotrial_measures::Dec::from(20);
    let outcome = |id: &str| subjects.iter().find(|s| s.subject.id == id).unwrap().responder(t20, 16, p);
    // TIS 37.5 at week 16, no deterioration.
    assert_eq!(outcome("A1"), Ok(()));
    // No week-16 visit (TIS 37.5 at week 8 does not count): non-responder.
    assert_eq!(outcome("A2"), Err("no visit"));
    // Deterioration at weeks 4 and 8 (two consecutive visits) is confirmed at week 8: TIS 37.5
    // at week 16 does not make a responder.
    assert_eq!(outcome("A3"), Err("confirmed deterioration"));
    // Deterioration at week 4 only is not confirmed: responder.
    assert_eq!(outcome("A4"), Ok(()));
    // Crossed over at week 8 after confirmed deterioration; stays in the placebo arm and is a
    // non-responder for the first-period analysis, whatever week 16 shows.
    assert_eq!(outcome("P1"), Err("crossover"));
    assert_eq!(outcome("P2"), Ok(()));
    // TIS 7.5 < 20.
    assert_eq!(outcome("P3"), Err("below threshold"));
    // Randomised, never seen: counted in n as a non-responder.
    assert_eq!(outcome("P4"), Err("no visit"));
    let a3 = subjects.iter().find(|s| s.subject.id == "A3").unwrap();
    assert_eq!(a3.confirmed_deterioration, Some(8));
}

#[test]
fn the_endpoint_counts_follow_from_the_rules() {
    let f = read("rules");
    let a = analyse(&load(&f).unwrap());
    let e = &a.endpoints[0];
    assert_eq!(e.id, "tis20");
    assert_eq!((e.arms[0].arm.as_str(), e.arms[0].n, e.arms[0].responders), ("ivig", 4, Some(2)));
    assert_eq!((e.arms[1].arm.as_str(), e.arms[1].n, e.arms[1].responders), ("placebo", 4, Some(1)));
    assert_eq!(e.arms[1].non_responders.get("crossover"), Some(&1));
    assert_eq!(e.arms[1].non_responders.get("no visit"), Some(&1));
    let d = e.difference.as_ref().unwrap();
    // Wald: 0.5 − 0.25 ± 1.959964 × sqrt(0.5·0.5/4 + 0.25·0.75/4) = 0.25 ± 0.648197.
    assert!((d.estimate.unwrap() - 0.25).abs() < 1e-12);
    assert!((d.ci_low.unwrap() - (0.25 - 0.648_197_16)).abs() < 1e-6, "{d:?}");
    assert_eq!(d.method, "wald");
    // Fisher for 2/4 vs 1/4 is 1 (every table is as likely or less).
    assert_eq!(e.tests[0].name, "fisher");
    assert!((e.tests[0].p_value.unwrap() - 1.0).abs() < 1e-12);
    // CDASI activity change at week 16 (complete cases): ivig −10, 0, −6; placebo −1, −2, +2.
    let c = &a.endpoints[1];
    assert_eq!(c.arms[0].n_observed, Some(3));
    assert!((c.arms[0].mean.unwrap() - (-16.0 / 3.0)).abs() < 1e-12);
    assert!((c.arms[1].mean.unwrap() - (-1.0 / 3.0)).abs() < 1e-12);
    assert!((c.difference.as_ref().unwrap().estimate.unwrap() - (-5.0)).abs() < 1e-12);
}

#[test]
fn observed_handling_of_crossover_is_an_option() {
    let mut f = read("rules");
    f.toml.push_str("\n[intercurrent]\ncrossover = \"observed\"\n");
    let b = load(&f).unwrap();
    let subjects = derive(&b);
    let p1 = subjects.iter().find(|s| s.subject.id == "P1").unwrap();
    // Still a non-responder: its deterioration was confirmed before week 16.
    assert_eq!(p1.responder(myotrial_measures::Dec::from(20), 16, &b.protocol), Err("confirmed deterioration"));
}

#[test]
fn bad_bundles_are_refused_with_positions() {
    let base = read("rules");
    let check = |f: &Files, expected: &str| {
        let e = load(f).unwrap_err();
        assert!(e.contains(expected), "expected {expected:?} in:\n{e}");
    };
    // Unknown arm in subjects.csv (line 3, column 2).
    let mut f = read("rules");
    f.subjects = String::from_utf8(base.subjects.clone()).unwrap().replace("A2,ivig", "A2,ivgi").into_bytes();
    check(&f, "subjects.csv:3:2: arm: \"ivgi\" is not an arm of trial.toml (ivig, placebo)");
    // A subject in visits.csv who is not randomised.
    let mut f = read("rules");
    f.visits.extend_from_slice(b"X9,0,5,5,5,100,150,1.5,1000,200,20\n");
    check(&f, "visits.csv:29:1: subject: \"X9\" is not in subjects.csv");
    // A week outside the schedule.
    let mut f = read("rules");
    f.visits = String::from_utf8(base.visits.clone()).unwrap().replace("A1,8,", "A1,9,").into_bytes();
    check(&f, "visits.csv:4:2: week: 9 is outside the visit schedule of trial.toml (weeks [0, 4, 8, 16])");
    // Invalid TOML.
    let mut f = read("rules");
    f.toml = f.toml.replace("primary_week = 16", "primary_week = ");
    check(&f, "trial.toml:6:");
    // Unknown key.
    let mut f = read("rules");
    f.toml = f.toml.replace("ci = \"wald\"", "cl = \"wald\"");
    check(&f, "trial.toml:20:1: unknown field `cl`");
    // Crossover of a subject of the wrong arm.
    let mut f = read("rules");
    f.events = Some(b"subject,week,event,note\nA1,8,crossover,\n".to_vec());
    check(&f, "events.csv:2:3: event: crossover of \"A1\", randomised to \"ivig\"");
}

#[test]
fn cmh_uses_the_protocol_strata() {
    // Strata by sex: F — ivig 2/3 (A1, A3, A4), placebo 1/2 (P2, P3); M — ivig 0/1 (A2),
    // placebo 0/2 (P1, P4). R: mantelhaen.test(array(c(2,1,1,1, 0,0,1,2), c(2,2,2))) gives
    // X² = 0.1111111 (R applies no continuity correction this small), p = 0.73888268036352733.
    let mut f = read("rules");
    f.toml = f.toml.replace("ci = \"wald\"", "ci = \"wald\"\ntests = [\"cmh\", \"fisher\"]");
    f.toml = f.toml.replace("primary_week = 16", "primary_week = 16\nstrata = [\"sex\"]");
    let a = analyse(&load(&f).unwrap());
    let t = &a.endpoints[0].tests[0];
    assert_eq!(t.name, "cmh");
    assert!((t.p_value.unwrap() - 0.738_882_680_363_527_3).abs() < 1e-12, "{t:?}");
    assert!((t.statistic.unwrap() - 1.0 / 9.0).abs() < 1e-12, "{t:?}");
    // Without strata in subjects.csv (no `stratum` column) the CMH entry says why.
    let mut f = read("rules");
    f.toml = f.toml.replace("ci = \"wald\"", "ci = \"wald\"\ntests = [\"cmh\"]");
    let a = analyse(&load(&f).unwrap());
    let t = &a.endpoints[0].tests[0];
    assert!(t.p_value.is_none() && t.note.as_deref().unwrap().contains("fewer than two strata"), "{t:?}");
    // An unknown stratification key is refused.
    let mut f = read("rules");
    f.toml = f.toml.replace("primary_week = 16", "primary_week = 16\nstrata = [\"sexx\"]");
    assert!(load(&f).unwrap_err().contains("trial.toml:7:11: strata: \"sexx\" is not one of"));
}

#[test]
fn the_exact_unconditional_interval_can_be_the_endpoint_method() {
    let mut f = read("rules");
    f.toml = f.toml.replace("ci = \"wald\"", "ci = \"exact-unconditional\"");
    let a = analyse(&load(&f).unwrap());
    let d = a.endpoints[0].difference.as_ref().unwrap();
    assert_eq!(d.method, "exact-unconditional");
    let t = myotrial_stats::two::TwoByTwo::new(2, 4, 1, 4).unwrap();
    let want = myotrial_stats::exact_ci::exact_unconditional_ci(&t, 0.95).unwrap();
    assert_eq!((d.ci_low, d.ci_high), (Some(want.low), Some(want.high)));
}

#[test]
fn visits_map_to_their_scheduled_week_within_the_window() {
    // Window ± 1: A1's week-16 visit held at week 17 still counts for week 16.
    let mut f = read("rules");
    f.toml = f.toml.replace("weeks = [0, 4, 8, 16]", "weeks = [0, 4, 8, 16]\nwindow = 1");
    f.visits = String::from_utf8(f.visits.clone()).unwrap().replace("A1,16,", "A1,17,").into_bytes();
    let a = analyse(&load(&f).unwrap());
    assert_eq!(a.endpoints[0].arms[0].responders, Some(2));
    // Two visits in the window of one scheduled week are refused.
    let mut f = read("rules");
    f.toml = f.toml.replace("weeks = [0, 4, 8, 16]", "weeks = [0, 4, 8, 16]\nwindow = 1");
    f.visits.extend_from_slice(b"P3,17,5,5,5,100,150,1.5,1000,200,20\n");
    let e = load(&f).unwrap_err();
    assert!(
        e.contains(
            "visits.csv:29:2: week: 17 and 16 (line 28) of subject \"P3\" are both in the window of scheduled week 16"
        ),
        "{e}"
    );
}

#[test]
fn review_findings_stay_fixed() {
    // A mistyped endpoint week is an error, not a trial of non-responders.
    let mut f = read("rules");
    f.toml = f.toml.replacen("week = 16\nci = \"wald\"", "week = 15\nci = \"wald\"", 1);
    let e = load(&f).unwrap_err();
    assert!(
        e.contains("trial.toml:15:1: endpoint \"tis20\": week 15 is not a visit week (schedule [0, 4, 8, 16])"),
        "{e}"
    );
    // A control arm in a single-arm study.
    let mut f = read("rules");
    f.toml = f
        .toml
        .replace("arms = [\"ivig\", \"placebo\"]", "arms = [\"ivig\"]")
        .replace("control = \"placebo\"", "control = \"ivig\"");
    f.subjects = b"subject,arm\nA1,ivig\n".to_vec();
    f.visits = String::from_utf8(f.visits.clone())
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('P') && !l.starts_with("A2") && !l.starts_with("A3") && !l.starts_with("A4"))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .into_bytes();
    f.events = None;
    f.toml = f.toml.replace("[crossover]\nfrom = \"placebo\"\nto = \"ivig\"\n", "");
    let e = load(&f).unwrap_err();
    assert!(e.contains("control: a single-arm study has no control arm"), "{e}");
    // A baseline inside the week-0 window.
    let mut f = read("rules");
    f.toml = f.toml.replace("weeks = [0, 4, 8, 16]", "weeks = [0, 4, 8, 16]\nwindow = 1");
    f.visits = String::from_utf8(f.visits.clone()).unwrap().replace("A1,0,", "A1,1,").into_bytes();
    let e = load(&f).unwrap_err();
    assert!(
        e.contains("visits.csv:2:2: week: 1 is inside the window of week 0, but the baseline must be week 0"),
        "{e}"
    );
    // A ragged subjects.csv row does not hide the other bad cells nor invent unknown subjects.
    let mut f = read("rules");
    f.subjects = String::from_utf8(f.subjects.clone())
        .unwrap()
        .replace("A2,ivig,M,61,80", "A2,ivig,M,sixty,80")
        .replace("A3,ivig,F,45,60", "A3,ivig,F,45")
        .into_bytes();
    let e = load(&f).unwrap_err();
    assert!(e.contains("subjects.csv:3:4: age: \"sixty\" is not a whole number"), "{e}");
    assert!(e.contains("subjects.csv:4:5: the row has 4 fields but the header has 5"), "{e}");
    assert!(!e.contains("is not in subjects.csv"), "{e}");
}

#[test]
fn degenerate_statistics_say_why() {
    // Time to response is censored at the last assessment, not at a later event; P1's last
    // visit is week 16 and a relapse at week 40 does not add unassessed follow-up.
    let mut f = read("rules");
    f.toml.push_str("\n[[endpoint]]\nid = \"ttr\"\nkind = \"time-to-response\"\nthreshold = 20\n");
    f.events = Some(b"subject,week,event,note\nP3,40,relapse,\n".to_vec());
    let a = analyse(&load(&f).unwrap());
    let ttr = a.endpoints.iter().find(|e| e.id == "ttr").unwrap();
    let placebo = ttr.arms.iter().find(|r| r.arm == "placebo").unwrap();
    assert!(placebo.km.iter().all(|k| k.time <= 16.0), "{:?}", placebo.km);
    // An arm without subjects keeps its keys, with the reason.
    let mut f = read("rules");
    f.subjects = String::from_utf8(f.subjects.clone())
        .unwrap()
        .lines()
        .filter(|l| !l.contains("placebo"))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .into_bytes();
    f.visits = String::from_utf8(f.visits.clone())
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('P'))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .into_bytes();
    f.events = None;
    let a = analyse(&load(&f).unwrap());
    let d = a.endpoints[0].difference.as_ref().unwrap();
    assert!(d.ci_low.is_none() && d.note.as_deref() == Some("an arm has no analysed subjects"), "{d:?}");
    assert!(a.endpoints[0].tests.iter().all(|t| t.p_value.is_none() && t.note.is_some()));
    // Zero variance in both arms: no p-value of 1.0, a note instead.
    let mut f = read("rules");
    f.visits = String::from_utf8(f.visits.clone())
        .unwrap()
        .lines()
        .map(|l| {
            let mut c: Vec<&str> = l.split(',').collect();
            if c[0] != "subject" {
                c[10] = if c[1] == "16" && c[0].starts_with('A') { "10" } else { "20" };
            }
            c.join(",") + "\n"
        })
        .collect::<String>()
        .into_bytes();
    let a = analyse(&load(&f).unwrap());
    let ch = &a.endpoints[1];
    assert_eq!(ch.arms[0].mean, Some(-10.0));
    let d = ch.difference.as_ref().unwrap();
    assert!(d.estimate.is_none() && d.note.as_deref().unwrap().contains("no variation"), "{d:?}");
    assert!(ch.tests[0].p_value.is_none());
}

#[test]
fn cox_under_complete_separation_gives_no_number() {
    // Every ivig subject relapses (weeks 2–5), no placebo subject does: the partial likelihood
    // increases without bound, so there is no finite hazard ratio.
    let mut f = read("rules");
    f.toml.push_str("\n[[endpoint]]\nid = \"relapse\"\nkind = \"time-to-event\"\nevent = \"relapse\"\n");
    f.events = Some(b"subject,week,event,note\nA1,2,relapse,\nA2,3,relapse,\nA3,4,relapse,\nA4,5,relapse,\n".to_vec());
    let a = analyse(&load(&f).unwrap());
    let e = a.endpoints.iter().find(|e| e.id == "relapse").unwrap();
    let hr = e.hazard_ratio.as_ref().unwrap();
    assert!(hr.estimate.is_none() && hr.note.as_deref().unwrap().contains("monotone"), "{hr:?}");
    assert!(e.tests[0].p_value.is_some(), "the log-rank test is still defined");
}

#[test]
fn an_infusion_of_a_subject_whose_row_is_ragged_does_not_panic() {
    let mut f = read("rules");
    f.subjects = String::from_utf8(f.subjects.clone()).unwrap().replace("A3,ivig,F,45,60", "A3,ivig,F,45").into_bytes();
    let e = Bundle::load(Sources {
        trial_toml: &f.toml,
        subjects: &f.subjects,
        visits: &f.visits,
        infusions: Some(b"subject,week,dose_g_per_kg\nA3,0,2\n"),
        adverse_events: None,
        events: f.events.as_deref(),
    })
    .unwrap_err()
    .to_string();
    assert!(e.contains("subjects.csv:4:5: the row has 4 fields but the header has 5"), "{e}");
    assert!(e.contains("infusions.csv:2:"), "no weight for A3 to derive grams: {e}");
}
