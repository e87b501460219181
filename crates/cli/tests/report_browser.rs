//! The HTML report as a user sees it: each demo report is loaded in headless Chromium and every
//! plot must have been laid out with a non-empty box (the page's inline check sets
//! `data-plots-rendered="k/n"` on <body>; all n plots must render).
//!
//! Needs Chromium (Debian `chromium`). `.ci/run` installs it and sets
//! MYOTRIAL_REQUIRE_BROWSER=1, which turns a missing browser into a failure; elsewhere the test
//! says it was skipped.

use std::path::Path;
use std::process::Command;

fn browser() -> Option<String> {
    if let Ok(b) = std::env::var("CHROMIUM") {
        return Some(b);
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
        .map(str::to_string)
}

#[test]
fn every_plot_of_every_demo_report_renders_in_chromium() {
    let Some(chromium) = browser() else {
        assert!(
            std::env::var("MYOTRIAL_REQUIRE_BROWSER").is_err(),
            "MYOTRIAL_REQUIRE_BROWSER is set but no Chromium was found"
        );
        eprintln!("SKIPPED: no Chromium on this machine (install Debian `chromium` to run this test)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_myotrial")).args(["demo", "--out"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (study, min_plots) in [("proderm-like", 6), ("cohort-like", 5), ("pilot-like", 5)] {
        let page = dir.path().join(study).join("report/index.html");
        let html = std::fs::read_to_string(&page).unwrap();
        let n = html.matches("<svg class=\"plot\"").count();
        assert!(n >= min_plots, "{study}: {n} plots");
        let dom = Command::new(&chromium)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
            .arg(format!("file://{}", Path::new(&page).display()))
            .output()
            .unwrap();
        let dom = String::from_utf8_lossy(&dom.stdout);
        let want = format!("data-plots-rendered=\"{n}/{n}\"");
        assert!(
            dom.contains(&want),
            "{study}: expected {want}; body says {:?}",
            dom.split("data-plots-rendered=").nth(1).map(|s| &s[..12.min(s.len())])
        );
    }
}
