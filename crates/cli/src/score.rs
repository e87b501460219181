//! `myotrial score visits.csv`: data-format.md §4.

use crate::exit;
use clap::{Args, ValueEnum};
use myotrial_response::tis::Row;
use myotrial_response::{DeteriorationChange, EnzymeChange, MissingRule, Population, Settings};
use myotrial_trial::scoring::{
    self, Parallelism, Piece, ScoreError, ScoreOptions, ScoreRecord, Sink, Source, StrengthChoice,
};
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Args)]
pub struct ScoreArgs {
    /// The visits file (data-format.md §2).
    pub visits: PathBuf,
    /// Population: sets the category thresholds (adult 20/40/60, jdm 30/45/70).
    #[arg(long, default_value = "adult", value_parser = parse::<Population>)]
    pub population: Population,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Enzyme improvement relative to baseline, or to k × ULN (CK 15, others 3).
    #[arg(long, default_value = "relative", value_parser = parse::<EnzymeChange>)]
    pub enzyme_change: EnzymeChange,
    /// strict: TIS not computable unless all six rows score; partial: a missing row scores 0 and is listed.
    #[arg(long, default_value = "strict", value_parser = parse::<MissingRule>)]
    pub missing: MissingRule,
    /// Deterioration percentages relative to the baseline value, or to the scale range.
    #[arg(long, default_value = "relative", value_parser = parse::<DeteriorationChange>)]
    pub deterioration_change: DeteriorationChange,
    /// Strength measure of the MMT row: auto (MMT if the subject has any, else CMAS), mmt or cmas.
    #[arg(long, default_value = "auto", value_parser = parse::<StrengthChoice>)]
    pub strength: StrengthChoice,
    /// Write to this file instead of standard output (written in full or not at all).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Worker threads for a large file sorted by subject (default: the number of CPUs).
    #[arg(long)]
    pub threads: Option<usize>,
}

fn parse<T: std::str::FromStr>(s: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    s.parse::<T>().map_err(|e| e.to_string())
}

/// Scored rows go to spool files (one per worker) and reach the user only when the whole input
/// was valid: a refused file leaves no partial output behind, and memory stays bounded.
///
/// A spool holds rows only (CSV lines, or JSON objects each preceded by ",\n") — except the
/// first part's spool when the destination is a regular file we may cut back (`-o`'s temporary
/// file, or standard output redirected to an empty file): that one writes the header and its
/// rows straight into the destination, so only the other parts are copied at the end.
struct Spool {
    out: BufWriter<File>,
    format: Format,
    line: Vec<u8>,
    scratch: String,
    /// Writing straight into the destination, which started at this length.
    direct: Option<u64>,
    /// Bytes to drop from the next row (the comma before the first JSON row of the output).
    skip: usize,
    /// The last subject written and its CSV field (quoted if needed): a subject's rows come
    /// together, so its field is escaped once.
    subject: (String, Vec<u8>),
}

impl Spool {
    fn temporary(format: Format) -> io::Result<Spool> {
        Spool::over(tempfile::tempfile()?, format, None)
    }

    /// A spool writing into the destination `file` from byte `start`.
    fn direct(file: File, start: u64, format: Format) -> io::Result<Spool> {
        Spool::over(file, format, Some(start))
    }

    fn over(file: File, format: Format, direct: Option<u64>) -> io::Result<Spool> {
        let out = BufWriter::with_capacity(1 << 20, file);
        let mut spool = Spool {
            out,
            format,
            line: Vec::with_capacity(256),
            scratch: String::new(),
            direct,
            skip: 0,
            subject: (String::new(), Vec::new()),
        };
        spool.restart()?;
        Ok(spool)
    }

    /// The spool's file, positioned at the start of its rows.
    fn into_file(self) -> io::Result<File> {
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }
}

impl Sink for Spool {
    fn record(&mut self, subject: &str, rec: &ScoreRecord) -> io::Result<()> {
        self.line.clear();
        if let Format::Csv = self.format {
            if self.subject.0 != subject {
                self.subject.0.clear();
                self.subject.0.push_str(subject);
                self.subject.1.clear();
                push_text(&mut self.subject.1, subject);
            }
            self.line.extend_from_slice(&self.subject.1);
            csv_fields(&mut self.line, &mut self.scratch, rec);
        } else {
            format_row(&mut self.line, &mut self.scratch, self.format, subject, rec)?;
        }
        self.out.write_all(&self.line[self.skip..])?;
        self.skip = 0;
        Ok(())
    }

    /// Back to an empty output: a temporary spool is emptied; the destination is cut back to
    /// its starting length and given its header again.
    fn restart(&mut self) -> io::Result<()> {
        self.out.flush()?;
        let start = self.direct.unwrap_or(0);
        let file = self.out.get_mut();
        file.set_len(start)?;
        file.seek(SeekFrom::Start(start))?;
        if self.direct.is_some() {
            self.skip = write_prefix(&mut self.out, self.format)?;
        }
        Ok(())
    }
}

/// The CSV header or the JSON opening bracket; returns how many bytes the first JSON row drops.
fn write_prefix(out: &mut impl Write, format: Format) -> io::Result<usize> {
    match format {
        Format::Csv => {
            out.write_all(CSV_HEADER.as_bytes())?;
            Ok(0)
        }
        Format::Json => {
            out.write_all(b"[")?;
            Ok(1)
        }
    }
}

/// A regular file that the first part may write straight into, and where it starts.
struct Destination {
    file: File,
    start: u64,
}

impl Destination {
    /// Standard output, when it is a regular file positioned at its end (as `> file` leaves
    /// it); a pipe or terminal cannot be cut back, so it gets everything at the end.
    fn stdout() -> Option<Destination> {
        use std::os::fd::AsFd;
        let mut file = File::from(io::stdout().as_fd().try_clone_to_owned().ok()?);
        let len = file.metadata().ok().filter(|m| m.is_file())?.len();
        let start = file.stream_position().ok()?;
        (start == len).then_some(Destination { file, start })
    }

    /// Cut the file back to where it started (the run failed).
    fn discard(&self) {
        let _ = self.file.set_len(self.start);
    }
}

fn format_row(
    line: &mut Vec<u8>,
    scratch: &mut String,
    format: Format,
    subject: &str,
    rec: &ScoreRecord,
) -> io::Result<()> {
    match format {
        Format::Csv => csv_row(line, scratch, subject, rec),
        Format::Json => {
            line.extend_from_slice(b",\n");
            serde_json::to_writer(&mut *line, &json_record(subject, rec)).map_err(io::Error::other)?;
        }
    }
    Ok(())
}

/// The input file, opened again at any offset by each worker.
struct InputFile<'a>(&'a Path);

impl Source for InputFile<'_> {
    type Reader = File;
    fn byte_len(&self) -> io::Result<u64> {
        Ok(std::fs::metadata(self.0)?.len())
    }
    fn open_at(&self, offset: u64) -> io::Result<File> {
        let mut f = File::open(self.0)?;
        f.seek(SeekFrom::Start(offset))?;
        Ok(f)
    }
}

/// Write the pieces in order after the header (or JSON bracket), then the closing bracket.
/// When the first piece already wrote into the destination, the rest is appended to it;
/// otherwise everything goes to `out`. Spools are copied with `io::copy` to a file or standard
/// output, which lets the kernel move the bytes (copy_file_range / sendfile).
fn deliver(pieces: Vec<Piece<Spool>>, format: Format, out: impl Write) -> io::Result<()> {
    let mut pieces = pieces.into_iter().peekable();
    match pieces.peek() {
        Some(Piece::Sink(Spool { direct: Some(_), .. })) => {
            let Some(Piece::Sink(first)) = pieces.next() else { unreachable!("peeked") };
            let skip = first.skip;
            let file = first.out.into_inner().map_err(|e| e.into_error())?;
            append(pieces, format, file, skip)
        }
        _ => {
            let mut out = BufWriter::with_capacity(1 << 16, out);
            let skip = write_prefix(&mut out, format)?;
            append(pieces, format, out.into_inner().map_err(|e| e.into_error())?, skip)
        }
    }
}

/// Append the pieces and close the JSON array; `skip` is the comma the first JSON row drops.
fn append<W: Write>(
    pieces: impl Iterator<Item = Piece<Spool>>,
    format: Format,
    out: W,
    mut skip: usize,
) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let mut line = Vec::new();
    let mut scratch = String::new();
    for piece in pieces {
        match piece {
            Piece::Sink(spool) => {
                let mut file = spool.into_file()?;
                if file.metadata()?.len() > 0 && skip > 0 {
                    file.seek(SeekFrom::Start(skip as u64))?;
                    skip = 0;
                }
                out.flush()?;
                io::copy(&mut file, out.get_mut())?;
            }
            Piece::Records(records) => {
                for (subject, rec) in records {
                    line.clear();
                    format_row(&mut line, &mut scratch, format, &subject, &rec)?;
                    out.write_all(&line[skip..])?;
                    skip = 0;
                }
            }
        }
    }
    if let Format::Json = format {
        out.write_all(if skip > 0 { b"]\n" } else { b"\n]\n" })?;
    }
    out.flush()
}

pub fn run(args: &ScoreArgs) -> ExitCode {
    let name = args.visits.display().to_string();
    let options = ScoreOptions {
        settings: Settings {
            population: args.population,
            enzyme_change: args.enzyme_change,
            missing: args.missing,
            deterioration_change: args.deterioration_change,
            ..Settings::default()
        },
        strength: args.strength,
        audit: matches!(args.format, Format::Json),
    };
    if let Err(e) = File::open(&args.visits) {
        return io_failure(&format!("{name}: cannot open: {e}"));
    }
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let format = args.format;
    // With -o, everything goes to a temporary file beside the destination, renamed onto it at
    // the end: never a half-written file.
    let named = match &args.output {
        Some(path) => {
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            match tempfile::NamedTempFile::new_in(dir) {
                Ok(t) => Some(t),
                Err(e) => return io_failure(&format!("{}: cannot create: {e}", path.display())),
            }
        }
        None => None,
    };
    let destination = match &named {
        Some(t) => t.reopen().ok().map(|file| Destination { file, start: 0 }),
        None => Destination::stdout(),
    };
    let make_sink = |k: usize| match (&destination, k) {
        (Some(d), 0) => Spool::direct(d.file.try_clone()?, d.start, format),
        _ => Spool::temporary(format),
    };
    let scored =
        scoring::score_parallel(&InputFile(&args.visits), &name, &options, Parallelism::new(threads), &make_sink);
    let pieces = match scored {
        Ok(p) => p,
        Err(e) => {
            if let Some(d) = &destination {
                d.discard();
            }
            return match e {
                ScoreError::Load(errors) => {
                    eprintln!("{errors}");
                    eprintln!("error: {name} was not scored ({} problem(s))", errors.total);
                    ExitCode::from(exit::INVALID_INPUT)
                }
                ScoreError::Read(e) => io_failure(&format!("{name}: cannot read: {e}")),
                ScoreError::Write(e) => io_failure(&format!("error: cannot write the output: {e}")),
            };
        }
    };
    let delivered = match (named, &args.output) {
        (Some(t), Some(path)) => {
            deliver(pieces, format, t.as_file()).and_then(|()| t.persist(path).map(|_| ()).map_err(|e| e.error))
        }
        _ => deliver(pieces, format, io::stdout().lock()),
    };
    match delivered {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => io_failure(&format!("error: cannot write the output: {e}")),
    }
}

fn io_failure(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(exit::IO)
}

const CSV_HEADER: &str = "subject,week,tis,category,pga_points,ptga_points,mmt_points,haq_points,enzyme_points,\
extramuscular_points,enzyme,deterioration,error\n";

/// A text field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn push_text(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

fn push_uint(buf: &mut Vec<u8>, v: u32) {
    // Points and weeks are small: write them byte by byte.
    if v < 10 {
        buf.push(b'0' + v as u8);
    } else if v < 100 {
        buf.push(b'0' + (v / 10) as u8);
        buf.push(b'0' + (v % 10) as u8);
    } else {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        let mut v = v;
        while v > 0 {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        buf.extend_from_slice(&digits[i..]);
    }
}

/// A value held ×2 written with one decimal place: 105 → `52.5`, 40 → `20.0`.
/// A multiple of 0.5 held ×2, with one decimal ("52.5", "20.0"): TIS and points are in
/// [0, 100], so at most three integer digits, pushed byte by byte (no copy call per field).
fn push_half(buf: &mut Vec<u8>, x2: Option<u16>) {
    if let Some(x) = x2 {
        let i = x / 2;
        if i >= 100 {
            push_uint(buf, u32::from(i));
        } else if i >= 10 {
            buf.push(b'0' + (i / 10) as u8);
            buf.push(b'0' + (i % 10) as u8);
        } else {
            buf.push(b'0' + i as u8);
        }
        buf.push(b'.');
        buf.push(if x % 2 == 1 { b'5' } else { b'0' });
    }
}

fn csv_row(buf: &mut Vec<u8>, scratch: &mut String, subject: &str, rec: &ScoreRecord) {
    push_text(buf, subject);
    csv_fields(buf, scratch, rec);
}

/// Everything of a CSV row after the subject field.
fn csv_fields(buf: &mut Vec<u8>, scratch: &mut String, rec: &ScoreRecord) {
    buf.push(b',');
    push_uint(buf, rec.week);
    buf.push(b',');
    push_half(buf, rec.tis_x2);
    buf.push(b',');
    if let Some(c) = rec.category {
        buf.extend_from_slice(c.name().as_bytes());
    }
    for p in rec.points_x2 {
        buf.push(b',');
        push_half(buf, p.map(u16::from));
    }
    buf.push(b',');
    if let Some(e) = rec.enzyme {
        buf.extend_from_slice(e.name().as_bytes());
    }
    buf.push(b',');
    if let Some(d) = rec.deterioration {
        buf.extend_from_slice(if d.met() { b"true" } else { b"false" });
    }
    buf.push(b',');
    // Most rows have no error: skip the text machinery for them.
    if !rec.error.is_empty() || rec.unscorable.iter().any(Option::is_some) {
        let mut error = std::mem::take(scratch);
        error.clear();
        rec.write_error(&mut error);
        push_text(buf, &error);
        *scratch = error;
    }
    buf.push(b'\n');
}

fn json_record(subject: &str, rec: &ScoreRecord) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let num = |x2: Option<u16>| x2.map_or(Value::Null, |x| json!(x as f64 / 2.0));
    let mut obj = Map::new();
    obj.insert("subject".into(), json!(subject));
    obj.insert("week".into(), json!(rec.week));
    obj.insert("tis".into(), num(rec.tis_x2));
    obj.insert("category".into(), json!(rec.category.map(|c| c.name())));
    for (i, row) in Row::ALL.iter().enumerate() {
        obj.insert(format!("{}_points", row.name()), num(rec.points_x2[i].map(u16::from)));
    }
    obj.insert("enzyme".into(), json!(rec.enzyme.map(|e| e.name())));
    obj.insert("deterioration".into(), json!(rec.deterioration.map(|d| d.met())));
    let error = rec.error_text();
    obj.insert("error".into(), if error.is_empty() { Value::Null } else { json!(error) });
    let pct: Map<String, Value> = Row::ALL
        .iter()
        .zip(rec.improvement_pct)
        .map(|(r, p)| (r.name().to_string(), p.map_or(Value::Null, |p| json!(p))))
        .collect();
    obj.insert("improvement_pct".into(), Value::Object(pct));
    obj.insert(
        "deterioration_criteria".into(),
        rec.deterioration.map_or(Value::Null, |d| {
            json!({"pga_and_mmt": d.pga_and_mmt, "extramuscular": d.extramuscular, "three_of_five": d.three_of_five})
        }),
    );
    obj.insert("confirmed_deterioration".into(), json!(rec.confirmed_deterioration));
    obj.insert("partial".into(), json!(rec.partial));
    obj.insert("enzyme_normal_at_baseline".into(), json!(rec.enzyme_normal_at_baseline));
    Value::Object(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_exactly() {
        let mut buf = Vec::new();
        for v in [0, 7, 10, 99, 100, 4_294_967_295] {
            buf.clear();
            push_uint(&mut buf, v);
            assert_eq!(String::from_utf8(buf.clone()).unwrap(), v.to_string());
        }
        for (x2, text) in [(Some(0), "0.0"), (Some(5), "2.5"), (Some(105), "52.5"), (Some(200), "100.0"), (None, "")] {
            buf.clear();
            push_half(&mut buf, x2);
            assert_eq!(String::from_utf8(buf.clone()).unwrap(), text);
        }
    }

    #[test]
    fn text_fields_are_quoted_only_when_needed() {
        let mut buf = Vec::new();
        push_text(&mut buf, "missing haq at week 4");
        buf.push(b'|');
        push_text(&mut buf, "a, \"b\"");
        assert_eq!(String::from_utf8(buf).unwrap(), "missing haq at week 4|\"a, \"\"b\"\"\"");
    }
}
