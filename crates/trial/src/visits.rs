//! Reading `visits.csv` (data-format.md §1–§2): one row per subject × assessment visit.
//!
//! Every cell is validated; every bad cell is reported as `file:line:column: message` and the
//! load fails. A UTF-8 byte-order mark and CRLF line ends are accepted; bytes that are not UTF-8
//! are an error at their line and column. Values are exact decimals ([`Dec`]).

use crate::error::{LoadError, LoadErrors};
use myotrial_measures::{Dec, Enzyme, MmtVersion};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;

/// The columns of `visits.csv`, in the order of data-format.md §2.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Col {
    Subject,
    Week,
    Pga,
    Ptga,
    Extramuscular,
    Mmt,
    MmtMax,
    Haq,
    Enzyme(Enzyme),
    Uln(Enzyme),
    CdasiActivity,
    CdasiDamage,
    Cmas,
}

impl Col {
    pub const ALL: [Col; 21] = [
        Col::Subject,
        Col::Week,
        Col::Pga,
        Col::Ptga,
        Col::Extramuscular,
        Col::Mmt,
        Col::MmtMax,
        Col::Haq,
        Col::Enzyme(Enzyme::Ck),
        Col::Enzyme(Enzyme::Aldolase),
        Col::Enzyme(Enzyme::Ast),
        Col::Enzyme(Enzyme::Alt),
        Col::Enzyme(Enzyme::Ldh),
        Col::Uln(Enzyme::Ck),
        Col::Uln(Enzyme::Aldolase),
        Col::Uln(Enzyme::Ast),
        Col::Uln(Enzyme::Alt),
        Col::Uln(Enzyme::Ldh),
        Col::CdasiActivity,
        Col::CdasiDamage,
        Col::Cmas,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Col::Subject => "subject",
            Col::Week => "week",
            Col::Pga => "pga",
            Col::Ptga => "ptga",
            Col::Extramuscular => "extramuscular",
            Col::Mmt => "mmt",
            Col::MmtMax => "mmt_max",
            Col::Haq => "haq",
            Col::Enzyme(e) => e.name(),
            Col::Uln(e) => e.uln_name(),
            Col::CdasiActivity => "cdasi_activity",
            Col::CdasiDamage => "cdasi_damage",
            Col::Cmas => "cmas",
        }
    }

    /// Position in [`Col::ALL`] (a constant-time match: this is on the hot path).
    fn slot(self) -> usize {
        match self {
            Col::Subject => 0,
            Col::Week => 1,
            Col::Pga => 2,
            Col::Ptga => 3,
            Col::Extramuscular => 4,
            Col::Mmt => 5,
            Col::MmtMax => 6,
            Col::Haq => 7,
            Col::Enzyme(e) => 8 + e.index(),
            Col::Uln(e) => 13 + e.index(),
            Col::CdasiActivity => 18,
            Col::CdasiDamage => 19,
            Col::Cmas => 20,
        }
    }

    #[cfg(test)]
    fn slot_matches_position() -> bool {
        Col::ALL.iter().enumerate().all(|(i, c)| c.slot() == i)
    }
}

/// One validated row of `visits.csv`. `None` is an empty cell (missing, never zero).
///
/// The subject ID is not stored here (it is the same for all of a subject's rows): read it with
/// [`VisitsReader::subject`] right after [`VisitsReader::next_row`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct VisitRow {
    /// Physical line of the row in the file.
    pub line: u64,
    pub week: u32,
    pub pga: Option<Dec>,
    pub ptga: Option<Dec>,
    pub extramuscular: Option<Dec>,
    pub mmt: Option<u32>,
    pub mmt_max: Option<MmtVersion>,
    pub haq: Option<Dec>,
    /// Indexed by [`Enzyme`].
    pub enzymes: [Option<Dec>; 5],
    pub ulns: [Option<Dec>; 5],
    pub cdasi_activity: Option<u32>,
    pub cdasi_damage: Option<u32>,
    pub cmas: Option<u32>,
}

/// Skip a UTF-8 byte-order mark at the start of a reader.
pub(crate) fn skip_bom<R: Read>(reader: R) -> std::io::Result<BufReader<R>> {
    let mut r = BufReader::with_capacity(1 << 16, reader);
    let buf = r.fill_buf()?;
    if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
        r.consume(3);
    }
    Ok(r)
}

/// Physical line numbers by byte offset, counted here from the bytes the parser reads: the
/// `csv` crate reports a record as starting where the previous one's terminator ended, which
/// after a CRLF or blank lines is on an earlier line than the record's first byte.
#[derive(Default)]
pub(crate) struct Lines {
    /// Bytes handed to the parser so far.
    read: u64,
    /// Offsets of `\r` and `\n` bytes (with which) not yet passed by a record start.
    pending: VecDeque<(u64, u8)>,
    /// Newlines before the last record start asked about.
    passed: u64,
}

impl Lines {
    /// The 1-based physical line of the first byte of a record that the parser says starts at
    /// `offset` (line terminators at the start are skipped). Offsets must not decrease.
    pub(crate) fn line_of(&mut self, offset: u64) -> u64 {
        let mut start = offset;
        while let Some(&(at, byte)) = self.pending.front() {
            if at > start {
                break;
            }
            if at == start {
                start += 1;
            }
            if byte == b'\n' {
                self.passed += 1;
            }
            self.pending.pop_front();
        }
        self.passed + 1
    }
}

/// A reader that records where the line terminators are.
pub(crate) struct LineCounting<R> {
    pub(crate) inner: R,
    pub(crate) lines: Rc<RefCell<Lines>>,
}

impl<R: Read> Read for LineCounting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = self.lines.borrow_mut();
        let base = lines.read;
        for i in memchr::memchr2_iter(b'\r', b'\n', &buf[..n]) {
            lines.pending.push_back((base + i as u64, buf[i]));
        }
        lines.read += n as u64;
        Ok(n)
    }
}

/// A CSV reader positioned after its header, with where each known column is.
pub(crate) struct HeaderRead<R: Read> {
    pub(crate) csv: csv::Reader<LineCounting<BufReader<R>>>,
    pub(crate) lines: Rc<RefCell<Lines>>,
    /// For each of the known `names`, its 0-based field index in the file.
    pub(crate) index: Vec<Option<usize>>,
    /// Fields in the header.
    pub(crate) width: usize,
    /// Header problems (bad bytes, empty, duplicate or unknown names): the caller adds its own
    /// checks and fails the load if there are any.
    pub(crate) errors: LoadErrors,
}

/// Open a CSV file (a BOM skipped, physical lines counted) and read its header against the
/// known column `names`. An empty or unreadable header is an `Err`. An unknown column's message
/// suggests a near name, and lists every known name when `list_known`.
pub(crate) fn read_header<R: Read>(
    reader: R,
    file: &str,
    names: &[&str],
    list_known: bool,
) -> Result<HeaderRead<R>, LoadErrors> {
    let err = |column: usize, message: String| LoadError { file: file.to_string(), line: 1, column, message };
    let buffered = skip_bom(reader).map_err(|e| err(1, format!("cannot read: {e}")))?;
    let lines = Rc::new(RefCell::new(Lines::default()));
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineCounting { inner: buffered, lines: Rc::clone(&lines) });
    let mut header = csv::ByteRecord::new();
    match csv.read_byte_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return Err(err(1, "the file is empty: expected a header row".into()).into()),
        Err(e) => return Err(err(1, format!("not a readable CSV header: {e}")).into()),
    }
    let mut errors = LoadErrors::default();
    let mut index = vec![None; names.len()];
    for (i, raw) in header.iter().enumerate() {
        let column = i + 1;
        let Ok(name) = std::str::from_utf8(raw.trim_ascii()) else {
            errors.push(err(column, "header: bytes that are not valid UTF-8".into()));
            continue;
        };
        match names.iter().position(|n| *n == name) {
            Some(k) => match index[k] {
                Some(first) => {
                    errors.push(err(column, format!("column {name:?} appears twice (first as column {})", first + 1)))
                }
                None => index[k] = Some(i),
            },
            None if name.is_empty() => errors.push(err(column, "empty column name".into())),
            None => {
                let hint = names
                    .iter()
                    .find(|c| c.eq_ignore_ascii_case(name) || edit_distance(c, name) <= 2)
                    .map(|c| format!(" (did you mean {c:?}?)"))
                    .unwrap_or_default();
                let known = if list_known { format!("; expected: {}", names.join(", ")) } else { String::new() };
                errors.push(err(column, format!("unknown column {name:?}{hint}{known}")));
            }
        }
    }
    Ok(HeaderRead { csv, lines, index, width: header.len(), errors })
}

/// Where each column is in a file's rows (from its header).
#[derive(Clone, Copy, Debug)]
pub struct Columns {
    index: [Option<usize>; 21],
    width: usize,
}

/// `plan` entry of a field that is no known column (cannot happen after a valid header).
const NO_COLUMN: u8 = u8::MAX;

/// A streaming reader of `visits.csv`.
pub struct VisitsReader<R: Read> {
    input: Input<R>,
    file: String,
    /// Field index in the file for each [`Col`] slot.
    index: [Option<usize>; 21],
    /// The column slot of each field, in file order (the inverse of `index`).
    plan: [u8; 21],
    width: usize,
    /// The current record's subject cell, when it is valid UTF-8.
    subject: std::ops::Range<usize>,
    done: bool,
}

/// How records are read.
enum Input<R: Read> {
    /// Full CSV (quotes, any line ends) with exact physical line numbers.
    Csv { csv: csv::Reader<LineCounting<BufReader<R>>>, lines: Rc<RefCell<Lines>>, record: csv::StringRecord },
    /// A part of a file split for parallel scoring: one record per line, fields split at commas.
    /// Anything this cannot read exactly (a quote, a lone CR, bad UTF-8, a ragged row) is
    /// returned as an error so the caller falls back to the full reader.
    Plain { reader: BufReader<R>, line: Vec<u8>, line_no: u64 },
}

impl<R: Read> VisitsReader<R> {
    /// Read and check the header. `file` is the name used in error messages.
    pub fn new(reader: R, file: &str) -> Result<Self, LoadErrors> {
        let err =
            |line: u64, column: usize, message: String| LoadError { file: file.to_string(), line, column, message };
        let names = Col::ALL.map(Col::name);
        let HeaderRead { csv, lines, index: found, width, mut errors } = read_header(reader, file, &names, false)?;
        let line = 1;
        // Col::ALL is in slot order (`column_slots_are_positions`).
        let mut index = [None; 21];
        index.copy_from_slice(&found);
        for required in [Col::Subject, Col::Week] {
            if index[required.slot()].is_none() {
                errors.push(err(line, 1, format!("missing required column {:?}", required.name())));
            }
        }
        let needs =
            [(Col::Mmt, Col::MmtMax)].into_iter().chain(Enzyme::ALL.into_iter().map(|e| (Col::Enzyme(e), Col::Uln(e))));
        for (col, partner) in needs {
            if let (Some(i), None) = (index[col.slot()], index[partner.slot()]) {
                errors.push(err(
                    line,
                    i + 1,
                    format!("{}: needs a {} column in the same file", col.name(), partner.name()),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let input = Input::Csv { csv, lines, record: csv::StringRecord::new() };
        Ok(Self::assemble(input, file, Columns { index, width }))
    }

    fn assemble(input: Input<R>, file: &str, columns: Columns) -> Self {
        let mut plan = [NO_COLUMN; 21];
        for (col, index) in Col::ALL.into_iter().zip(columns.index) {
            if let Some(i) = index {
                plan[i] = col.slot() as u8;
            }
        }
        VisitsReader {
            input,
            file: file.to_string(),
            index: columns.index,
            plan,
            width: columns.width,
            subject: 0..0,
            done: false,
        }
    }

    /// The header's column layout, to read a later part of the same file with [`VisitsReader::part`].
    pub fn columns(&self) -> Columns {
        Columns { index: self.index, width: self.width }
    }

    /// A reader of a part of the file that starts at the beginning of a line after the header,
    /// with the header's `columns`. Line numbers count from the part's first line, so use it
    /// only where no error position is reported (the parallel fast path).
    pub fn part(reader: R, file: &str, columns: Columns) -> Self {
        let input = Input::Plain {
            reader: BufReader::with_capacity(1 << 18, reader),
            line: Vec::with_capacity(256),
            line_no: 0,
        };
        Self::assemble(input, file, columns)
    }

    /// Which columns the file has.
    pub fn has(&self, col: Col) -> bool {
        self.index[col.slot()].is_some()
    }

    /// 0-based field index of `col` in the file.
    pub fn index_of(&self, col: Col) -> Option<usize> {
        self.index[col.slot()]
    }

    /// The next row, or the errors in it. `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Result<VisitRow, LoadErrors>> {
        if self.done {
            return None;
        }
        self.subject = 0..0;
        match &mut self.input {
            Input::Csv { csv, lines, record } => {
                let mut bytes = std::mem::take(record).into_byte_record();
                match csv.read_byte_record(&mut bytes) {
                    Ok(true) => Some(self.parse_record(bytes)),
                    Ok(false) => {
                        self.done = true;
                        None
                    }
                    Err(e) => {
                        self.done = true;
                        let line = e.position().map_or(0, |p| lines.borrow_mut().line_of(p.byte()));
                        Some(Err(self.error(line, 1, format!("not readable as CSV: {e}")).into()))
                    }
                }
            }
            Input::Plain { .. } => self.next_plain(),
        }
    }

    fn error(&self, line: u64, column: usize, message: String) -> LoadError {
        LoadError { file: self.file.clone(), line, column, message }
    }

    /// [`VisitsReader::subject`] as bytes, without re-checking UTF-8 (the row was checked when
    /// it was read): for comparing subjects row by row.
    pub fn subject_bytes(&self) -> &[u8] {
        match &self.input {
            Input::Csv { record, .. } => record.as_slice().as_bytes().get(self.subject.clone()).unwrap_or(b""),
            Input::Plain { line, .. } => line.get(self.subject.clone()).unwrap_or(b""),
        }
    }

    /// The subject of the row last returned by [`VisitsReader::next_row`] (trimmed).
    pub fn subject(&self) -> &str {
        match &self.input {
            Input::Csv { record, .. } => record.as_slice().get(self.subject.clone()).unwrap_or(""),
            // The line was checked to be UTF-8 when it was read; the range is a whole field.
            Input::Plain { line, .. } => {
                line.get(self.subject.clone()).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")
            }
        }
    }

    fn next_plain(&mut self) -> Option<Result<VisitRow, LoadErrors>> {
        let Input::Plain { reader, line, line_no } = &mut self.input else { return None };
        let bail = |line_no: u64, why: &str| -> Option<Result<VisitRow, LoadErrors>> {
            Some(Err(LoadError { file: String::new(), line: line_no, column: 1, message: why.into() }.into()))
        };
        // The common case: the whole line is in the reader's buffer and the fast parser takes
        // it; it is parsed in place (only the subject is copied out).
        if let Ok(buf) = reader.fill_buf() {
            if let Some(pos) = memchr::memchr(b'\n', buf) {
                let raw = buf[..pos].strip_suffix(b"\r").unwrap_or(&buf[..pos]);
                if !raw.is_empty() {
                    if let Some((row, subject)) = fast_row(raw, &self.plan, self.width, *line_no + 1) {
                        line.clear();
                        line.extend_from_slice(&raw[subject]);
                        self.subject = 0..line.len();
                        reader.consume(pos + 1);
                        *line_no += 1;
                        return Some(Ok(row));
                    }
                }
            }
        }
        loop {
            line.clear();
            match reader.read_until(b'\n', line) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return bail(*line_no, &e.to_string());
                }
            }
            *line_no += 1;
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if !line.is_empty() {
                break;
            }
        }
        if let Some((row, subject)) = fast_row(line, &self.plan, self.width, *line_no) {
            self.subject = subject;
            return Some(Ok(row));
        }
        let ln = *line_no;
        // The general path: exact errors for anything the fast path declined.
        // One pass finds the commas, and any quote or lone CR (not a plain line). Fields are
        // short, so a plain byte loop beats a vectorised search restarted at every comma.
        let mut fields: [(usize, usize); 21] = [(0, 0); 21];
        let mut n = 0;
        let mut start = 0;
        for (i, &c) in line.iter().enumerate() {
            match c {
                b',' => {
                    if n + 1 >= self.width {
                        return bail(ln, "ragged row");
                    }
                    fields[n] = (start, i);
                    n += 1;
                    start = i + 1;
                }
                b'"' => return bail(ln, "a quote: not a plain line"),
                b'\r' => return bail(ln, "a lone CR: not a plain line"),
                _ => {}
            }
        }
        if n + 1 != self.width {
            return bail(ln, "ragged row");
        }
        fields[n] = (start, line.len());
        let text = match String::from_utf8(std::mem::take(line)) {
            Ok(t) => t,
            Err(e) => {
                *line = e.into_bytes();
                return bail(ln, "not UTF-8");
            }
        };
        let mut cells: [&str; 21] = [""; 21];
        for (cell, index) in cells.iter_mut().zip(self.index) {
            if let Some(i) = index {
                let (a, b) = fields[i];
                *cell = text[a..b].trim_ascii();
            }
        }
        if let Some(i) = self.index[Col::Subject.slot()] {
            let (a, b) = fields[i];
            let lead = text[a..b].len() - text[a..b].trim_ascii_start().len();
            self.subject = a + lead..a + lead + cells[Col::Subject.slot()].len();
        }
        let result = self.parse_cells(ln, &cells, 0, LoadErrors::default());
        if let Input::Plain { line: slot, .. } = &mut self.input {
            *slot = text.into_bytes();
        }
        Some(result)
    }

    fn parse_record(&mut self, bytes: csv::ByteRecord) -> Result<VisitRow, LoadErrors> {
        let Input::Csv { lines, .. } = &self.input else { unreachable!("CSV records come from the CSV reader") };
        let line = bytes.position().map_or(0, |p| lines.borrow_mut().line_of(p.byte()));
        let mut errors = LoadErrors::default();
        if bytes.len() != self.width {
            let column = bytes.len().min(self.width) + 1;
            errors.push(self.error(
                line,
                column,
                format!("the row has {} fields but the header has {}", bytes.len(), self.width),
            ));
            if let Input::Csv { record, .. } = &mut self.input {
                *record = csv::StringRecord::from_byte_record_lossy(bytes);
            }
            return Err(errors);
        }
        // One UTF-8 check for the whole record; only a bad record is examined field by field.
        let mut bad_utf8: u32 = 0;
        let record = match csv::StringRecord::from_byte_record(bytes) {
            Ok(r) => r,
            Err(e) => {
                let bytes = e.into_byte_record();
                for col in Col::ALL {
                    if let Some(i) = self.index[col.slot()] {
                        if std::str::from_utf8(&bytes[i]).is_err() {
                            bad_utf8 |= 1 << col.slot();
                            let message = format!("{}: bytes that are not valid UTF-8", col.name());
                            errors.push(self.error(line, i + 1, message));
                        }
                    }
                }
                csv::StringRecord::from_byte_record_lossy(bytes)
            }
        };
        let mut cells: [&str; 21] = [""; 21];
        for (slot, (cell, index)) in cells.iter_mut().zip(self.index).enumerate() {
            if let Some(i) = index {
                if bad_utf8 & (1 << slot) == 0 {
                    *cell = record.get(i).unwrap_or("").trim_ascii();
                }
            }
        }
        if let Some(i) = self.index[Col::Subject.slot()] {
            if bad_utf8 & (1 << Col::Subject.slot()) == 0 {
                if let Some(r) = record.range(i) {
                    let text = &record.as_slice()[r.clone()];
                    let lead = text.len() - text.trim_ascii_start().len();
                    self.subject = r.start + lead..r.start + lead + cells[Col::Subject.slot()].len();
                }
            }
        }
        let result = self.parse_cells(line, &cells, bad_utf8, errors);
        if let Input::Csv { record: slot, .. } = &mut self.input {
            *slot = record;
        }
        result
    }

    /// Validate the cells of one row (`cells` indexed by column slot, trimmed).
    fn parse_cells(
        &self,
        line: u64,
        cells: &[&str; 21],
        bad_utf8: u32,
        mut errors: LoadErrors,
    ) -> Result<VisitRow, LoadErrors> {
        let mut row = VisitRow { line, ..VisitRow::default() };
        let mut cx = Cells { reader: self, cells, line, bad_utf8, errors: &mut errors };
        if cx.cell(Col::Subject).is_empty() && self.index[Col::Subject.slot()].is_some() && cx.is_utf8(Col::Subject) {
            cx.fail(Col::Subject, "subject: must not be empty".into());
        }
        row.week = match cx.cell(Col::Week) {
            "" if cx.is_utf8(Col::Week) => {
                cx.fail(Col::Week, "week: must not be empty".into());
                0
            }
            _ => cx.integer(Col::Week, 0, i64::from(u32::MAX), "").map_or(0, |w| w as u32),
        };
        let ten = Dec::from(10);
        row.pga = cx.decimal(Col::Pga, Some(ten), true, " the 10-cm VAS maximum");
        row.ptga = cx.decimal(Col::Ptga, Some(ten), true, " the 10-cm VAS maximum");
        row.extramuscular = cx.decimal(Col::Extramuscular, Some(ten), true, " the 10-cm VAS maximum");
        row.haq = cx.decimal(Col::Haq, Some(Dec::from(3)), true, " the HAQ maximum");
        row.mmt_max = cx.integer(Col::MmtMax, 0, i64::from(u32::MAX), "").and_then(|m| {
            let v = MmtVersion::from_max(m as u32);
            if v.is_none() {
                cx.fail(
                    Col::MmtMax,
                    format!("mmt_max: {m} is not one of 80 (MMT-8 unilateral), 150 (MMT-8 bilateral), 260 (total MMT)"),
                );
            }
            v
        });
        let mmt_limit = row.mmt_max.map_or(260, |v| v.max() as i64);
        row.mmt = cx.integer(Col::Mmt, 0, mmt_limit, "mmt_max").map(|v| v as u32);
        if row.mmt.is_some() && cx.cell(Col::MmtMax).is_empty() {
            cx.fail(Col::MmtMax, "mmt_max: required when mmt is given (80, 150 or 260)".into());
        }
        for e in Enzyme::ALL {
            row.ulns[e.index()] = cx.decimal(Col::Uln(e), None, false, "");
            row.enzymes[e.index()] = cx.decimal(Col::Enzyme(e), None, true, "");
            if row.enzymes[e.index()].is_some() && cx.cell(Col::Uln(e)).is_empty() {
                cx.fail(Col::Uln(e), format!("{}: required when {} is given (same unit)", e.uln_name(), e.name()));
            }
        }
        row.cdasi_activity = cx.integer(Col::CdasiActivity, 0, 100, "").map(|v| v as u32);
        row.cdasi_damage = cx.integer(Col::CdasiDamage, 0, 32, "").map(|v| v as u32);
        row.cmas = cx.integer(Col::Cmas, 0, 52, "").map(|v| v as u32);
        if errors.is_empty() {
            Ok(row)
        } else {
            Err(errors)
        }
    }
}

/// The fast path for one plain line: fields split and numbers parsed in a single pass, for rows
/// whose every cell has the simplest valid form (digits with at most one `.`, no sign, no
/// spaces, no more than 9 decimals; an ASCII subject) and passes every range rule. It returns
/// `None` for anything else, and the general path then gives the exact value or error, so the
/// two can never disagree on a row this accepts.
fn fast_row(line: &[u8], plan: &[u8; 21], width: usize, ln: u64) -> Option<(VisitRow, std::ops::Range<usize>)> {
    /// Marks an empty cell in `raw` (no parsed value can be negative).
    const EMPTY: i64 = -1;
    const POW10: [i64; 10] = [1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
    let mut raw = [EMPTY; 21];
    let mut subject = 0..0;
    let mut field = 0;
    let mut i = 0;
    let n = line.len();
    loop {
        let start = i;
        let slot = *plan.get(field)?;
        if slot == NO_COLUMN {
            return None;
        }
        let slot = usize::from(slot);
        if slot == Col::Subject.slot() {
            while i < n && line[i] != b',' {
                i += 1;
            }
            let s = &line[start..i];
            let (first, last) = (*s.first()?, *s.last()?);
            if !s.is_ascii() || first.is_ascii_whitespace() || last.is_ascii_whitespace() || s.contains(&b'"') {
                return None;
            }
            subject = start..i;
        } else {
            let mut mantissa: i64 = 0;
            let mut digits = 0usize;
            let mut dot = usize::MAX;
            for &c in &line[start..] {
                let d = c.wrapping_sub(b'0');
                if d < 10 {
                    // Wrapping: more than 18 digits is refused below.
                    mantissa = mantissa.wrapping_mul(10).wrapping_add(i64::from(d));
                    digits += 1;
                } else if c == b',' {
                    break;
                } else if c == b'.' && dot == usize::MAX {
                    dot = digits;
                } else {
                    return None;
                }
                i += 1;
            }
            if i > start {
                if digits == 0 || digits > 18 {
                    return None;
                }
                let fraction = if dot == usize::MAX { 0 } else { digits - dot };
                raw[slot] = mantissa.checked_mul(*POW10.get(fraction)?)?;
            }
        }
        field += 1;
        if i >= n {
            break;
        }
        i += 1;
    }
    if field != width {
        return None;
    }
    let unit = Dec::SCALE;
    let get = |col: Col| Some(raw[col.slot()]).filter(|&v| v != EMPTY);
    let dec = |col: Col, max_units: i64| -> Option<Option<Dec>> {
        match get(col) {
            Some(v) if v > max_units * unit => None,
            v => Some(v.map(Dec::from_raw)),
        }
    };
    let int = |col: Col, max: i64| -> Option<Option<u32>> {
        match get(col) {
            Some(v) if v % unit != 0 || v / unit > max => None,
            v => Some(v.map(|v| (v / unit) as u32)),
        }
    };
    let mut row = VisitRow { line: ln, week: int(Col::Week, i64::from(u32::MAX))??, ..VisitRow::default() };
    row.pga = dec(Col::Pga, 10)?;
    row.ptga = dec(Col::Ptga, 10)?;
    row.extramuscular = dec(Col::Extramuscular, 10)?;
    row.haq = dec(Col::Haq, 3)?;
    row.mmt_max = match int(Col::MmtMax, 260)? {
        Some(m) => Some(MmtVersion::from_max(m)?),
        None => None,
    };
    row.mmt = match (int(Col::Mmt, 260)?, row.mmt_max) {
        (Some(m), Some(v)) if m <= v.max() => Some(m),
        (None, _) => None,
        _ => return None,
    };
    for e in Enzyme::ALL {
        let value = get(Col::Enzyme(e));
        let uln = get(Col::Uln(e));
        match (value, uln) {
            (_, Some(0)) | (Some(_), None) => return None,
            _ => {}
        }
        row.enzymes[e.index()] = value.map(Dec::from_raw);
        row.ulns[e.index()] = uln.map(Dec::from_raw);
    }
    row.cdasi_activity = int(Col::CdasiActivity, 100)?;
    row.cdasi_damage = int(Col::CdasiDamage, 32)?;
    row.cmas = int(Col::Cmas, 52)?;
    Some((row, subject))
}

/// Cell parsing with error collection for one record.
struct Cells<'a, R: Read> {
    reader: &'a VisitsReader<R>,
    cells: &'a [&'a str; 21],
    line: u64,
    bad_utf8: u32,
    errors: &'a mut LoadErrors,
}

impl<'a, R: Read> Cells<'a, R> {
    fn cell(&self, col: Col) -> &'a str {
        self.cells[col.slot()]
    }

    fn is_utf8(&self, col: Col) -> bool {
        self.bad_utf8 & (1 << col.slot()) == 0
    }

    fn fail(&mut self, col: Col, message: String) {
        let column = self.reader.index[col.slot()].map_or(1, |i| i + 1);
        self.errors.push(self.reader.error(self.line, column, message));
    }

    /// A decimal in [0, max] (`max` inclusive) or, when `zero_ok` is false, in (0, ∞).
    #[inline]
    fn decimal(&mut self, col: Col, max: Option<Dec>, zero_ok: bool, max_name: &str) -> Option<Dec> {
        let text = self.cell(col);
        if text.is_empty() {
            return None;
        }
        if let Some(v) = Dec::parse_fast(text) {
            if !v.is_negative() && (zero_ok || !v.is_zero()) && max.is_none_or(|m| v <= m) {
                return Some(v);
            }
        }
        self.decimal_refused(col, text, max, zero_ok, max_name)
    }

    /// [`Cells::decimal`] for anything but a plain valid value: the exact error, or the value.
    #[cold]
    fn decimal_refused(
        &mut self,
        col: Col,
        text: &str,
        max: Option<Dec>,
        zero_ok: bool,
        max_name: &str,
    ) -> Option<Dec> {
        let name = col.name();
        match Dec::parse(text) {
            Err(e) => {
                self.fail(col, format!("{name}: {e}"));
                None
            }
            Ok(v) if v.is_negative() => {
                self.fail(col, format!("{name}: {text} is below the minimum (0)"));
                None
            }
            Ok(v) if !zero_ok && v.is_zero() => {
                self.fail(col, format!("{name}: {text} must be greater than 0"));
                None
            }
            Ok(v) => match max {
                Some(m) if v > m => {
                    self.fail(col, format!("{name}: {text} is above{max_name} ({m})"));
                    None
                }
                _ => Some(v),
            },
        }
    }

    /// A whole number in [min, max]; `max_name` names the column that sets `max`, if any.
    #[inline]
    fn integer(&mut self, col: Col, min: i64, max: i64, max_name: &str) -> Option<i64> {
        let text = self.cell(col);
        if text.is_empty() {
            return None;
        }
        if let Some(i) = Dec::parse_fast(text).and_then(Dec::to_integer) {
            if (min..=max).contains(&i) {
                return Some(i);
            }
        }
        self.integer_refused(col, text, min, max, max_name)
    }

    /// [`Cells::integer`] for anything but a plain valid value: the exact error, or the value.
    #[cold]
    fn integer_refused(&mut self, col: Col, text: &str, min: i64, max: i64, max_name: &str) -> Option<i64> {
        let name = col.name();
        let value = match Dec::parse(text) {
            Err(e) => {
                self.fail(col, format!("{name}: {e}"));
                return None;
            }
            Ok(v) => match v.to_integer() {
                Some(i) => i,
                None => {
                    self.fail(col, format!("{name}: {text} is not a whole number"));
                    return None;
                }
            },
        };
        if value < min {
            self.fail(col, format!("{name}: {text} is below the minimum ({min})"));
            None
        } else if value > max {
            let what = if max_name.is_empty() { String::new() } else { format!(" {max_name}") };
            self.fail(col, format!("{name}: {text} is above the maximum{what} ({max})"));
            None
        } else {
            Some(value)
        }
    }
}

/// Levenshtein distance, for "did you mean" hints on unknown columns.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_slots_are_positions() {
        assert!(Col::slot_matches_position());
    }

    #[test]
    fn edit_distance_hints() {
        assert_eq!(edit_distance("pga", "pgaa"), 1);
        assert_eq!(edit_distance("ck_uln", "ckuln"), 1);
        assert_eq!(edit_distance("haq", "week"), 4);
    }
}
