//! `myotrial demo`: write the three synthetic bundles shaped like the published IVIG studies,
//! analyse each from the files written (exactly as `analyze` would), write the reports, and
//! print the table of published figures against myotrial's.

use crate::analyze::{load_and_analyse, write_outputs};
use crate::exit;
use clap::{Args, ValueEnum};
use myotrial_trial::demo::{self, Check, Status};
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Args)]
pub struct DemoArgs {
    /// Directory for the bundles (one sub-directory each, with its report in `report/`).
    #[arg(long, default_value = "myotrial-demo")]
    pub out: PathBuf,
    /// Random seed of the generators (the default reproduces the published counts).
    #[arg(long, default_value_t = demo::SEED)]
    pub seed: u64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(args: &DemoArgs) -> ExitCode {
    let mut checks: Vec<Check> = Vec::new();
    for bundle in demo::bundles(args.seed) {
        let dir = args.out.join(bundle.name);
        let written = fs::create_dir_all(&dir).and_then(|()| {
            for (name, text) in &bundle.files {
                fs::write(dir.join(name), text)?;
            }
            Ok(())
        });
        if let Err(e) = written {
            eprintln!("{}: cannot write: {e}", dir.display());
            return ExitCode::from(exit::IO);
        }
        let (files, loaded, analysis) = match load_and_analyse(&dir) {
            Ok(x) => x,
            Err(code) => return code,
        };
        if let Err(e) = write_outputs(&dir.join("report"), &files, &loaded, &analysis) {
            eprintln!("{}: cannot write the report: {e}", dir.display());
            return ExitCode::from(exit::IO);
        }
        checks.extend(demo::compare(&bundle, &analysis));
    }
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&checks) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(exit::IO);
            }
        },
        Format::Text => print!("{}", table(&checks, &args.out)),
    }
    let failed = checks.iter().filter(|c| c.status == Status::Failed).count();
    if failed > 0 {
        eprintln!("error: {failed} published figure(s) that myotrial should reproduce were not reproduced");
        return ExitCode::from(exit::INVALID_INPUT);
    }
    ExitCode::SUCCESS
}

fn table(checks: &[Check], out: &std::path::Path) -> String {
    let mut s = String::from(
        "SYNTHETIC bundles shaped like the published IVIG studies: published figure vs myotrial's figure\n\n",
    );
    let mut study = "";
    for c in checks {
        if c.study != study {
            study = c.study;
            s.push_str(&format!("{study}\n"));
        }
        s.push_str(&format!(
            "  {}\n    published: {}\n    myotrial:  {}  [{}]\n    → {}",
            c.figure,
            c.published,
            c.myotrial,
            c.method,
            c.status.text()
        ));
        if !c.reason.is_empty() {
            s.push_str(&format!(" ({})", c.reason));
        }
        s.push('\n');
    }
    let reproduced = checks.iter().filter(|c| c.status == Status::Reproduced).count();
    let not = checks.iter().filter(|c| c.status == Status::NotReproducible).count();
    s.push_str(&format!(
        "\n{reproduced} reproduced, {not} not reproducible by the stated method, {} failed.\nBundles and reports: {}/<study>/ (report/index.html)\n",
        checks.len() - reproduced - not,
        out.display()
    ));
    s
}
