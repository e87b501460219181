//! Write a large synthetic ProDERM-like bundle for the `analyze` benchmark:
//!
//!     cargo run --release -p myotrial-trial --example gen_bundle -- SCALE OUT_DIR
//!
//! SCALE multiplies every subject count of the demo bundle (95 subjects × 11 visits); 105 gives
//! 9,975 subjects.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(scale), Some(out)) = (args.get(1).and_then(|s| s.parse::<usize>().ok()), args.get(2)) else {
        eprintln!("usage: gen_bundle SCALE OUT_DIR");
        std::process::exit(2);
    };
    let bundle = myotrial_trial::demo::proderm_scaled(myotrial_trial::demo::SEED, scale);
    let dir = std::path::Path::new(out);
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("{out}: {e}");
        std::process::exit(3);
    }
    for (name, text) in &bundle.files {
        if let Err(e) = std::fs::write(dir.join(name), text) {
            eprintln!("{out}/{name}: {e}");
            std::process::exit(3);
        }
    }
}
