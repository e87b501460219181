//! `myotrial stats`: a calculator for the trial statistics (data-format.md §7).

use crate::exit;
use clap::{Args, Subcommand, ValueEnum};
use myotrial_stats::proportion::{binomial_test, proportion_ci, Interval, OneProportionMethod};
use myotrial_stats::survival::{kaplan_meier, log_rank, median_survival, ConfType, Observation};
use myotrial_stats::two::{
    chi2_test, conditional_mle, difference_ci, fisher_test, odds_ci, ratio_ci, DifferenceMethod, Estimate, OddsMethod,
    RatioMethod, TwoByTwo,
};
use myotrial_stats::unconditional::{barnard, boschloo};
use serde_json::{json, Value};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
pub enum StatsCommand {
    /// One proportion X/N: every confidence interval method and the exact binomial test.
    Proportion(ProportionArgs),
    /// Two proportions X1/N1 X2/N2: risk difference, risk ratio and odds ratio with every CI
    /// method, and the tests of the 2×2 table (group 1 minus / over group 2).
    TwoProportions(TwoArgs),
    /// Kaplan–Meier curve, median and (with a `group` column) the log-rank test, from a CSV
    /// with columns `time`, `event` (1 = event, 0 = censored), optional `group` and `stratum`.
    Km(KmArgs),
}

#[derive(Args)]
pub struct KmArgs {
    /// The CSV file.
    pub file: std::path::PathBuf,
    /// Confidence level of the pointwise intervals and the median's CI.
    #[arg(long, default_value = "0.95", value_parser = parse_level)]
    pub level: f64,
    /// Scale of the pointwise intervals (R conf.type).
    #[arg(long, value_enum, default_value = "log")]
    pub conf_type: ConfTypeArg,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ConfTypeArg {
    Log,
    LogLog,
    Plain,
}

#[derive(Args)]
pub struct TwoArgs {
    /// Group 1 events and size, e.g. 37/47.
    #[arg(value_parser = parse_count, allow_hyphen_values = true)]
    pub group1: Count,
    /// Group 2 events and size, e.g. 21/48.
    #[arg(value_parser = parse_count, allow_hyphen_values = true)]
    pub group2: Count,
    /// Confidence level.
    #[arg(long, default_value = "0.95", value_parser = parse_level)]
    pub level: f64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Events out of a sample size, written `X/N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    pub x: u64,
    pub n: u64,
}

/// Parse `X/N` with 0 ≤ X ≤ N and N ≥ 1.
pub fn parse_count(s: &str) -> Result<Count, String> {
    let (x, n) = s.split_once('/').ok_or_else(|| format!("{s:?} is not of the form X/N (e.g. 8/19)"))?;
    let whole = |t: &str, what: &str| {
        t.trim().parse::<u64>().map_err(|_| format!("{s:?}: {what} {t:?} is not a whole number ≥ 0"))
    };
    let (x, n) = (whole(x, "X")?, whole(n, "N")?);
    if n == 0 {
        return Err(format!("{s:?}: N must be at least 1"));
    }
    if x > n {
        return Err(format!("{s:?}: X = {x} is larger than N = {n}"));
    }
    Ok(Count { x, n })
}

fn parse_level(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(format!("the level must be strictly between 0 and 1 (e.g. 0.95), not {s}"))
    }
}

fn parse_p0(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("p0 must be between 0 and 1, not {s}"))
    }
}

#[derive(Args)]
pub struct ProportionArgs {
    /// Events and sample size, e.g. 8/19.
    #[arg(value_parser = parse_count, allow_hyphen_values = true)]
    pub count: Count,
    /// Confidence level.
    #[arg(long, default_value = "0.95", value_parser = parse_level)]
    pub level: f64,
    /// Null proportion of the binomial test.
    #[arg(long, default_value = "0.5", value_parser = parse_p0)]
    pub p0: f64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(command: &StatsCommand) -> ExitCode {
    match command {
        StatsCommand::Proportion(args) => proportion(args),
        StatsCommand::TwoProportions(args) => two_proportions(args),
        StatsCommand::Km(args) => km(args),
    }
}

/// Read `time,event[,group][,stratum]`; every bad cell is reported as file:line:column.
/// Observations with their group and stratum labels (empty when the column is absent).
type KmData = (Vec<Observation>, Vec<String>, Vec<String>);

fn read_km(path: &std::path::Path) -> Result<KmData, Vec<String>> {
    let name = path.display().to_string();
    let mut rdr =
        csv::ReaderBuilder::new().trim(csv::Trim::All).from_path(path).map_err(|e| vec![format!("{name}: {e}")])?;
    let headers = rdr.headers().map_err(|e| vec![format!("{name}:1:1: {e}")])?.clone();
    let col = |h: &str| headers.iter().position(|c| c.trim_start_matches('\u{feff}') == h);
    let mut errors = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if !["time", "event", "group", "stratum"].contains(&h.trim_start_matches('\u{feff}')) {
            errors.push(format!("{name}:1:{}: unknown column {h:?} (expected time, event, group, stratum)", i + 1));
        }
    }
    let (Some(t_col), Some(e_col)) = (col("time"), col("event")) else {
        errors.push(format!("{name}:1:1: the columns time and event are required"));
        return Err(errors);
    };
    let (g_col, s_col) = (col("group"), col("stratum"));
    let (mut obs, mut groups, mut strata) = (Vec::new(), Vec::new(), Vec::new());
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("{name}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |c: usize| record.get(c).unwrap_or("");
        let time = cell(t_col).parse::<f64>().ok().filter(|t| t.is_finite() && *t >= 0.0);
        let event = match cell(e_col) {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        };
        if time.is_none() {
            errors.push(format!("{name}:{line}:{}: time: {:?} is not a number ≥ 0", t_col + 1, cell(t_col)));
        }
        if event.is_none() {
            errors.push(format!(
                "{name}:{line}:{}: event: {:?} must be 1 (event) or 0 (censored)",
                e_col + 1,
                cell(e_col)
            ));
        }
        if let (Some(time), Some(event)) = (time, event) {
            obs.push(Observation { time, event });
            groups.push(g_col.map_or(String::new(), |c| cell(c).to_string()));
            strata.push(s_col.map_or(String::new(), |c| cell(c).to_string()));
        }
    }
    if errors.is_empty() {
        Ok((obs, groups, strata))
    } else {
        Err(errors)
    }
}

/// Codes 0.. for labels in order of first appearance, and the labels.
fn codes(labels: &[String]) -> (Vec<usize>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    let codes = labels
        .iter()
        .map(|l| match names.iter().position(|n| n == l) {
            Some(i) => i,
            None => {
                names.push(l.clone());
                names.len() - 1
            }
        })
        .collect();
    (codes, names)
}

fn km(args: &KmArgs) -> ExitCode {
    let (obs, groups, strata) = match read_km(&args.file) {
        Ok(v) => v,
        Err(errors) => {
            for e in errors {
                eprintln!("{e}");
            }
            return ExitCode::from(exit::INVALID_INPUT);
        }
    };
    let conf = match args.conf_type {
        ConfTypeArg::Log => ConfType::Log,
        ConfTypeArg::LogLog => ConfType::LogLog,
        ConfTypeArg::Plain => ConfType::Plain,
    };
    let (group_codes, group_names) = codes(&groups);
    let (stratum_codes, _) = codes(&strata);
    let mut curves = Vec::new();
    for (g, gname) in group_names.iter().enumerate() {
        let sub: Vec<Observation> = obs.iter().zip(&group_codes).filter(|(_, c)| **c == g).map(|(o, _)| *o).collect();
        let steps = kaplan_meier(&sub, args.level, conf);
        let median = median_survival(&steps);
        curves.push((gname.clone(), sub.len(), steps, median));
    }
    let test = (group_names.len() > 1).then(|| log_rank(&obs, &group_codes, &stratum_codes)).flatten();
    match args.format {
        Format::Json => {
            let value = json!({
                "level": args.level,
                "conf_type": match conf { ConfType::Log => "log", ConfType::LogLog => "log-log", ConfType::Plain => "plain" },
                "curves": curves.iter().map(|(g, n, steps, (m, lo, hi))| json!({
                    "group": g, "n": n,
                    "median": num(*m), "median_ci_low": num(*lo), "median_ci_high": num(*hi),
                    "steps": steps.iter().map(|s| json!({
                        "time": s.time, "n_risk": s.n_risk, "n_event": s.n_event, "n_censor": s.n_censor,
                        "surv": s.surv, "std_err": num(s.std_err), "ci_low": num(s.lower), "ci_high": num(s.upper),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "tests": test.map(|(chi2, df, p)| vec![json!({
                    "name": if strata.iter().any(|s| !s.is_empty()) { "log-rank-stratified" } else { "log-rank" },
                    "statistic": chi2, "df": df, "p_value": p,
                })]).unwrap_or_default(),
            });
            println!("{value}");
        }
        Format::Text => {
            let show = |v: Option<f64>| v.map_or("NA".to_string(), |v| format!("{v:.4}"));
            for (g, n, steps, (m, lo, hi)) in &curves {
                let title = if g.is_empty() { String::from("All subjects") } else { format!("Group {g}") };
                println!(
                    "{title} (n = {n}): median {} ({:.0}% CI {} to {})",
                    show(*m),
                    args.level * 100.0,
                    show(*lo),
                    show(*hi)
                );
                println!(
                    "  {:>10} {:>7} {:>7} {:>8} {:>8} {:>8} {:>8}",
                    "time", "n.risk", "n.event", "survival", "std.err", "lower", "upper"
                );
                for s in steps.iter().filter(|s| s.n_event > 0) {
                    println!(
                        "  {:>10} {:>7} {:>7} {:>8.4} {:>8} {:>8} {:>8}",
                        s.time,
                        s.n_risk,
                        s.n_event,
                        s.surv,
                        show(s.std_err),
                        show(s.lower),
                        show(s.upper)
                    );
                }
                println!();
            }
            if let Some((chi2, df, p)) = test {
                println!("Log-rank test: chi2 = {chi2:.4} on {df} df, p = {p:.4}");
            }
        }
    }
    ExitCode::SUCCESS
}

/// A finite number, or JSON null.
fn num(v: Option<f64>) -> Value {
    v.filter(|v| v.is_finite()).map_or(Value::Null, |v| json!(v))
}

/// Tables larger than this (n1·n2) are not given the exact unconditional interval: its cost
/// grows as n1·n2 per evaluation (about 1 s at 200 per arm).
pub const EXACT_CI_MAX_CELLS: u64 = 250_000;

/// The exact unconditional score interval (as R exact2x2 / SAS RISKDIFF(CL=EXACT)), or why not.
fn exact_unconditional(table: &TwoByTwo, level: f64) -> Estimate {
    if table.n1 * table.n2 > EXACT_CI_MAX_CELLS {
        return Estimate::Undefined(
            "not computed for tables this large (n1·n2 > 250,000): the exact search would take minutes",
        );
    }
    match myotrial_stats::exact_ci::exact_unconditional_ci(table, level) {
        Ok(i) => Estimate::Interval(i),
        Err(_) => Estimate::Undefined("invalid arguments"),
    }
}

fn interval_json(method: &str, level: f64, e: &Estimate) -> Value {
    match e {
        Estimate::Interval(Interval { low, high }) => {
            let mut v =
                json!({"method": method, "level": level, "ci_low": num(Some(*low)), "ci_high": num(Some(*high))});
            if !high.is_finite() {
                v["note"] = json!("the upper limit is infinite for this table");
            }
            v
        }
        Estimate::Undefined(why) => {
            json!({"method": method, "level": level, "ci_low": null, "ci_high": null, "note": why})
        }
    }
}

fn two_proportions(args: &TwoArgs) -> ExitCode {
    let (g1, g2) = (args.group1, args.group2);
    let table = match TwoByTwo::new(g1.x, g1.n, g2.x, g2.n) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let level = args.level;
    let collect = |r: Result<Estimate, _>| r.unwrap_or(Estimate::Undefined("invalid arguments"));
    let mut rd: Vec<(&str, Estimate)> =
        DifferenceMethod::ALL.iter().map(|m| (m.name(), collect(difference_ci(&table, level, *m)))).collect();
    rd.push(("exact-unconditional", exact_unconditional(&table, level)));
    let rr: Vec<(&str, Estimate)> =
        RatioMethod::ALL.iter().map(|m| (m.name(), collect(ratio_ci(&table, level, *m)))).collect();
    let or: Vec<(&str, Estimate)> =
        OddsMethod::ALL.iter().map(|m| (m.name(), collect(odds_ci(&table, level, *m)))).collect();
    let chi2 = chi2_test(&table, false);
    let yates = chi2_test(&table, true);
    let fisher = fisher_test(&table);
    let barnard_test = barnard(&table);
    let boschloo_test = boschloo(&table);
    let cmle = conditional_mle(&table);
    match args.format {
        Format::Json => {
            let test = |name: &str, r: Option<(f64, f64)>| match r {
                Some((stat, p)) => json!({"name": name, "statistic": num(Some(stat)), "p_value": num(Some(p))}),
                None => json!({"name": name, "statistic": null, "p_value": null,
                               "note": "a margin of the 2×2 table is 0: the statistic is undefined"}),
            };
            let or_intervals: Vec<Value> = or
                .iter()
                .map(|(m, e)| {
                    let mut v = interval_json(m, level, e);
                    if *m == OddsMethod::ExactConditional.name() {
                        v["estimate"] = num(cmle);
                        if cmle.is_none() {
                            v["estimate_note"] =
                                json!("the conditional MLE is infinite or not estimable for this table");
                        }
                    }
                    v
                })
                .collect();
            let value = json!({
                "groups": [
                    {"x": g1.x, "n": g1.n, "estimate": g1.x as f64 / g1.n as f64},
                    {"x": g2.x, "n": g2.n, "estimate": g2.x as f64 / g2.n as f64},
                ],
                "risk_difference": {
                    "estimate": table.risk_difference(),
                    "intervals": rd.iter().map(|(m, e)| interval_json(m, level, e)).collect::<Vec<_>>(),
                },
                "risk_ratio": {
                    "estimate": num(table.risk_ratio()),
                    "intervals": rr.iter().map(|(m, e)| interval_json(m, level, e)).collect::<Vec<_>>(),
                },
                "odds_ratio": {"estimate": num(table.odds_ratio()), "intervals": or_intervals},
                "tests": [
                    test("chi2", chi2),
                    test("chi2-yates", yates),
                    {"name": "fisher", "p_value": num(Some(fisher))},
                    {"name": "barnard", "statistic": num(Some(barnard_test.statistic)), "p_value": num(Some(barnard_test.p_value)),
                     "p_value_upper": num(Some(barnard_test.p_upper)), "certified": barnard_test.certified,
                     "nuisance": barnard_test.nuisance},
                    {"name": "boschloo", "statistic": num(Some(boschloo_test.statistic)), "p_value": num(Some(boschloo_test.p_value)),
                     "p_value_upper": num(Some(boschloo_test.p_upper)), "certified": boschloo_test.certified,
                     "nuisance": boschloo_test.nuisance},
                ],
            });
            println!("{value}");
        }
        Format::Text => {
            let show = |v: Option<f64>| v.filter(|v| v.is_finite()).map_or("—".to_string(), |v| format!("{v:.4}"));
            println!(
                "Group 1: {}/{} = {:.4}    Group 2: {}/{} = {:.4}",
                g1.x,
                g1.n,
                g1.x as f64 / g1.n as f64,
                g2.x,
                g2.n,
                g2.x as f64 / g2.n as f64
            );
            let block = |title: &str, estimate: Option<f64>, rows: &[(&str, Estimate)]| {
                println!();
                println!("{title}: {}", show(estimate));
                println!("  {:<20} {:>10} {:>10}", format!("{:.0}% CI", level * 100.0), "lower", "upper");
                for (m, e) in rows {
                    match e {
                        Estimate::Interval(i) => {
                            println!("  {m:<20} {:>10} {:>10}", show(Some(i.low)), show(Some(i.high)))
                        }
                        Estimate::Undefined(why) => println!("  {m:<20} {:>10} {:>10}  ({why})", "—", "—"),
                    }
                }
            };
            block("Risk difference (1 − 2)", Some(table.risk_difference()), &rd);
            block("Risk ratio (1 / 2)", table.risk_ratio(), &rr);
            block("Odds ratio (1 / 2)", table.odds_ratio(), &or);
            println!("  conditional MLE of the odds ratio: {}", show(cmle));
            println!();
            println!("Tests (two-sided)");
            println!("  Pearson chi2      statistic {}  p = {}", show(chi2.map(|c| c.0)), show(chi2.map(|c| c.1)));
            println!("  chi2 with Yates   statistic {}  p = {}", show(yates.map(|c| c.0)), show(yates.map(|c| c.1)));
            println!("  Fisher exact      p = {}", show(Some(fisher)));
            let cert = |t: &myotrial_stats::unconditional::UnconditionalTest| {
                if t.certified {
                    format!("(supremum certified ≤ {})", show(Some(t.p_upper)))
                } else {
                    format!("(supremum NOT certified: ≤ {})", show(Some(t.p_upper)))
                }
            };
            println!(
                "  Barnard (pooled)  statistic {}  p = {}  {}",
                show(Some(barnard_test.statistic)),
                show(Some(barnard_test.p_value)),
                cert(&barnard_test)
            );
            println!(
                "  Boschloo          statistic {}  p = {}  {}",
                show(Some(boschloo_test.statistic)),
                show(Some(boschloo_test.p_value)),
                cert(&boschloo_test)
            );
        }
    }
    ExitCode::SUCCESS
}

fn proportion(args: &ProportionArgs) -> ExitCode {
    let Count { x, n } = args.count;
    let mut intervals = Vec::new();
    for method in OneProportionMethod::ALL {
        match proportion_ci(x, n, args.level, method) {
            Ok(ci) => intervals.push((method, ci)),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(exit::USAGE);
            }
        }
    }
    let p_value = match binomial_test(x, n, args.p0) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let estimate = x as f64 / n as f64;
    match args.format {
        Format::Json => {
            let value = json!({
                "x": x,
                "n": n,
                "estimate": estimate,
                "intervals": intervals.iter().map(|(m, ci)| json!({
                    "method": m.name(), "level": args.level, "ci_low": ci.low, "ci_high": ci.high,
                })).collect::<Vec<Value>>(),
                "tests": [{"name": "binomial", "p0": args.p0, "p_value": p_value}],
            });
            println!("{value}");
        }
        Format::Text => {
            println!("Proportion {x}/{n} = {estimate:.4}");
            println!();
            println!("{:<18} {:>10} {:>10}", format!("{:.0}% CI", args.level * 100.0), "lower", "upper");
            for (m, ci) in &intervals {
                println!("{:<18} {:>10.4} {:>10.4}", m.name(), ci.low, ci.high);
            }
            println!();
            println!("Exact binomial test (two-sided), H0: p = {}: p = {:.4}", args.p0, p_value);
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_checked() {
        assert_eq!(parse_count("8/19"), Ok(Count { x: 8, n: 19 }));
        assert!(parse_count("38/37").unwrap_err().contains("X = 38 is larger than N = 37"));
        assert!(parse_count("-1/5").unwrap_err().contains("not a whole number"));
        assert!(parse_count("a/b").unwrap_err().contains("not a whole number"));
        assert!(parse_count("8").unwrap_err().contains("not of the form X/N"));
        assert!(parse_count("3/0").unwrap_err().contains("N must be at least 1"));
    }
}
