//! The report of each demo bundle: self-contained, every section and plot kind present, no NaN.

use myotrial_report::{render, Context};
use myotrial_trial::analysis::analyse;
use myotrial_trial::bundle::Bundle;
use myotrial_trial::demo::{bundles, SEED};

#[test]
fn demo_reports_are_complete_and_self_contained() {
    let mut pages = Vec::new();
    for b in bundles(SEED) {
        let bundle = Bundle::load(b.sources()).unwrap();
        let a = analyse(&bundle);
        let html = render(
            &a,
            &Context {
                protocol: &bundle.protocol,
                version: "test",
                inputs: vec![("visits.csv".into(), 1, "00".into())],
            },
        );
        for section in [
            "Design",
            "Subject flow",
            "Baseline characteristics",
            "Endpoints",
            "Plots",
            "Exposure",
            "Safety",
            "Settings and inputs",
        ] {
            assert!(html.contains(&format!("<h2>{section}</h2>")), "{}: no {section}", b.name);
        }
        for kind in ["flow", "waterfall", "tis-over-time", "responders", "km"] {
            assert!(html.contains(&format!("data-plot=\"{kind}\"")), "{}: no {kind} plot", b.name);
        }
        assert!(html.contains("Synthetic data."), "{}", b.name);
        assert!(!html.contains("NaN") && !html.contains("inf "), "{}", b.name);
        // Nothing is fetched from the network: the only URL is the SVG namespace.
        let urls = html.matches("http").count();
        let ns = html.matches("http://www.w3.org/2000/svg").count();
        assert_eq!(urls, ns, "{}", b.name);
        pages.push(html);
    }
    // The ProDERM-like report has the subgroup forest plot and the testing hierarchy; the
    // pilot's shows its adaptive rule.
    assert!(pages[0].contains("data-plot=\"forest\"") && pages[0].contains("Testing hierarchy"));
    assert!(pages[2].contains("Adaptive dose rules"));
}
