//! t tests, Wilcoxon tests and ANCOVA against scipy / R / statsmodels reference values
//! (tests/fixtures/continuous.json, made by tools/refgen/gen_cont_continuous.py).

mod common;
use common::{fixture, floats};

use myotrial_stats::ancova::ancova;
use myotrial_stats::continuous::{paired_t, two_sample_t};
use myotrial_stats::rank::{rank_sum, signed_rank};
use serde_json::Value;

/// The fixture's tolerance: 1e-9 relative, or 1e-12 × the largest input magnitude absolute
/// (for values near 0 that come from cancellation).
fn close(got: f64, want: f64, scale: f64) -> bool {
    got == want || (got - want).abs() <= 1e-9 * want.abs() || (got - want).abs() <= 1e-12 * scale
}

#[test]
fn continuous_methods_match_the_reference() {
    let doc = fixture("continuous.json");
    let cases = doc["cases"].as_array().unwrap();
    let mut counts = std::collections::BTreeMap::new();
    let mut failures = Vec::new();
    for c in cases {
        let method = c["method"].as_str().unwrap();
        *counts.entry(method).or_insert(0) += 1;
        let mut check = |what: &str, got: f64, want: &Value, scale: f64| {
            let want = want.as_f64().unwrap();
            if !close(got, want, scale) {
                failures.push(format!("{method} {what}: got {got:e} want {want:e} in {}", c));
            }
        };
        match method {
            "t_student" | "t_welch" | "t_paired" => {
                let (x, y) = (floats(&c["x"]), floats(&c["y"]));
                let scale = x.iter().chain(&y).fold(0.0f64, |m, v| m.max(v.abs()));
                let r = match method {
                    "t_student" => two_sample_t(&x, &y, true, 0.95),
                    "t_welch" => two_sample_t(&x, &y, false, 0.95),
                    _ => paired_t(&x, &y, 0.95),
                }
                .unwrap();
                check("mean_diff", r.difference, &c["mean_diff"], scale);
                check("statistic", r.statistic, &c["statistic"], 1.0);
                check("df", r.df, &c["df"], 0.0);
                check("p", r.p_value, &c["p"], 0.0);
                check("ci_lower", r.ci.low, &c["ci_lower"], scale);
                check("ci_upper", r.ci.high, &c["ci_upper"], scale);
            }
            "wilcoxon_rank_sum" => {
                let r = rank_sum(&floats(&c["x"]), &floats(&c["y"])).unwrap();
                check("statistic", r.statistic, &c["statistic"], 0.0);
                check("p", r.p_value, &c["p"], 0.0);
                if Some(r.exact) != c["exact"].as_bool() {
                    failures.push(format!("{method} exact flag differs in {c}"));
                }
            }
            "wilcoxon_signed_rank" => {
                let r = signed_rank(&floats(&c["d"])).unwrap();
                check("statistic", r.statistic, &c["statistic"], 0.0);
                check("p", r.p_value, &c["p"], 0.0);
                if Some(r.exact) != c["exact"].as_bool() {
                    failures.push(format!("{method} exact flag differs in {c}"));
                }
            }
            "ancova" => {
                let (ch, bl) = (floats(&c["change"]), floats(&c["baseline"]));
                let g: Vec<usize> =
                    c["group"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
                let scale = ch.iter().chain(&bl).fold(0.0f64, |m, v| m.max(v.abs()));
                let a = ancova(&ch, &bl, &g, 0.95).unwrap();
                check("baseline_coef", a.baseline_slope, &c["baseline_coef"]["estimate"], scale);
                check("df_resid", a.residual_df, &c["df_resid"], 0.0);
                for (e, want) in a.contrasts.iter().zip(c["group_effects"].as_array().unwrap()) {
                    check("effect", e.difference, &want["estimate"], scale);
                    check("effect se", e.std_error, &want["se"], 0.0);
                    check("effect p", e.p_value, &want["p"], 0.0);
                    check("effect ci_lower", e.ci.low, &want["ci_lower"], scale);
                    check("effect ci_upper", e.ci.high, &want["ci_upper"], scale);
                }
                for (m, want) in a.ls_means.iter().zip(c["lsmeans"].as_array().unwrap()) {
                    check("lsmean", *m, &want["estimate"], scale);
                }
            }
            other => panic!("unknown method {other}"),
        }
    }
    println!("{counts:?}");
    for (m, n) in &counts {
        assert!(*n >= 1000, "{m}: only {n} cases");
    }
    common::assert_no_mismatches(&failures);
}
