//! Timing of the exact unconditional methods for the benchmark `tools/bench/exact_unconditional.py`:
//!
//!     cargo run --release -p myotrial-stats --example exact_bench -- x1/n1 x2/n2 [repeats] [--ci]
//!
//! Prints one JSON object per method: the p-value (or interval) and the best wall time of
//! `repeats` calls (default 5), in seconds; with `--ci` also the exact unconditional interval
//! (best of at most 3).

use myotrial_stats::exact_ci::exact_unconditional_ci;
use myotrial_stats::two::TwoByTwo;
use myotrial_stats::unconditional::{barnard, boschloo};
use std::time::Instant;

fn parse(s: &str) -> Option<(u64, u64)> {
    let (x, n) = s.split_once('/')?;
    Some((x.parse().ok()?, n.parse().ok()?))
}

fn best<T>(repeats: usize, mut f: impl FnMut() -> T) -> (T, f64) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..repeats {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (out.expect("at least one repeat"), best)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some((x1, n1)), Some((x2, n2))) = (args.get(1).and_then(|s| parse(s)), args.get(2).and_then(|s| parse(s)))
    else {
        eprintln!("usage: exact_bench x1/n1 x2/n2 [repeats]");
        std::process::exit(2);
    };
    let repeats = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5);
    let t = match TwoByTwo::new(x1, n1, x2, n2) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let (b, tb) = best(repeats, || barnard(&t));
    println!(r#"{{"method": "barnard", "p_value": {}, "p_upper": {}, "seconds": {tb}}}"#, b.p_value, b.p_upper);
    let (b, tb) = best(repeats, || boschloo(&t));
    println!(r#"{{"method": "boschloo", "p_value": {}, "p_upper": {}, "seconds": {tb}}}"#, b.p_value, b.p_upper);
    if args.get(4).map(String::as_str) == Some("--ci") {
        let (ci, tc) = best(repeats.min(3), || exact_unconditional_ci(&t, 0.95).expect("valid level"));
        println!(
            r#"{{"method": "exact-unconditional", "ci_low": {}, "ci_high": {}, "seconds": {tc}}}"#,
            ci.low, ci.high
        );
    }
}
