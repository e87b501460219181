//! `myotrial stats` from the outside: the JSON keys of data-format.md §7 and the published checks.

use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_myotrial")).arg("stats").args(args).output().unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = run(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn interval<'a>(list: &'a serde_json::Value, method: &str) -> &'a serde_json::Value {
    list.as_array().unwrap().iter().find(|i| i["method"] == method).unwrap_or_else(|| panic!("no {method}"))
}

#[test]
fn proportion_json_has_every_method_and_the_pilot_check() {
    let v = json(&["proportion", "8/19", "--format", "json"]);
    assert_eq!((v["x"].as_u64(), v["n"].as_u64()), (Some(8), Some(19)));
    assert_eq!(v["estimate"], 8.0 / 19.0);
    for m in ["wald", "wilson", "wilson-cc", "agresti-coull", "jeffreys", "clopper-pearson", "mid-p"] {
        let i = interval(&v["intervals"], m);
        assert_eq!(i["level"], 0.95);
        assert!(i["ci_low"].as_f64().unwrap() < i["ci_high"].as_f64().unwrap());
    }
    // published-results.md C: Clopper–Pearson 0.2025–0.6650, mid-p 0.218–0.646; binom.test p 0.6476.
    let cp = interval(&v["intervals"], "clopper-pearson");
    assert!(
        (cp["ci_low"].as_f64().unwrap() - 0.2025).abs() < 5e-5
            && (cp["ci_high"].as_f64().unwrap() - 0.6650).abs() < 5e-5
    );
    let mid = interval(&v["intervals"], "mid-p");
    assert!(
        (mid["ci_low"].as_f64().unwrap() - 0.218).abs() < 5e-4
            && (mid["ci_high"].as_f64().unwrap() - 0.646).abs() < 5e-4
    );
    let t = &v["tests"][0];
    assert_eq!((t["name"].as_str(), t["p0"].as_f64()), (Some("binomial"), Some(0.5)));
    assert!((t["p_value"].as_f64().unwrap() - 0.6476).abs() < 5e-5);
}

#[test]
fn two_proportions_json_reproduces_proderm_and_marks_undefined_methods() {
    let v = json(&["two-proportions", "37/47", "21/48", "--format", "json"]);
    let rd = &v["risk_difference"];
    assert!((rd["estimate"].as_f64().unwrap() - 0.3497).abs() < 5e-5);
    let w = interval(&rd["intervals"], "wald");
    assert!(
        (w["ci_low"].as_f64().unwrap() - 0.1670).abs() < 5e-5 && (w["ci_high"].as_f64().unwrap() - 0.5324).abs() < 5e-5
    );
    let rr = interval(&v["risk_ratio"]["intervals"], "katz-log");
    assert!(
        (rr["ci_low"].as_f64().unwrap() - 1.2635).abs() < 5e-5
            && (rr["ci_high"].as_f64().unwrap() - 2.5625).abs() < 5e-5
    );
    let or = interval(&v["odds_ratio"]["intervals"], "woolf");
    assert!(
        (or["ci_low"].as_f64().unwrap() - 1.9307).abs() < 5e-5
            && (or["ci_high"].as_f64().unwrap() - 11.7213).abs() < 5e-4
    );
    assert!(interval(&v["odds_ratio"]["intervals"], "exact-conditional")["estimate"].is_number());
    let tests = v["tests"].as_array().unwrap();
    let chi2 = tests.iter().find(|t| t["name"] == "chi2").unwrap();
    assert!(
        (chi2["statistic"].as_f64().unwrap() - 12.2154).abs() < 5e-4
            && (chi2["p_value"].as_f64().unwrap() - 0.00047).abs() < 5e-6
    );
    let fisher = tests.iter().find(|t| t["name"] == "fisher").unwrap();
    assert!((fisher["p_value"].as_f64().unwrap() - 0.00069).abs() < 5e-6);
    // scipy barnard_exact / boschloo_exact on this table (tools/refgen fixture): 0.000447379…, 0.000454807….
    let barnard = tests.iter().find(|t| t["name"] == "barnard").unwrap();
    assert!((barnard["p_value"].as_f64().unwrap() / 0.0004473793820333317 - 1.0).abs() < 1e-6);
    let boschloo = tests.iter().find(|t| t["name"] == "boschloo").unwrap();
    assert!((boschloo["p_value"].as_f64().unwrap() / 0.0004548071083213768 - 1.0).abs() < 1e-6);
    // A zero cell: Woolf has no interval, said with a note, never NaN.
    let z = json(&["two-proportions", "0/10", "3/10", "--format", "json"]);
    let woolf = interval(&z["odds_ratio"]["intervals"], "woolf");
    assert!(woolf["ci_low"].is_null() && woolf["ci_high"].is_null() && woolf["note"].is_string());
}

#[test]
fn bad_counts_are_clear_errors() {
    for (arg, expected) in
        [("38/37", "X = 38 is larger than N = 37"), ("-1/5", "not a whole number"), ("a/b", "not a whole number")]
    {
        let o = run(&["proportion", arg]);
        assert_eq!(o.status.code(), Some(2), "{arg}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(expected), "{arg}");
    }
}

#[test]
fn km_reports_r_values_and_bad_cells() {
    let dir = std::env::temp_dir().join(format!("myotrial-km-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("times.csv");
    std::fs::write(&good, "time,event,group\n1,1,a\n2,1,b\n2,0,a\n3,1,b\n4,1,a\n5,0,b\n5,1,a\n6,1,b\n8,0,a\n9,1,b\n")
        .unwrap();
    let v = json(&["km", good.to_str().unwrap(), "--format", "json"]);
    // R: survdiff(Surv(t, e) ~ g) chisq 0.106573142542271.
    let t = &v["tests"][0];
    assert!((t["statistic"].as_f64().unwrap() - 0.106573142542271).abs() < 1e-12, "{t}");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "time,event\n1,1\nx,2\n").unwrap();
    let o = run(&["km", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.csv:3:1: time") && err.contains("bad.csv:3:2: event"), "{err}");
}

#[test]
fn two_proportions_json_has_the_exact_unconditional_interval() {
    // R exact2x2 uncondExact2x2(10, 18, 22, 24, parmtype = "difference", method = "score",
    // tsmethod = "central", conf.int = TRUE) with a precise nuisance supremum (the fixture of
    // crates/stats/tests/exact_unconditional.rs, case 2): 0.07825662616737378 to 0.6146610772203586.
    let out = Command::new(env!("CARGO_BIN_EXE_myotrial"))
        .args(["stats", "two-proportions", "22/24", "10/18", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = v["risk_difference"]["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["method"] == "exact-unconditional")
        .unwrap()
        .clone();
    assert!((e["ci_low"].as_f64().unwrap() - 0.078_256_626_167_373_78).abs() < 1e-7, "{e}");
    assert!((e["ci_high"].as_f64().unwrap() - 0.614_661_077_220_358_6).abs() < 1e-7, "{e}");
    // Too large a table: the entry stays, with null limits and a note.
    let out = Command::new(env!("CARGO_BIN_EXE_myotrial"))
        .args(["stats", "two-proportions", "300/600", "250/600", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = v["risk_difference"]["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["method"] == "exact-unconditional")
        .unwrap()
        .clone();
    assert!(e["ci_low"].is_null() && e["note"].as_str().unwrap().contains("250,000"), "{e}");
}
