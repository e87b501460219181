//! `myotrial`: the command-line tool. Argument parsing, files and exit codes live here; all
//! computation is in the library crates.

mod analyze;
mod demo;
mod score;
mod stats;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit codes (documented in the README).
pub mod exit {
    /// The input could not be read as valid data: every problem was printed as `file:line:column: message`.
    pub const INVALID_INPUT: u8 = 1;
    /// Bad command-line usage (clap's convention).
    pub const USAGE: u8 = 2;
    /// A file could not be opened, read or written.
    pub const IO: u8 = 3;
}

#[derive(Parser)]
#[command(name = "myotrial", version, about = "Scoring, analysis and design for myositis trials")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Score every non-baseline visit of a visits.csv: TIS, category, points per row, deterioration.
    Score(score::ScoreArgs),
    /// Analyse a trial bundle: every endpoint of trial.toml, subgroups, safety; JSON, CSV and HTML report.
    Analyze(analyze::AnalyzeArgs),
    /// Generate three synthetic bundles shaped like the published IVIG studies, analyse them
    /// and compare with the published figures.
    Demo(demo::DemoArgs),
    /// Statistics calculator: confidence intervals and tests (data-format.md §7).
    #[command(subcommand)]
    Stats(stats::StatsCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { exit::USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Score(args) => score::run(&args),
        Command::Stats(command) => stats::run(&command),
        Command::Analyze(args) => analyze::run(&args),
        Command::Demo(args) => demo::run(&args),
    }
}
