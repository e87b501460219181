//! Reading the small tables of a trial bundle (`subjects.csv`, `infusions.csv`,
//! `adverse_events.csv`, `events.csv`; data-format.md §2a–§2b) with the same rules as
//! `visits.csv`: one header row, column order free, unknown columns are an error, an empty cell
//! is missing, a BOM and CRLF are accepted, and every bad cell is reported as
//! `file:line:column: message` with the physical line.
//!
//! These files are small (one row per subject, infusion or event), so a table is read whole and
//! then typed cell by cell with [`Cells`], which collects every error before the load fails.

use crate::error::{LoadError, LoadErrors};
use crate::visits::{read_header, HeaderRead};
use myotrial_measures::Dec;
use std::io::Read;

/// One column a table may have.
#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub required: bool,
}

/// Required column.
pub const fn req(name: &'static str) -> ColumnSpec {
    ColumnSpec { name, required: true }
}

/// Optional column.
pub const fn opt(name: &'static str) -> ColumnSpec {
    ColumnSpec { name, required: false }
}

/// A table read whole: its header layout and its rows as trimmed text.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    /// For each spec column (in spec order), its 0-based field index in the file.
    index: Vec<Option<usize>>,
    spec: &'static [ColumnSpec],
    pub rows: Vec<Record>,
    /// Row-level problems found while reading (ragged rows, bytes that are not UTF-8): the
    /// load must fail, but the other rows are still there to be checked cell by cell, so that
    /// every bad cell is reported at once.
    pub errors: LoadErrors,
}

/// One data row: its physical line and its fields (trimmed; `None` where not valid UTF-8).
#[derive(Debug, Clone)]
pub struct Record {
    pub line: u64,
    fields: Vec<Option<String>>,
    /// The row has the wrong number of fields (already reported in [`Table::errors`]): only
    /// its cells that exist can be read, and callers should not type the rest.
    pub ragged: bool,
}

/// Read a whole table. A bad header is an `Err`; rows with bad bytes or the wrong number of
/// fields are recorded in [`Table::errors`] (and marked); cells are typed later with
/// [`Table::cells`].
pub fn read_table<R: Read>(reader: R, file: &str, spec: &'static [ColumnSpec]) -> Result<Table, LoadErrors> {
    let err = |line: u64, column: usize, message: String| LoadError { file: file.to_string(), line, column, message };
    let names: Vec<&str> = spec.iter().map(|c| c.name).collect();
    let HeaderRead { mut csv, lines, index, width, mut errors } = read_header(reader, file, &names, true)?;
    for (c, i) in spec.iter().zip(&index) {
        if c.required && i.is_none() {
            errors.push(err(1, 1, format!("missing required column {:?}", c.name)));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    let mut bytes = csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut bytes) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.borrow_mut().line_of(p.byte()));
                errors.push(err(line, 1, format!("not readable as CSV: {e}")));
                break;
            }
        }
        let line = bytes.position().map_or(0, |p| lines.borrow_mut().line_of(p.byte()));
        let ragged = bytes.len() != width;
        if ragged {
            let column = bytes.len().min(width) + 1;
            errors.push(err(line, column, format!("the row has {} fields but the header has {width}", bytes.len())));
        }
        let mut fields = Vec::with_capacity(width);
        for (i, raw) in bytes.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) => fields.push(Some(s.trim_ascii().to_string())),
                Err(_) => {
                    let name = index
                        .iter()
                        .position(|&x| x == Some(i))
                        .map_or_else(|| format!("column {}", i + 1), |k| spec[k].name.to_string());
                    errors.push(err(line, i + 1, format!("{name}: bytes that are not valid UTF-8")));
                    fields.push(None);
                }
            }
        }
        rows.push(Record { line, fields, ragged });
    }
    Ok(Table { file: file.to_string(), index, spec, rows, errors })
}

impl Table {
    /// Whether the file has this column.
    pub fn has(&self, name: &str) -> bool {
        self.slot(name).is_some_and(|k| self.index[k].is_some())
    }

    fn slot(&self, name: &str) -> Option<usize> {
        self.spec.iter().position(|c| c.name == name)
    }

    /// Typed access to the cells of `record`, collecting errors into `errors`.
    pub fn cells<'a>(&'a self, record: &'a Record, errors: &'a mut LoadErrors) -> Cells<'a> {
        Cells { table: self, record, errors }
    }
}

/// Typed access to one row's cells. Every accessor returns `None` for an empty cell (missing)
/// or a bad one (the error is recorded); use the `required` forms where a value must be present.
pub struct Cells<'a> {
    table: &'a Table,
    record: &'a Record,
    errors: &'a mut LoadErrors,
}

impl Cells<'_> {
    pub fn line(&self) -> u64 {
        self.record.line
    }

    /// 1-based column of `name` in the file (1 when the file lacks it).
    pub fn column(&self, name: &str) -> usize {
        self.table.slot(name).and_then(|k| self.table.index[k]).map_or(1, |i| i + 1)
    }

    /// Record an error at `name`'s cell of this row.
    pub fn fail(&mut self, name: &str, message: String) {
        let column = self.column(name);
        self.errors.push(LoadError { file: self.table.file.clone(), line: self.record.line, column, message });
    }

    /// The trimmed text, `None` when the column is absent, the cell empty or not UTF-8.
    pub fn text(&self, name: &str) -> Option<&str> {
        let i = self.table.slot(name).and_then(|k| self.table.index[k])?;
        self.record.fields.get(i)?.as_deref().filter(|s| !s.is_empty())
    }

    fn is_utf8(&self, name: &str) -> bool {
        self.table
            .slot(name)
            .and_then(|k| self.table.index[k])
            .is_none_or(|i| self.record.fields.get(i).is_some_and(Option::is_some))
    }

    /// Text that must be present.
    pub fn required(&mut self, name: &str) -> Option<String> {
        match self.text(name) {
            Some(s) => Some(s.to_string()),
            None => {
                if self.is_utf8(name) {
                    self.fail(name, format!("{name}: must not be empty"));
                }
                None
            }
        }
    }

    /// A whole number in `min..=max`.
    pub fn integer(&mut self, name: &str, min: i64, max: i64) -> Option<i64> {
        let text = self.text(name)?;
        match text.parse::<i64>() {
            Ok(v) if v < min => {
                self.fail(name, format!("{name}: {v} is below the minimum ({min})"));
                None
            }
            Ok(v) if v > max => {
                self.fail(name, format!("{name}: {v} is above the maximum ({max})"));
                None
            }
            Ok(v) => Some(v),
            Err(_) => {
                let text = text.to_string();
                self.fail(name, format!("{name}: {text:?} is not a whole number"));
                None
            }
        }
    }

    /// A whole number that must be present.
    pub fn required_integer(&mut self, name: &str, min: i64, max: i64) -> Option<i64> {
        if self.text(name).is_none() {
            if self.is_utf8(name) {
                self.fail(name, format!("{name}: must not be empty"));
            }
            return None;
        }
        self.integer(name, min, max)
    }

    /// An exact decimal; `positive` requires > 0, otherwise ≥ 0.
    pub fn decimal(&mut self, name: &str, positive: bool, max: Option<Dec>) -> Option<Dec> {
        let text = self.text(name)?.to_string();
        match Dec::parse(&text) {
            Ok(v) if positive && v <= Dec::ZERO => {
                self.fail(name, format!("{name}: {text} must be greater than 0"));
                None
            }
            Ok(v) if v < Dec::ZERO => {
                self.fail(name, format!("{name}: {text} is negative"));
                None
            }
            Ok(v) if max.is_some_and(|m| v > m) => {
                self.fail(name, format!("{name}: {text} is above the maximum ({})", max.unwrap_or_default()));
                None
            }
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(name, format!("{name}: {e}"));
                None
            }
        }
    }

    /// One of `allowed` (exact spelling).
    pub fn choice(&mut self, name: &str, allowed: &[&'static str]) -> Option<&'static str> {
        let text = self.text(name)?;
        match allowed.iter().find(|a| **a == text) {
            Some(a) => Some(a),
            None => {
                let text = text.to_string();
                self.fail(name, format!("{name}: {text:?} is not one of {}", allowed.join(", ")));
                None
            }
        }
    }

    /// `yes` / `no`.
    pub fn yes_no(&mut self, name: &str) -> Option<bool> {
        self.choice(name, &["yes", "no"]).map(|s| s == "yes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[ColumnSpec] = &[req("subject"), req("arm"), opt("age")];

    #[test]
    fn reads_rows_with_physical_lines() {
        let t = read_table("\u{feff}subject,arm\r\n\r\nS1,ivig\r\nS2, placebo \r\n".as_bytes(), "s.csv", SPEC).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 3);
        assert_eq!(t.rows[1].line, 4);
        let mut errors = LoadErrors::default();
        let c = t.cells(&t.rows[1], &mut errors);
        assert_eq!(c.text("arm"), Some("placebo"));
        assert_eq!(c.text("age"), None);
        assert!(!t.has("age"));
    }

    #[test]
    fn unknown_and_missing_columns_are_named() {
        let e = read_table("subjct,age\n".as_bytes(), "s.csv", SPEC).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("s.csv:1:1: unknown column \"subjct\" (did you mean \"subject\"?)"), "{text}");
        assert!(text.contains("missing required column \"arm\""), "{text}");
    }

    #[test]
    fn bad_cells_are_reported_at_their_position() {
        let t = read_table("subject,arm,age\nS1,ivig,x\nS2,ivig,-3\n".as_bytes(), "s.csv", SPEC).unwrap();
        let mut errors = LoadErrors::default();
        for r in &t.rows {
            let mut c = t.cells(r, &mut errors);
            c.integer("age", 0, 120);
        }
        assert_eq!(
            errors.to_string(),
            "s.csv:2:3: age: \"x\" is not a whole number\ns.csv:3:3: age: -3 is below the minimum (0)"
        );
    }

    #[test]
    fn ragged_rows_and_bad_bytes_fail_the_load() {
        let t = read_table(&b"subject,arm\nS1\nS\xff,ivig\n"[..], "s.csv", SPEC).unwrap();
        assert!(t.rows[0].ragged && !t.rows[1].ragged);
        let e = t.errors;
        assert_eq!(
            e.to_string(),
            "s.csv:2:2: the row has 1 fields but the header has 2\ns.csv:3:1: subject: bytes that are not valid UTF-8"
        );
    }
}
