//! Two proportions against statsmodels / R / scipy (tests/fixtures/two_proportions.json and
//! two_proportions_cmh.json, made by tools/refgen/gen_two_proportions.py). Barnard and
//! Boschloo are in the fixture but not implemented yet.

mod common;
use common::fixture;

use myotrial_stats::two::{
    chi2_test, conditional_mle, difference_ci, fisher_test, odds_ci, ratio_ci, DifferenceMethod, Estimate, OddsMethod,
    RatioMethod, TwoByTwo,
};
use serde_json::Value;

/// The fixture's rule: |actual − expected| ≤ max(abs, rel·|expected|); null ↔ not finite.
fn matches(got: Option<f64>, want: &Value, tol: &Value) -> bool {
    let (rel, abs) = (tol["rel"].as_f64().unwrap(), tol["abs"].as_f64().unwrap());
    match (got.filter(|v| v.is_finite()), want.as_f64()) {
        (None, None) => true,
        (Some(g), Some(w)) => (g - w).abs() <= abs.max(rel * w.abs()),
        _ => false,
    }
}

fn limits(e: &Estimate) -> (Option<f64>, Option<f64>) {
    match e {
        Estimate::Interval(i) => (Some(i.low), Some(i.high)),
        Estimate::Undefined(_) => (None, None),
    }
}

#[test]
fn two_proportions_match_the_reference() {
    let doc = fixture("two_proportions.json");
    let tol = &doc["tolerances"];
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 1000);
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    for c in cases {
        let u = |k: &str| c[k].as_u64().unwrap();
        let t = TwoByTwo::new(u("x1"), u("n1"), u("x2"), u("n2")).unwrap();
        let id = c["id"].as_str().unwrap_or("?");
        for (block, kind) in [("risk_difference", 0), ("risk_ratio", 1), ("odds_ratio", 2)] {
            for want in c[block]["intervals"].as_array().unwrap() {
                let name = want["method"].as_str().unwrap();
                let level = want["level"].as_f64().unwrap();
                let got = match kind {
                    0 => DifferenceMethod::ALL.iter().find(|m| m.name() == name).map(|m| difference_ci(&t, level, *m)),
                    1 => RatioMethod::ALL.iter().find(|m| m.name() == name).map(|m| ratio_ci(&t, level, *m)),
                    _ => OddsMethod::ALL.iter().find(|m| m.name() == name).map(|m| odds_ci(&t, level, *m)),
                };
                let Some(got) = got else { continue };
                *counts.entry(name.to_string()).or_insert(0) += 1;
                let (lo, hi) = limits(&got.unwrap());
                let tl = &tol[block][name];
                if !matches(lo, &want["ci_low"], tl) || !matches(hi, &want["ci_high"], tl) {
                    failures.push(format!("{id} {block} {name} {level}: got {lo:?}..{hi:?} want {want}"));
                }
                if name == "exact-conditional"
                    && want.get("estimate").is_some()
                    && !matches(conditional_mle(&t), &want["estimate"], tl)
                {
                    failures.push(format!("{id} CMLE: got {:?} want {}", conditional_mle(&t), want["estimate"]));
                }
            }
        }
        for want in c["tests"].as_array().unwrap() {
            let name = want["name"].as_str().unwrap();
            let (stat, p) = match name {
                "chi2" => chi2_test(&t, false).map_or((None, None), |(s, p)| (Some(s), Some(p))),
                "chi2-yates" => chi2_test(&t, true).map_or((None, None), |(s, p)| (Some(s), Some(p))),
                "fisher" => (None, Some(fisher_test(&t))),
                _ => continue,
            };
            *counts.entry(name.to_string()).or_insert(0) += 1;
            let tl = &tol["tests"][name];
            let stat_ok = want.get("statistic").is_none() || matches(stat, &want["statistic"], tl);
            if !stat_ok || !matches(p, &want["p_value"], tl) {
                failures.push(format!("{id} {name}: got {stat:?} {p:?} want {want}"));
            }
        }
    }
    println!("{counts:?}");
    common::assert_no_mismatches(&failures);
}

#[test]
fn strata_match_the_reference() {
    use myotrial_stats::strata::{cmh_test, mh_odds_ratio, mh_risk_difference, mh_risk_difference_sato};
    let doc = fixture("two_proportions_cmh.json");
    let tol = &doc["tolerances"];
    let cases = doc["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for c in cases {
        let strata: Vec<TwoByTwo> = c["strata"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let u = |k: &str| s[k].as_u64().unwrap();
                TwoByTwo { x1: u("x1"), n1: u("n1"), x2: u("x2"), n2: u("n2") }
            })
            .collect();
        let id = c["id"].as_str().unwrap_or("?");
        for t in c["tests"].as_array().unwrap() {
            let cc = t["name"] == "cmh-cc";
            let got = cmh_test(&strata, cc);
            if !matches(got.map(|g| g.0), &t["statistic"], tol) || !matches(got.map(|g| g.1), &t["p_value"], tol) {
                failures.push(format!("{id} {}: got {got:?} want {t}", t["name"]));
            }
        }
        for want in c["odds_ratio"]["intervals"].as_array().unwrap() {
            let level = want["level"].as_f64().unwrap();
            let (or, ci) = mh_odds_ratio(&strata, level).unwrap();
            let (lo, hi) = limits(&ci);
            if !matches(or, &c["odds_ratio"]["estimate"], tol)
                || !matches(lo, &want["ci_low"], tol)
                || !matches(hi, &want["ci_high"], tol)
            {
                failures.push(format!("{id} MH OR: got {or:?} {lo:?}..{hi:?} want {want}"));
            }
        }
        for want in c["risk_difference"]["intervals"].as_array().unwrap() {
            let level = want["level"].as_f64().unwrap();
            let (rd, ci) = if want["method"] == "sato" {
                mh_risk_difference_sato(&strata, level).unwrap()
            } else {
                mh_risk_difference(&strata, level).unwrap()
            };
            let (lo, hi) = limits(&ci);
            if !matches(rd, &c["risk_difference"]["estimate"], tol)
                || !matches(lo, &want["ci_low"], tol)
                || !matches(hi, &want["ci_high"], tol)
            {
                failures.push(format!("{id} MH RD: got {rd:?} {lo:?}..{hi:?} want {want}"));
            }
        }
    }
    assert!(cases.len() >= 1000, "{}", cases.len());
    common::assert_no_mismatches(&failures);
}

#[test]
fn barnard_and_boschloo_match_scipy_with_a_fine_grid() {
    use myotrial_stats::unconditional::{barnard, boschloo};
    let doc = fixture("two_proportions.json");
    let tol = &doc["tolerances"]["tests"];
    let mut failures = Vec::new();
    let mut n = 0;
    for c in doc["cases"].as_array().unwrap() {
        let u = |k: &str| c[k].as_u64().unwrap();
        let t = TwoByTwo::new(u("x1"), u("n1"), u("x2"), u("n2")).unwrap();
        for want in c["tests"].as_array().unwrap() {
            let name = want["name"].as_str().unwrap();
            let got = match name {
                "barnard" => barnard(&t),
                "boschloo" => boschloo(&t),
                _ => continue,
            };
            n += 1;
            // The fixture's reference is scipy with n = 1024 points (its default 32 can miss the supremum).
            let reference =
                if want["p_value_grid_1024"].is_number() { &want["p_value_grid_1024"] } else { &want["p_value"] };
            if !matches(Some(got.p_value), reference, &tol[name])
                || !matches(Some(got.statistic), &want["statistic"], &tol[name])
            {
                failures.push(format!("{} {name}: got {got:?} want {want}", c["id"]));
            }
        }
    }
    assert!(n >= 2000, "{n}");
    common::assert_no_mismatches(&failures);
}

#[test]
fn the_supremum_is_certified_and_brackets_an_independent_brute_force() {
    use myotrial_stats::dist::binom_pmf;
    use myotrial_stats::unconditional::{barnard, boschloo, CERTIFY_RTOL};
    let doc = fixture("two_proportions.json");
    let mut checked = 0;
    for c in doc["cases"].as_array().unwrap() {
        let u = |k: &str| c[k].as_u64().unwrap();
        let (x1, n1, x2, n2) = (u("x1"), u("n1"), u("x2"), u("n2"));
        let t = TwoByTwo::new(x1, n1, x2, n2).unwrap();
        for r in [barnard(&t), boschloo(&t)] {
            assert!(r.certified, "{} {r:?}", c["id"]);
            assert!(r.p_upper >= r.p_value, "{} {r:?}", c["id"]);
            assert!(r.p_upper - r.p_value <= r.p_value * CERTIFY_RTOL * 1.01 + 2e-14, "{} {r:?}", c["id"]);
        }
        // Brute force for small tables: P(π) summed table by table over Barnard's region, on a
        // 401-point grid. Its maximum cannot exceed the certified bound, nor the attained value
        // (beyond rounding) since the search must find at least what a grid finds.
        if n1 + n2 <= 30 {
            let (f1, f2) = (n1 as f64, n2 as f64);
            let wald = |k1: u64, k2: u64| {
                let (p1, p2) = (k1 as f64 / f1, k2 as f64 / f2);
                if p1 == p2 {
                    return 0.0;
                }
                let p = (k1 + k2) as f64 / (f1 + f2);
                (p1 - p2) / (p * (1.0 - p) * (1.0 / f1 + 1.0 / f2)).sqrt()
            };
            let obs = wald(x1, x2).abs();
            let r = barnard(&t);
            let region: Vec<(usize, usize)> = (0..=n1)
                .flat_map(|k1| (0..=n2).map(move |k2| (k1, k2)))
                .filter(|&(k1, k2)| wald(k1, k2).abs() >= obs)
                .map(|(k1, k2)| (k1 as usize, k2 as usize))
                .collect();
            let brute = (0..=400)
                .map(|i| {
                    let pi = i as f64 / 400.0;
                    let b1: Vec<f64> = (0..=n1).map(|k| binom_pmf(k, n1, pi)).collect();
                    let b2: Vec<f64> = (0..=n2).map(|k| binom_pmf(k, n2, pi)).collect();
                    region.iter().map(|&(k1, k2)| b1[k1] * b2[k2]).sum::<f64>()
                })
                .fold(0.0, f64::max);
            assert!(brute <= r.p_upper * (1.0 + 1e-12) + 1e-15, "{}: brute {brute} > upper {}", c["id"], r.p_upper);
            assert!(r.p_value >= brute * (1.0 - 1e-12) - 1e-15, "{}: brute {brute} > attained {}", c["id"], r.p_value);
            checked += 1;
        }
    }
    assert!(checked >= 100, "{checked}");
}
