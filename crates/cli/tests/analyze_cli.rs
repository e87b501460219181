//! `myotrial analyze`: the JSON keys of data-format.md §6, the output directory, exit codes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_myotrial"))
}

fn rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../trial/tests/bundles/rules")
}

#[test]
fn json_has_the_keys_of_section_6() {
    let out = bin().arg("analyze").arg(rules()).args(["--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &v["endpoints"][0];
    assert_eq!(e["id"], "tis20");
    assert_eq!(e["week"], 16);
    assert_eq!(e["arms"][0]["arm"], "ivig");
    assert_eq!(e["arms"][0]["n"], 4);
    assert_eq!(e["arms"][0]["responders"], 2);
    assert_eq!(e["arms"][1]["arm"], "placebo");
    assert_eq!(e["arms"][1]["n"], 4);
    assert_eq!(e["arms"][1]["responders"], 1);
    let d = &e["difference"];
    assert_eq!(d["method"], "wald");
    assert_eq!(d["level"], 0.95);
    assert!((d["estimate"].as_f64().unwrap() - 0.25).abs() < 1e-12);
    assert!((d["ci_high"].as_f64().unwrap() - (0.25 + 0.648_197_16)).abs() < 1e-6);
    assert_eq!(e["tests"][0]["name"], "fisher");
    assert_eq!(e["tests"][1]["name"], "chi2");
    // Pearson χ² for [[2,2],[1,3]]: 8·(2·3 − 2·1)²/(4·4·3·5) = 0.5333…, p = 0.46521.
    assert!((e["tests"][1]["p_value"].as_f64().unwrap() - 0.465_209_6).abs() < 1e-6);
    assert_eq!(v["inputs"][0]["file"], "trial.toml");
}

#[test]
fn out_directory_gets_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin().arg("analyze").arg(rules()).arg("--out").arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ivig         2/4 = 50.0 %"), "{text}");
    let json: Value = serde_json::from_slice(&std::fs::read(dir.path().join("analysis.json")).unwrap()).unwrap();
    assert_eq!(json["endpoints"][0]["arms"][1]["responders"], 1);
    let csv = std::fs::read_to_string(dir.path().join("endpoints.csv")).unwrap();
    assert!(csv.lines().nth(1).unwrap().starts_with("tis20,TIS ≥ 20 at week 16,responder,16,ivig,4,2,0.5,"), "{csv}");
    // Per subject: A3's deterioration at weeks 4 and 8 is confirmed at 8; it first reached TIS ≥ 20
    // at week 16 but is a non-responder; its CDASI activity went 20 → 20.
    let subjects = std::fs::read_to_string(dir.path().join("subjects_derived.csv")).unwrap();
    assert!(subjects.lines().any(|l| l == "A3,ivig,yes,,4,16,8,16,,,confirmed deterioration,0,0,0,,,"), "{subjects}");
    assert!(
        subjects
            .lines()
            .any(|l| l.starts_with("P1,placebo,yes,,4,16,8,16,,,crossover,-1,") && l.contains("crossover@8")),
        "{subjects}"
    );
    let visits = std::fs::read_to_string(dir.path().join("visits_scored.csv")).unwrap();
    assert!(visits.lines().any(|l| l == "A1,ivig,16,16,37.5,minimal,false,false,"), "{visits}");
    assert!(dir.path().join("index.html").exists());
}

#[test]
fn a_bad_bundle_exits_1_with_positions_and_a_missing_one_3() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["trial.toml", "subjects.csv", "visits.csv", "events.csv"] {
        std::fs::copy(rules().join(f), dir.path().join(f)).unwrap();
    }
    let subjects = std::fs::read_to_string(dir.path().join("subjects.csv")).unwrap().replace("P3,placebo", "P3,placbo");
    std::fs::write(dir.path().join("subjects.csv"), subjects).unwrap();
    let out = bin().arg("analyze").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("subjects.csv:8:2: arm: \"placbo\" is not an arm of trial.toml"), "{err}");
    assert!(out.stdout.is_empty());
    let out = bin().arg("analyze").arg(dir.path().join("nowhere")).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
}
