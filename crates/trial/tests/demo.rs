//! The three demo bundles, analysed from their files: every published count comes out of the
//! scoring engine run on the generated visits.

use myotrial_trial::analysis::{analyse, Analysis};
use myotrial_trial::bundle::Bundle;
use myotrial_trial::demo::{bundles, compare, DemoBundle, Status, SEED};

fn load(b: &DemoBundle) -> Bundle {
    Bundle::load(b.sources()).unwrap_or_else(|e| panic!("{}: {e}", b.name))
}

fn counts(a: &Analysis, id: &str) -> Vec<(String, u64, u64)> {
    let e = a.endpoints.iter().find(|e| e.id == id).unwrap();
    e.arms.iter().map(|r| (r.arm.clone(), r.responders.unwrap(), r.n)).collect()
}

fn c(arm: &str, x: u64, n: u64) -> (String, u64, u64) {
    (arm.to_string(), x, n)
}

#[test]
fn every_published_count_is_reproduced() {
    let all = bundles(SEED);
    let analyses: Vec<Analysis> = all.iter().map(|b| analyse(&load(b))).collect();
    let (pd, co, pi) = (&analyses[0], &analyses[1], &analyses[2]);
    assert_eq!(counts(pd, "tis20"), [c("ivig", 37, 47), c("placebo", 21, 48)]);
    assert_eq!(counts(pd, "tis40"), [c("ivig", 32, 47), c("placebo", 11, 48)]);
    assert_eq!(counts(pd, "tis60"), [c("ivig", 15, 47), c("placebo", 4, 48)]);
    assert_eq!(counts(co, "muscular_remission"), [c("ivig", 22, 24), c("conventional", 10, 18)]);
    assert_eq!(counts(co, "complete_remission"), [c("ivig", 12, 24), c("conventional", 8, 18)]);
    assert_eq!(counts(pi, "tis40_week9"), [c("ivig", 8, 19)]);
    // CDASI activity mean changes inside the published CIs.
    let cd = pd.endpoints.iter().find(|e| e.id == "cdasi_activity_change").unwrap();
    let m = |arm: &str| cd.arms.iter().find(|r| r.arm == arm).unwrap().mean.unwrap();
    assert!(m("ivig") > -12.52 && m("ivig") < -6.19, "{}", m("ivig"));
    assert!(m("placebo") > -3.32 && m("placebo") < 0.99, "{}", m("placebo"));
    // Every comparison with the publications: reproduced, or documented as not reproducible.
    let checks: Vec<_> = all.iter().zip(&analyses).flat_map(|(b, a)| compare(b, a)).collect();
    let failed: Vec<_> = checks.iter().filter(|c| c.status == Status::Failed).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    let not: Vec<&str> =
        checks.iter().filter(|c| c.status == Status::NotReproducible).map(|c| c.published.as_str()).collect();
    assert_eq!(not, ["p = 0.0008", "P = .28", "42.0 %", "19.6 to 64.6 % (\"Clopper-Pearson\")"]);
}

#[test]
fn the_generators_are_deterministic() {
    let a = bundles(SEED);
    let b = bundles(SEED);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.files.len(), y.files.len());
        for ((n1, t1), (n2, t2)) in x.files.iter().zip(&y.files) {
            assert_eq!((n1, t1), (n2, t2));
        }
    }
    assert_ne!(bundles(SEED + 1)[0].file("visits.csv"), a[0].file("visits.csv"));
}

#[test]
fn responders_come_from_the_visit_values() {
    // Put one IVIG responder's week-16 visit back to its baseline values: the engine now
    // scores TIS 0 and the count drops by one. No stored flag could do that.
    let mut b = bundles(SEED).remove(0);
    let a = analyse(&load(&b));
    let first = a.waterfall.iter().find(|(arm, _, t)| arm == "ivig" && t.is_some_and(|t| t >= 20.0)).unwrap().1.clone();
    let visits = b.file("visits.csv").unwrap().to_string();
    let baseline: Vec<&str> =
        visits.lines().find(|l| l.starts_with(&format!("{first},0,"))).unwrap().split(',').collect();
    let edited: String = visits
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{first},16,")) {
                let mut f: Vec<&str> = baseline.clone();
                f[1] = "16";
                f.join(",")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    for (n, t) in b.files.iter_mut() {
        if *n == "visits.csv" {
            *t = edited.clone();
        }
    }
    let a2 = analyse(&load(&b));
    assert_eq!(counts(&a2, "tis20")[0], c("ivig", 36, 47));
}
