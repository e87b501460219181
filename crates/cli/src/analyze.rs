//! `myotrial analyze <bundle>`: load a trial bundle (data-format.md §1), derive every endpoint
//! and write the analysis (JSON as §6, CSV tables and the HTML report with `--out`).

use crate::exit;
use clap::{Args, ValueEnum};
use myotrial_trial::analysis::{analyse, Analysis};
use myotrial_trial::bundle::{Bundle, Sources};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Args)]
pub struct AnalyzeArgs {
    /// The bundle directory (trial.toml, subjects.csv, visits.csv, and optionally
    /// infusions.csv, adverse_events.csv, events.csv).
    pub bundle: PathBuf,
    /// Write analysis.json, CSV tables and index.html (the report) into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// The bytes of every file of a bundle directory.
pub struct BundleFiles {
    pub trial_toml: String,
    pub subjects: Vec<u8>,
    pub visits: Vec<u8>,
    pub infusions: Option<Vec<u8>>,
    pub adverse_events: Option<Vec<u8>>,
    pub events: Option<Vec<u8>>,
}

impl BundleFiles {
    pub fn read(dir: &Path) -> Result<BundleFiles, String> {
        let required = |name: &str| {
            fs::read(dir.join(name)).map_err(|e| format!("{}: cannot read: {e}", dir.join(name).display()))
        };
        let optional = |name: &str| match fs::read(dir.join(name)) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: cannot read: {e}", dir.join(name).display())),
        };
        let toml = required("trial.toml")?;
        let trial_toml = String::from_utf8(toml).map_err(|e| {
            format!(
                "{}: bytes that are not valid UTF-8 at byte {}",
                dir.join("trial.toml").display(),
                e.utf8_error().valid_up_to()
            )
        })?;
        Ok(BundleFiles {
            trial_toml,
            subjects: required("subjects.csv")?,
            visits: required("visits.csv")?,
            infusions: optional("infusions.csv")?,
            adverse_events: optional("adverse_events.csv")?,
            events: optional("events.csv")?,
        })
    }

    pub fn sources(&self) -> Sources<'_> {
        Sources {
            trial_toml: &self.trial_toml,
            subjects: &self.subjects,
            visits: &self.visits,
            infusions: self.infusions.as_deref(),
            adverse_events: self.adverse_events.as_deref(),
            events: self.events.as_deref(),
        }
    }

    /// (file name, size, FNV-1a 64 hash) of every file present, for the report's settings.
    pub fn fingerprints(&self) -> Vec<(String, usize, String)> {
        let mut out = vec![("trial.toml".to_string(), self.trial_toml.len(), fnv(self.trial_toml.as_bytes()))];
        let files = [
            ("subjects.csv", Some(&self.subjects)),
            ("visits.csv", Some(&self.visits)),
            ("infusions.csv", self.infusions.as_ref()),
            ("adverse_events.csv", self.adverse_events.as_ref()),
            ("events.csv", self.events.as_ref()),
        ];
        for (name, bytes) in files {
            if let Some(b) = bytes {
                out.push((name.to_string(), b.len(), fnv(b)));
            }
        }
        out
    }
}

/// FNV-1a, 64 bit: identifies an input file in the report (not a security hash).
fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Load and analyse a bundle directory; errors are printed and turned into the exit code.
pub fn load_and_analyse(dir: &Path) -> Result<(BundleFiles, Bundle, Analysis), ExitCode> {
    let files = BundleFiles::read(dir).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(exit::IO)
    })?;
    let bundle = Bundle::load(files.sources()).map_err(|errors| {
        eprintln!("{errors}");
        eprintln!("error: the bundle {} was not analysed ({} problem(s))", dir.display(), errors.total);
        ExitCode::from(exit::INVALID_INPUT)
    })?;
    let analysis = analyse(&bundle);
    Ok((files, bundle, analysis))
}

pub fn run(args: &AnalyzeArgs) -> ExitCode {
    let (files, bundle, analysis) = match load_and_analyse(&args.bundle) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if let Some(out) = &args.out {
        if let Err(e) = write_outputs(out, &files, &bundle, &analysis) {
            eprintln!("{}: cannot write: {e}", out.display());
            return ExitCode::from(exit::IO);
        }
    }
    let printed = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&analysis_json(&files, &analysis)).map_err(io::Error::other).and_then(|s| {
                let mut o = io::stdout().lock();
                writeln!(o, "{s}")
            })
        }
        Format::Text => {
            let mut o = io::stdout().lock();
            o.write_all(text_summary(&analysis).as_bytes())
        }
    };
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            ExitCode::from(exit::IO)
        }
    }
}

/// The analysis as JSON (data-format.md §6), with the input files' sizes and hashes under `inputs`.
pub fn analysis_json(files: &BundleFiles, analysis: &Analysis) -> serde_json::Value {
    let mut v = serde_json::to_value(analysis).unwrap_or(serde_json::Value::Null);
    if let Some(map) = v.as_object_mut() {
        let inputs: Vec<serde_json::Value> = files
            .fingerprints()
            .into_iter()
            .map(|(file, bytes, hash)| serde_json::json!({"file": file, "bytes": bytes, "fnv1a64": hash}))
            .collect();
        map.insert("inputs".into(), inputs.into());
        map.insert("version".into(), env!("CARGO_PKG_VERSION").into());
    }
    v
}

/// Write analysis.json and the CSV tables into `out` (created if needed).
pub fn write_outputs(out: &Path, files: &BundleFiles, bundle: &Bundle, analysis: &Analysis) -> io::Result<()> {
    fs::create_dir_all(out)?;
    let json = serde_json::to_string_pretty(&analysis_json(files, analysis)).map_err(io::Error::other)?;
    fs::write(out.join("analysis.json"), json + "\n")?;
    fs::write(out.join("endpoints.csv"), endpoints_csv(analysis))?;
    fs::write(out.join("subjects_derived.csv"), subjects_csv(analysis))?;
    fs::write(out.join("visits_scored.csv"), visits_csv(analysis))?;
    let context = myotrial_report::Context {
        protocol: &bundle.protocol,
        version: env!("CARGO_PKG_VERSION"),
        inputs: files.fingerprints(),
    };
    fs::write(out.join("index.html"), myotrial_report::render(analysis, &context))?;
    Ok(())
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |x| format!("{x}"))
}

fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row per endpoint × arm, with the comparison against the control.
pub fn endpoints_csv(a: &Analysis) -> String {
    let mut s = String::from(
        "endpoint,label,kind,week,arm,n,responders,proportion,mean_change,sd,estimate,ci_low,ci_high,method,level,test,p_value\n",
    );
    for e in &a.endpoints {
        for arm in &e.arms {
            let cmp = e.comparisons.iter().find(|c| c.arm == arm.arm);
            let est = cmp.map(|c| &c.difference).or(if a.control.is_none() { e.proportion.as_ref() } else { None });
            let test = cmp.and_then(|c| c.tests.first()).or(if a.control.is_none() { e.tests.first() } else { None });
            let fields = [
                csv_text(&e.id),
                csv_text(&e.label),
                e.kind.clone(),
                e.week.map_or_else(String::new, |w| w.to_string()),
                csv_text(&arm.arm),
                arm.n.to_string(),
                arm.responders.map_or_else(String::new, |x| x.to_string()),
                num(arm.proportion),
                num(arm.mean),
                num(arm.sd),
                num(est.and_then(|d| d.estimate)),
                num(est.and_then(|d| d.ci_low)),
                num(est.and_then(|d| d.ci_high)),
                est.map_or_else(String::new, |d| d.method.clone()),
                est.map_or_else(String::new, |d| d.level.to_string()),
                test.map_or_else(String::new, |t| t.name.clone()),
                num(test.and_then(|t| t.p_value)),
            ];
            s.push_str(&fields.join(","));
            s.push('\n');
        }
    }
    s
}

/// One row per randomised subject: flags, first weeks at the TIS thresholds, outcomes, changes,
/// exposure and events.
pub fn subjects_csv(a: &Analysis) -> String {
    let mut s = String::from("subject,arm,analysed,excluded_reason,visits,last_week,confirmed_deterioration_week,first_week_minimal,first_week_moderate,first_week_major");
    let first = a.subjects.first();
    for (id, _) in first.map_or(&[][..], |f| f.outcomes.as_slice()) {
        s.push_str(&format!(",{}", csv_text(id)));
    }
    for (id, _) in first.map_or(&[][..], |f| f.changes.as_slice()) {
        s.push_str(&format!(",{}", csv_text(id)));
    }
    s.push_str(",active_infusions,total_grams,median_dose_g_per_kg,events,error\n");
    let week = |w: Option<u32>| w.map_or_else(String::new, |w| w.to_string());
    for r in &a.subjects {
        let mut f = vec![
            csv_text(&r.subject),
            csv_text(&r.arm),
            if r.excluded.is_none() { "yes".into() } else { "no".into() },
            csv_text(r.excluded.as_deref().unwrap_or("")),
            r.visits.to_string(),
            week(r.last_week),
            week(r.confirmed_deterioration),
        ];
        f.extend(r.first_week_at.iter().map(|w| week(*w)));
        f.extend(r.outcomes.iter().map(|(_, o)| csv_text(o)));
        f.extend(r.changes.iter().map(|(_, c)| num(*c)));
        f.push(r.active_infusions.to_string());
        f.push(format!("{}", r.total_grams));
        f.push(num(r.median_dose_g_per_kg));
        let events: Vec<String> = r.events.iter().map(|(e, w)| format!("{e}@{w}")).collect();
        f.push(csv_text(&events.join(" ")));
        f.push(csv_text(r.error.as_deref().unwrap_or("")));
        s.push_str(&f.join(","));
        s.push('\n');
    }
    s
}

/// One row per scored follow-up visit (TIS, category, deterioration), as the engine computed them.
pub fn visits_csv(a: &Analysis) -> String {
    let mut s =
        String::from("subject,arm,week,nominal_week,tis,category,deterioration,confirmed_deterioration_by_now,error\n");
    let b = |x: Option<bool>| x.map_or_else(String::new, |v| v.to_string());
    for v in &a.visits {
        let f = [
            csv_text(&v.subject),
            csv_text(&v.arm),
            v.week.to_string(),
            v.nominal_week.to_string(),
            v.tis.map_or_else(String::new, |t| format!("{t:.1}")),
            v.category.unwrap_or("").to_string(),
            b(v.deterioration),
            b(v.confirmed_by_now),
            csv_text(&v.error),
        ];
        s.push_str(&f.join(","));
        s.push('\n');
    }
    s
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |v| format!("{:.1}", 100.0 * v))
}

/// The plain-text summary printed by default.
pub fn text_summary(a: &Analysis) -> String {
    let mut s = format!("{} ({} population)\n", a.trial, a.population);
    for f in &a.flow {
        s.push_str(&format!(
            "  {}: randomised {}, analysed {}, with visits {}\n",
            f.arm, f.randomised, f.analysed, f.with_visits
        ));
    }
    s.push('\n');
    for e in &a.endpoints {
        s.push_str(&format!("{} [{}] {}\n", e.id, e.role, e.label));
        for arm in &e.arms {
            match (arm.responders, arm.mean, &arm.median) {
                (Some(x), _, _) => {
                    s.push_str(&format!("  {:<12} {x}/{} = {} %\n", arm.arm, arm.n, pct(arm.proportion)))
                }
                (None, Some(m), _) => {
                    s.push_str(&format!("  {:<12} mean change {m:.2} (n = {})\n", arm.arm, arm.n_observed.unwrap_or(0)))
                }
                (None, None, Some(med)) => s.push_str(&format!(
                    "  {:<12} events {} of {}, median {}\n",
                    arm.arm,
                    arm.events.unwrap_or(0),
                    arm.n_observed.unwrap_or(0),
                    med.estimate.map_or_else(|| "not reached".into(), |m| format!("{m}"))
                )),
                _ => s.push_str(&format!("  {:<12} n = {}\n", arm.arm, arm.n)),
            }
        }
        if let Some(d) = e.difference.as_ref().or(e.proportion.as_ref()) {
            let scale = if e.kind == "change" || e.kind.starts_with("time") { 1.0 } else { 100.0 };
            let f = |v: Option<f64>| v.map_or_else(|| "–".into(), |x| format!("{:.2}", scale * x));
            s.push_str(&format!(
                "  {}: {} ({:.0} % CI {} to {}), {}\n",
                if e.difference.is_some() { "difference" } else { "proportion" },
                f(d.estimate),
                100.0 * d.level,
                f(d.ci_low),
                f(d.ci_high),
                d.method
            ));
        }
        for t in &e.tests {
            s.push_str(&format!("  {}: p = {}\n", t.name, t.p_value.map_or_else(|| "–".into(), |p| format!("{p:.4}"))));
        }
    }
    s
}
