//! One-proportion intervals and the binomial test against statsmodels / R / mpmath
//! (tests/fixtures/one_proportion.json, made by tools/refgen/gen_one_proportion.py).

mod common;
use common::fixture;

use myotrial_stats::proportion::{binomial_test, proportion_ci, OneProportionMethod};

fn close(got: f64, want: f64) -> bool {
    got == want || (got - want).abs() <= 1e-9 * want.abs() || (got - want).abs() <= 1e-15
}

#[test]
fn one_proportion_matches_the_reference() {
    let doc = fixture("one_proportion.json");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 1000, "{}", cases.len());
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    for c in cases {
        let (x, n, level) = (c["x"].as_u64().unwrap(), c["n"].as_u64().unwrap(), c["level"].as_f64().unwrap());
        for method in OneProportionMethod::ALL {
            // wilson-cc is Newcombe's method 4; R's prop.test drops the correction at x = n/2
            // (its YATES = min(0.5, |x − n/2|)), so those cases compare with the fixture's
            // Newcombe value.
            let newcombe = c["notes"]["wilson-cc_newcombe"].as_array();
            let reference = match (method, newcombe) {
                (OneProportionMethod::WilsonCc, Some(n4)) => Some(n4),
                _ => c["intervals"][method.name()].as_array(),
            };
            let Some(want) = reference else { continue };
            *counts.entry(method.name()).or_insert(0) += 1;
            let got = proportion_ci(x, n, level, method).unwrap();
            let (lo, hi) = (want[0].as_f64().unwrap(), want[1].as_f64().unwrap());
            if !close(got.low, lo) || !close(got.high, hi) {
                failures.push(format!("{method} {x}/{n} at {level}: got {got:?} want [{lo}, {hi}]"));
            }
        }
        if let Some(t) = c["binomial_test"].as_object() {
            *counts.entry("binomial test").or_insert(0) += 1;
            let p0 = t["p0"].as_f64().unwrap();
            let want = t["p_value"].as_f64().unwrap();
            let got = binomial_test(x, n, p0).unwrap();
            if !close(got, want) {
                failures.push(format!("binomial test {x}/{n} p0 {p0}: got {got} want {want}"));
            }
        }
    }
    println!("{counts:?}");
    for (m, k) in &counts {
        assert!(*k >= 1000, "{m}: only {k} cases");
    }
    common::assert_no_mismatches(&failures);
}
