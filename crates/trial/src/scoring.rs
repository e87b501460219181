//! `myotrial score`: every non-baseline visit of a visits file scored against its subject's
//! week-0 row (data-format.md §3–§4).
//!
//! A file sorted by subject (subject IDs ascending in byte order, each subject's rows together)
//! is validated and scored in one streaming pass, one subject at a time. Any other file is
//! validated in that pass, then read again and grouped in memory, so it still scores correctly.
//! The caller's [`Sink`] must hold the output back until the run succeeds: a file with any bad
//! cell produces no usable output.

use crate::error::{LoadError, LoadErrors};
use crate::visits::{Col, VisitRow, VisitsReader};
use myotrial_measures::{Enzyme, EnzymeReading};
use myotrial_response::deterioration::Deterioration;
use myotrial_response::subject::{self, SubjectError};
use myotrial_response::tis::{Category, Row, Unscorable};
use myotrial_response::RowOutcome;
use myotrial_response::{Settings, Strength, StrengthScale, Visit};
use std::collections::HashMap;
use std::io::{self, Read};
use std::str::FromStr;

/// Which strength measure fills the TIS MMT row.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum StrengthChoice {
    /// MMT when the subject has any MMT value, otherwise CMAS (data-format.md §2: the JDM PRINTO
    /// set uses CMAS in place of MMT).
    #[default]
    Auto,
    Mmt,
    Cmas,
}

impl FromStr for StrengthChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(StrengthChoice::Auto),
            "mmt" => Ok(StrengthChoice::Mmt),
            "cmas" => Ok(StrengthChoice::Cmas),
            _ => Err(format!("{s:?} is not a valid strength measure (expected one of: auto mmt cmas)")),
        }
    }
}

/// Options of a scoring run.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScoreOptions {
    pub settings: Settings,
    pub strength: StrengthChoice,
    /// Also fill the audit fields of [`ScoreRecord`] (improvement % per row).
    pub audit: bool,
}

/// One output row of `myotrial score` (data-format.md §4), plus audit fields for JSON. The
/// subject ID is passed alongside (see [`Sink::record`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreRecord {
    pub week: u32,
    /// TIS × 2.
    pub tis_x2: Option<u16>,
    pub category: Option<Category>,
    /// Points × 2 per row in [`Row::ALL`] order; `None` when the row could not be scored.
    pub points_x2: [Option<u8>; 6],
    /// Improvement % per row (exact fraction shown as `f64`), filled when
    /// [`ScoreOptions::audit`] is set.
    pub improvement_pct: [Option<f64>; 6],
    pub enzyme: Option<Enzyme>,
    pub enzyme_normal_at_baseline: bool,
    /// Deterioration at this visit (not yet confirmed-or-not); `None` on a subject-level error.
    pub deterioration: Option<Deterioration>,
    /// Confirmed deterioration dated at or before this visit.
    pub confirmed_deterioration: Option<bool>,
    /// Some rows were missing and scored 0 (`missing = "partial"`).
    pub partial: bool,
    /// Why each row in [`Row::ALL`] order could not be scored (`None`: scored, or not reached).
    pub unscorable: [Option<Unscorable>; 6],
    /// Name of the strength measure in messages: `mmt` or `cmas`.
    pub strength: &'static str,
    /// A problem with the whole subject or visit; empty if none. The full `error` column is
    /// [`ScoreRecord::write_error`].
    pub error: String,
}

impl ScoreRecord {
    /// The `error` column (data-format.md §4): empty, or plain-language reasons separated by
    /// "; ". Written into `out` so that scoring a file does not allocate a string per row.
    pub fn write_error(&self, out: &mut String) {
        if !self.error.is_empty() {
            out.push_str(&self.error);
            return;
        }
        let mut first = true;
        for (row, why) in Row::ALL.iter().zip(&self.unscorable) {
            let Some(why) = why else { continue };
            out.push_str(match (first, self.partial) {
                (true, true) => "partial: scored 0 for ",
                (true, false) => "",
                (false, _) => "; ",
            });
            first = false;
            let name = if *row == Row::Mmt { self.strength } else { row.name() };
            // Writing to a String cannot fail.
            let _ = why.describe(name, 0, self.week, out);
        }
    }

    /// [`ScoreRecord::write_error`] as a new string.
    pub fn error_text(&self) -> String {
        let mut text = String::new();
        self.write_error(&mut text);
        text
    }
}

/// Where scored rows go.
pub trait Sink {
    /// One output row of `subject`.
    fn record(&mut self, subject: &str, record: &ScoreRecord) -> io::Result<()>;
    /// Discard every row written so far: the file turned out not to be sorted and is scored
    /// again from the start.
    fn restart(&mut self) -> io::Result<()>;
}

/// What a scoring run saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    /// Subject IDs ascending (byte order), each subject's rows contiguous.
    pub sorted: bool,
}

/// Errors of a scoring run.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    /// The file is not valid data; nothing written to the sink may be used.
    #[error("{0}")]
    Load(#[from] LoadErrors),
    #[error("cannot read the input: {0}")]
    Read(io::Error),
    #[error("cannot write the output: {0}")]
    Write(io::Error),
}

fn duplicate_error(file: &str, week_column: usize, subject: &str, row: &VisitRow, first_line: u64) -> LoadError {
    LoadError {
        file: file.to_string(),
        line: row.line,
        column: week_column,
        message: format!(
            "week: a second row for subject {subject:?} week {} (first at line {first_line}); one row per (subject, week)",
            row.week
        ),
    }
}

fn emit(sink: &mut dyn Sink, subject: &str, rows: &[VisitRow], options: &ScoreOptions) -> Result<(), ScoreError> {
    score_subject_each(rows, options, &mut |rec| sink.record(subject, &rec)).map_err(ScoreError::Write)
}

/// Score every non-baseline visit of a visits file, subject by subject, into `sink` (subjects
/// in file order, each subject's visits in week order).
///
/// One pass validates every cell and, while the file is sorted by subject, scores each subject
/// as soon as its rows are complete (memory: one subject's rows). If a subject ID comes out of
/// order, validation goes on, then `sink` is restarted and the file (opened again with `open`)
/// is grouped in memory and scored. On `Err`, whatever reached the sink must be discarded: the
/// whole load fails and every error found is in the [`LoadErrors`].
pub fn score_file<R: Read>(
    open: impl Fn() -> io::Result<R>,
    file: &str,
    options: &ScoreOptions,
    sink: &mut dyn Sink,
) -> Result<Summary, ScoreError> {
    let mut rdr = VisitsReader::new(open().map_err(ScoreError::Read)?, file)?;
    let week_col = rdr.column_of(Col::Week);
    let mut errors = LoadErrors::default();
    let mut rows = 0;
    let mut sorted = true;
    let mut subject = String::new();
    let mut group: Vec<VisitRow> = Vec::new();
    while let Some(next) = rdr.next_row() {
        rows += 1;
        let row = match next {
            Ok(row) => row,
            Err(e) => {
                errors.extend(e);
                continue;
            }
        };
        if !sorted {
            continue;
        }
        let s = rdr.subject();
        if s != subject {
            if !group.is_empty() && s.as_bytes() < subject.as_bytes() {
                sorted = false;
                group.clear();
                continue;
            }
            if errors.is_empty() && !group.is_empty() {
                emit(sink, &subject, &group, options)?;
            }
            group.clear();
            subject.clear();
            subject.push_str(s);
        }
        if let Some(first) = group.iter().find(|r| r.week == row.week) {
            errors.push(duplicate_error(file, week_col, &subject, &row, first.line));
        }
        group.push(row);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    if sorted {
        if !group.is_empty() {
            emit(sink, &subject, &group, options)?;
        }
        return Ok(Summary { rows, sorted });
    }

    // Not sorted: group every subject's rows in memory, in order of first appearance.
    sink.restart().map_err(ScoreError::Write)?;
    let mut rdr = VisitsReader::new(open().map_err(ScoreError::Read)?, file)?;
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<(String, Vec<VisitRow>)> = Vec::new();
    while let Some(next) = rdr.next_row() {
        let row = next?;
        let s = rdr.subject();
        let g = match index.get(s) {
            Some(&g) => g,
            None => {
                index.insert(s.to_string(), groups.len());
                groups.push((s.to_string(), Vec::new()));
                groups.len() - 1
            }
        };
        let (name, group) = &mut groups[g];
        if let Some(first) = group.iter().find(|r| r.week == row.week) {
            errors.push(duplicate_error(file, week_col, name, &row, first.line));
        }
        group.push(row);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    for (name, group) in &groups {
        emit(sink, name, group, options)?;
    }
    Ok(Summary { rows, sorted })
}

impl<R: Read> VisitsReader<R> {
    /// 1-based column of `col` in the file (1 when absent).
    pub fn column_of(&self, col: Col) -> usize {
        self.index_of(col).map_or(1, |i| i + 1)
    }
}

fn strength_of(row: &VisitRow, scale: Option<StrengthScale>) -> Option<Strength> {
    match scale? {
        StrengthScale::Mmt(_) => Some(Strength { score: row.mmt?, scale: StrengthScale::Mmt(row.mmt_max?) }),
        StrengthScale::Cmas => Some(Strength { score: row.cmas?, scale: StrengthScale::Cmas }),
    }
}

/// The core set values of a row, with the subject's strength measure.
pub fn core_set_visit(row: &VisitRow, strength: Option<StrengthScale>) -> Visit {
    let mut v = Visit {
        pga: row.pga,
        ptga: row.ptga,
        extramuscular: row.extramuscular,
        strength: strength_of(row, strength),
        haq: row.haq,
        ..Visit::default()
    };
    for e in Enzyme::ALL {
        if let (Some(value), Some(uln)) = (row.enzymes[e.index()], row.ulns[e.index()]) {
            v.enzymes.set(e, Some(EnzymeReading { value, uln }));
        }
    }
    v
}

/// Score one subject's rows (any order). Subject-level problems fill `error` on each row.
pub fn score_subject(rows: &[VisitRow], options: &ScoreOptions) -> Vec<ScoreRecord> {
    let mut records = Vec::new();
    let _ = score_subject_each(rows, options, &mut |r| {
        records.push(r);
        Ok(())
    });
    records
}

/// [`score_subject`] handing each record to `out` (in week order) instead of collecting them.
pub fn score_subject_each(
    rows: &[VisitRow],
    options: &ScoreOptions,
    out: &mut dyn FnMut(ScoreRecord) -> io::Result<()>,
) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // A subject-level problem: the same message on each non-baseline row, in week order.
    fn fail(rows: &[VisitRow], message: String, out: &mut dyn FnMut(ScoreRecord) -> io::Result<()>) -> io::Result<()> {
        let mut weeks: Vec<u32> = rows.iter().map(|r| r.week).filter(|&w| w != 0).collect();
        weeks.sort_unstable();
        weeks.into_iter().try_for_each(|w| out(blank_record(w, message.clone())))
    }

    // mmt_max must not change within a subject: the version of the earliest row that has one,
    // and the earliest row with another.
    let version = rows.iter().filter_map(|r| Some((r.mmt_max?, r.week))).min_by_key(|&(_, w)| w);
    if let Some((first_v, first_week)) = version {
        let change = rows.iter().filter_map(|r| Some((r.mmt_max?, r.week))).filter(|&(v, _)| v != first_v);
        if let Some((v, week)) = change.min_by_key(|&(_, w)| w) {
            let message =
                format!("mmt_max changes from {} (week {first_week}) to {} at week {week}", first_v.max(), v.max());
            return fail(rows, message, out);
        }
    }
    let has_mmt = rows.iter().any(|r| r.mmt.is_some());
    let has_cmas = rows.iter().any(|r| r.cmas.is_some());
    let scale = match options.strength {
        StrengthChoice::Mmt => version.map(|(v, _)| StrengthScale::Mmt(v)),
        StrengthChoice::Cmas => Some(StrengthScale::Cmas),
        StrengthChoice::Auto if has_mmt => version.map(|(v, _)| StrengthScale::Mmt(v)),
        StrengthChoice::Auto if has_cmas => Some(StrengthScale::Cmas),
        StrengthChoice::Auto => version.map(|(v, _)| StrengthScale::Mmt(v)),
    };
    let visits: Vec<(u32, Visit)> = rows.iter().map(|r| (r.week, core_set_visit(r, scale))).collect();
    let strength_name = match scale {
        Some(StrengthScale::Cmas) => "cmas",
        _ => "mmt",
    };
    let mut written: io::Result<()> = Ok(());
    let scored = subject::for_each_visit(&visits, &options.settings, |v| {
        if written.is_err() {
            return;
        }
        let mut rec = blank_record(v.week, String::new());
        rec.deterioration = Some(v.deterioration);
        rec.confirmed_deterioration = Some(v.confirmed_by_now);
        match v.tis {
            Ok(t) => {
                for (i, outcome) in t.rows.iter().enumerate() {
                    match outcome {
                        RowOutcome::Scored(s) => {
                            rec.points_x2[i] = Some(s.points_x2);
                            if options.audit {
                                rec.improvement_pct[i] = Some(s.improvement_pct.to_f64());
                            }
                        }
                        RowOutcome::Unscorable(_, why) => rec.unscorable[i] = Some(*why),
                    }
                }
                rec.tis_x2 = t.tis_x2;
                rec.category = t.category;
                rec.enzyme = t.enzyme;
                rec.enzyme_normal_at_baseline = t.enzyme_normal_at_baseline;
                rec.partial = t.partial;
                rec.strength = strength_name;
            }
            Err(e) => rec.error = e.to_string(),
        }
        written = out(rec);
    });
    match scored {
        Ok(_) => written,
        Err(SubjectError::NoBaseline) => fail(rows, "no baseline (week 0) row for this subject".into(), out),
        Err(e) => fail(rows, e.to_string(), out),
    }
}

fn blank_record(week: u32, error: String) -> ScoreRecord {
    ScoreRecord {
        week,
        tis_x2: None,
        category: None,
        points_x2: [None; 6],
        improvement_pct: [None; 6],
        enzyme: None,
        enzyme_normal_at_baseline: false,
        deterioration: None,
        confirmed_deterioration: None,
        partial: false,
        unscorable: [None; 6],
        strength: "mmt",
        error,
    }
}

/// An input that can be opened at any byte offset (a file on disk), for [`score_parallel`].
pub trait Source: Sync {
    type Reader: Read;
    /// Length in bytes.
    fn byte_len(&self) -> io::Result<u64>;
    /// A reader positioned at `offset`.
    fn open_at(&self, offset: u64) -> io::Result<Self::Reader>;
}

/// A file already in memory.
impl<'a> Source for &'a [u8] {
    type Reader = &'a [u8];
    fn byte_len(&self) -> io::Result<u64> {
        Ok(self.len() as u64)
    }
    fn open_at(&self, offset: u64) -> io::Result<&'a [u8]> {
        Ok(self.get(offset as usize..).unwrap_or_default())
    }
}

/// Collects the rows in memory.
impl Sink for Vec<(String, ScoreRecord)> {
    fn record(&mut self, subject: &str, record: &ScoreRecord) -> io::Result<()> {
        self.push((subject.to_string(), record.clone()));
        Ok(())
    }
    fn restart(&mut self) -> io::Result<()> {
        self.clear();
        Ok(())
    }
}

/// How [`score_parallel`] splits the work.
#[derive(Clone, Copy, Debug)]
pub struct Parallelism {
    /// At most this many parts (threads).
    pub threads: usize,
    /// No part smaller than this (splitting a small file costs more than it saves).
    pub min_part_bytes: u64,
}

impl Parallelism {
    pub fn new(threads: usize) -> Parallelism {
        Parallelism { threads, min_part_bytes: 1 << 20 }
    }
}

/// Output of [`score_parallel`], in order: rows scored by a worker into its own sink, and rows
/// of the subjects whose rows straddle two parts, scored at the end.
pub enum Piece<K> {
    Sink(K),
    Records(Vec<(String, ScoreRecord)>),
}

type Group = (String, Vec<VisitRow>);

/// What one worker made of its part of the file.
struct Part<K> {
    /// The first subject's rows (not scored: it may continue the previous part) when the part
    /// has more than one subject; never for the first part.
    first: Option<Group>,
    /// Scored rows of the subjects between the first and the last.
    body: K,
    /// The last subject's rows (not scored: it may continue in the next part).
    last: Option<Group>,
}

/// Score one part; `None` when the fast path does not apply (a bad cell, a quote, a subject out
/// of order or a duplicate week): the caller then scores the file sequentially.
fn score_part<R: Read, K: Sink>(
    mut rdr: VisitsReader<R>,
    options: &ScoreOptions,
    mut body: K,
    first_part: bool,
) -> Result<Option<Part<K>>, ScoreError> {
    let mut first: Option<Group> = None;
    let mut current: Option<Group> = None;
    while let Some(next) = rdr.next_row() {
        let Ok(row) = next else { return Ok(None) };
        let s = rdr.subject_bytes();
        match &mut current {
            Some((name, rows)) if name.as_bytes() == s => {
                if rows.iter().any(|r| r.week == row.week) {
                    return Ok(None);
                }
                rows.push(row);
            }
            Some((name, _)) if s < name.as_bytes() => return Ok(None),
            _ => {
                // The finished subject's buffers are reused for the next one (no allocation
                // per subject), except when they are kept as the part's first subject.
                let mut fresh = None;
                if let Some(done) = current.take() {
                    // The first part's first subject cannot continue an earlier part.
                    if first.is_none() && !first_part {
                        first = Some(done);
                    } else {
                        emit(&mut body, &done.0, &done.1, options)?;
                        fresh = Some(done);
                    }
                }
                let (mut name, mut rows) = fresh.unwrap_or_else(|| (String::new(), Vec::with_capacity(16)));
                name.clear();
                name.push_str(rdr.subject());
                rows.clear();
                rows.push(row);
                current = Some((name, rows));
            }
        }
    }
    Ok(Some(Part { first, body, last: current }))
}

/// Offsets where the parts start (each the start of a line), from `start` to `len`.
fn split_points<S: Source>(source: &S, start: u64, len: u64, parts: usize) -> io::Result<Vec<u64>> {
    let mut points = vec![start];
    for k in 1..parts {
        let target = start + (len - start) * k as u64 / parts as u64;
        let mut r = io::BufReader::new(source.open_at(target)?);
        let mut skipped = Vec::new();
        io::BufRead::read_until(&mut r, b'\n', &mut skipped)?;
        let point = (target + skipped.len() as u64).min(len);
        if point > *points.last().unwrap_or(&0) && point < len {
            points.push(point);
        }
    }
    points.push(len);
    Ok(points)
}

/// Like [`score_file`], with the file split into `threads` parts scored at the same time.
///
/// The fast path applies to a valid file sorted by subject with no `"` (so every line end is a
/// record end). Anything else — a bad cell, a quote, an unsorted or duplicated row — makes it
/// fall back to [`score_file`], so the output and the errors are exactly those of the
/// sequential run. Memory stays bounded: each worker holds one subject's rows.
///
/// `make_sink(k)` makes the sink of part `k`; the pieces come back in output order and part 0's
/// sink is always the first piece, so a caller may let it write straight to the destination. A
/// sequential run (after a discarded parallel attempt) asks for `make_sink(0)` again, which must
/// then start from an empty output.
pub fn score_parallel<S, K>(
    source: &S,
    file: &str,
    options: &ScoreOptions,
    parallel: Parallelism,
    make_sink: &(dyn Fn(usize) -> io::Result<K> + Sync),
) -> Result<Vec<Piece<K>>, ScoreError>
where
    S: Source,
    K: Sink + Send,
{
    let sequential = || -> Result<Vec<Piece<K>>, ScoreError> {
        let mut sink = make_sink(0).map_err(ScoreError::Write)?;
        score_file(|| source.open_at(0), file, options, &mut sink)?;
        Ok(vec![Piece::Sink(sink)])
    };
    let len = source.byte_len().map_err(ScoreError::Read)?;
    let parts = parallel.threads.min((len / parallel.min_part_bytes.max(1)) as usize).max(1);
    if parts < 2 {
        return sequential();
    }
    // The header is read by the full CSV reader; the rows after it are split into parts.
    let header_end = {
        let mut r = io::BufReader::new(source.open_at(0).map_err(ScoreError::Read)?);
        let mut first_line = Vec::new();
        io::BufRead::read_until(&mut r, b'\n', &mut first_line).map_err(ScoreError::Read)?;
        // The header must be exactly the first line: no quote, no CR other than before the LF.
        let body = first_line.strip_suffix(b"\n").unwrap_or(&first_line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        if memchr::memchr2(b'"', b'\r', body).is_some() {
            return sequential();
        }
        first_line.len() as u64
    };
    let Ok(header) = VisitsReader::new(source.open_at(0).map_err(ScoreError::Read)?.take(header_end), file) else {
        return sequential();
    };
    let columns = header.columns();
    let points = split_points(source, header_end, len, parts).map_err(ScoreError::Read)?;
    let run = |k: usize| -> Result<Option<Part<K>>, ScoreError> {
        let body = make_sink(k).map_err(ScoreError::Write)?;
        let (start, end) = (points[k], points[k + 1]);
        let reader = source.open_at(start).map_err(ScoreError::Read)?.take(end - start);
        score_part(VisitsReader::part(reader, file, columns), options, body, k == 0)
    };
    let results: Vec<Result<Option<Part<K>>, ScoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..points.len() - 1).map(|k| scope.spawn(move || run(k))).collect();
        let mut results = vec![run(0)];
        for h in handles {
            results.push(h.join().unwrap_or_else(|_| Ok(None)));
        }
        results
    });
    let mut parts_done = Vec::with_capacity(results.len());
    for r in results {
        match r? {
            Some(part) => parts_done.push(part),
            None => return sequential(),
        }
    }
    // Stitch: a subject may straddle parts; subjects must keep ascending across parts.
    let mut pieces = Vec::new();
    let mut pending: Option<Group> = None;
    let flush = |pending: &mut Option<Group>, pieces: &mut Vec<Piece<K>>| {
        if let Some((name, rows)) = pending.take() {
            let records = score_subject(&rows, options).into_iter().map(|r| (name.clone(), r)).collect();
            pieces.push(Piece::Records(records));
        }
    };
    // Add a part's edge subject: merged with the pending one when it is the same subject,
    // else the pending one is scored. `false` when the parts are not in ascending order.
    let stitch = |pending: &mut Option<Group>, (name, rows): Group, pieces: &mut Vec<Piece<K>>| -> bool {
        match pending {
            Some((p, prows)) if *p == name => {
                if rows.iter().any(|r| prows.iter().any(|q| q.week == r.week)) {
                    return false;
                }
                prows.extend(rows);
            }
            Some((p, _)) if name.as_bytes() < p.as_bytes() => return false,
            _ => {
                flush(pending, pieces);
                *pending = Some((name, rows));
            }
        }
        true
    };
    for part in parts_done {
        // Order within a part: its first subject, its body, its last subject.
        if let Some(first) = part.first {
            if !stitch(&mut pending, first, &mut pieces) {
                return sequential();
            }
            flush(&mut pending, &mut pieces);
        }
        pieces.push(Piece::Sink(part.body));
        if let Some(last) = part.last {
            if !stitch(&mut pending, last, &mut pieces) {
                return sequential();
            }
        }
    }
    flush(&mut pending, &mut pieces);
    Ok(pieces)
}
