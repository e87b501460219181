//! The exact unconditional (score, central) interval of p1 − p2 against R exact2x2
//! `uncondExact2x2(method = "score", tsmethod = "central")` with a precisely computed nuisance
//! supremum (tools/refgen/exact_unconditional.R, EXACT_UNCONDITIONAL.md): 1,327 cases, limits
//! to 1e-7 absolute (the reference's own resolution is 3.8e-9; ties in the statistic can move a
//! limit by ~3e-8), p-values to 1e-9 relative. The cases are split into four tests so they run
//! in parallel.

mod common;

use common::fixture;
use myotrial_stats::exact_ci::{exact_unconditional_ci, exact_unconditional_p};
use myotrial_stats::two::TwoByTwo;

fn check(part: usize, parts: usize) {
    let doc = fixture("exact_unconditional.json");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 1000, "{}", cases.len());
    let mut failures = Vec::new();
    let mut n = 0;
    for c in cases.iter().skip(part).step_by(parts) {
        let u = |k: &str| c[k].as_u64().unwrap();
        let f = |k: &str| c[k].as_f64().unwrap();
        let t = TwoByTwo::new(u("x1"), u("n1"), u("x2"), u("n2")).unwrap();
        let ci = exact_unconditional_ci(&t, f("level")).unwrap();
        n += 1;
        if (ci.low - f("ci_low")).abs() > 1e-7 || (ci.high - f("ci_high")).abs() > 1e-7 {
            failures.push(format!("case {}: got {:?}, want [{}, {}]", c["id"], ci, f("ci_low"), f("ci_high")));
        }
        if f("level") == 0.95 {
            let p = exact_unconditional_p(&t);
            let want = f("p_value");
            if (p - want).abs() > 1e-9 * want.max(1e-300) && (p - want).abs() > 1e-15 {
                failures.push(format!("case {}: p {p}, want {want}", c["id"]));
            }
        }
    }
    assert!(n > 300, "{n}");
    common::assert_no_mismatches(&failures);
}

#[test]
fn exact_unconditional_part_1() {
    check(0, 4);
}

#[test]
fn exact_unconditional_part_2() {
    check(1, 4);
}

#[test]
fn exact_unconditional_part_3() {
    check(2, 4);
}

#[test]
fn exact_unconditional_part_4() {
    check(3, 4);
}
