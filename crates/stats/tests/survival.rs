//! Kaplan–Meier, median, log-rank and Cox against R survival (tests/fixtures/survival.json,
//! made by tools/refgen/gen_surv_survival.py), and the multiplicity adjustments against
//! statsmodels / R p.adjust (tests/fixtures/multiplicity.json).

mod common;
use common::{fixture, floats};

use myotrial_stats::multiplicity::{bonferroni, fixed_sequence, hochberg, holm};
use myotrial_stats::survival::{cox_efron, kaplan_meier, log_rank, median_survival, ConfType, Observation};
use serde_json::Value;

/// 1e-9 relative, or `abs` absolute; `None` must match JSON null.
fn close(got: Option<f64>, want: &Value, abs: f64) -> bool {
    match (got, want.as_f64()) {
        (None, None) => true,
        (Some(g), Some(w)) => g == w || (g - w).abs() <= 1e-9 * w.abs() || (g - w).abs() <= abs,
        _ => false,
    }
}

#[test]
fn survival_matches_r() {
    let doc = fixture("survival.json");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 1000);
    let mut failures: Vec<String> = Vec::new();
    let (mut km_rows, mut logrank_n, mut cox_n) = (0, 0, 0);
    for c in cases {
        let id = &c["id"];
        let time = floats(&c["time"]);
        let status: Vec<bool> = c["status"].as_array().unwrap().iter().map(|v| v.as_u64() == Some(1)).collect();
        let obs: Vec<Observation> =
            time.iter().zip(&status).map(|(&t, &e)| Observation { time: t, event: e }).collect();
        let group: Vec<usize> = c["group"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        let stratum: Vec<usize> =
            c["stratum"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize - 1).collect();
        let mut fail =
            |what: &str, got: String, want: &Value| failures.push(format!("case {id} {what}: got {got} want {want}"));
        if let Some(rows) = c["km"].as_array() {
            for (conf, suffix) in [(ConfType::Log, "log"), (ConfType::LogLog, "loglog"), (ConfType::Plain, "plain")] {
                let km = kaplan_meier(&obs, 0.95, conf);
                if km.len() != rows.len() {
                    fail("km rows", km.len().to_string(), &Value::from(rows.len()));
                    continue;
                }
                for (s, r) in km.iter().zip(rows) {
                    km_rows += 1;
                    if Some(s.n_risk) != r["n_risk"].as_u64()
                        || Some(s.n_event) != r["n_event"].as_u64()
                        || s.time != r["time"].as_f64().unwrap()
                    {
                        fail("km counts", format!("{s:?}"), r);
                    }
                    if !close(Some(s.surv), &r["surv"], 0.0) || !close(s.std_err, &r["std_err_log"], 0.0) {
                        fail("km surv/se", format!("{s:?}"), r);
                    }
                    if !close(s.lower, &r[format!("lower_{suffix}")], 1e-15)
                        || !close(s.upper, &r[format!("upper_{suffix}")], 1e-15)
                    {
                        fail(&format!("km {suffix} limits"), format!("{s:?}"), r);
                    }
                }
                let key = match conf {
                    ConfType::Log => "log",
                    ConfType::LogLog => "log-log",
                    ConfType::Plain => "plain",
                };
                let (m, lo, hi) = median_survival(&km);
                let want = &c["median"][key];
                if !close(m, &want["median"], 0.0) || !close(lo, &want["lower"], 0.0) || !close(hi, &want["upper"], 0.0)
                {
                    fail(&format!("median {key}"), format!("{m:?} {lo:?} {hi:?}"), want);
                }
            }
        }
        if let Some(want) = c.get("logrank").filter(|v| v.is_object()) {
            logrank_n += 1;
            match log_rank(&obs, &group, &[]) {
                Some((chi2, df, p)) => {
                    if !close(Some(chi2), &want["chisq"], 1e-12)
                        || Some(df as u64) != want["df"].as_u64()
                        || !close(Some(p), &want["p"], 1e-12)
                    {
                        fail("logrank", format!("{chi2} {df} {p}"), want);
                    }
                }
                None => fail("logrank", "None".into(), want),
            }
        }
        if let Some(want) = c.get("logrank_stratified").filter(|v| v.is_object()) {
            match log_rank(&obs, &group, &stratum) {
                Some((chi2, _, p)) => {
                    if !close(Some(chi2), &want["chisq"], 1e-12) || !close(Some(p), &want["p"], 1e-12) {
                        fail("logrank stratified", format!("{chi2} {p}"), want);
                    }
                }
                None => fail("logrank stratified", "None".into(), want),
            }
        }
        for (key, with_x2) in [("cox_group", false), ("cox_group_x2", true)] {
            let Some(want) = c.get(key).filter(|v| v.is_object()) else { continue };
            cox_n += 1;
            let x2 = floats(&c["x2"]);
            let cov: Vec<Vec<f64>> = group
                .iter()
                .zip(&x2)
                .map(|(&g, &x)| if with_x2 { vec![g as f64, x] } else { vec![g as f64] })
                .collect();
            match cox_efron(&obs, &cov, 0.95) {
                Some(terms) => {
                    for (t, w) in terms.iter().zip(want["terms"].as_array().unwrap()) {
                        let ok = close(Some(t.coef), &w["coef"], 1e-12)
                            && close(Some(t.std_error), &w["se"], 0.0)
                            && close(Some(t.ci.0), &w["hr_ci_lower"], 1e-12)
                            && close(Some(t.ci.1), &w["hr_ci_upper"], 1e-12)
                            && close(Some(t.p_value), &w["p"], 1e-12);
                        if !ok {
                            fail(key, format!("{t:?}"), w);
                        }
                    }
                }
                None => fail(key, "None".into(), want),
            }
        }
    }
    println!("km rows {km_rows}, log-rank {logrank_n}, cox fits {cox_n}");
    common::assert_no_mismatches(&failures);
}

#[test]
fn multiplicity_matches_statsmodels_and_r() {
    let doc = fixture("multiplicity.json");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 1000);
    for c in cases {
        let p = floats(&c["p"]);
        assert_eq!(bonferroni(&p), floats(&c["bonferroni"]), "{c}");
        assert_eq!(holm(&p), floats(&c["holm"]), "{c}");
        assert_eq!(hochberg(&p), floats(&c["hochberg"]), "{c}");
        let fs: Vec<bool> = c["fixed_sequence"].as_array().unwrap().iter().map(|v| v.as_bool().unwrap()).collect();
        assert_eq!(fixed_sequence(&p, 0.05), fs, "{c}");
    }
}
