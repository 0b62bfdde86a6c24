//! The deduplicated transactions, in the columns of `ofxkit convert` transaction rows plus
//! `first_session` (the session that first brought each one).
//!
//! Cells are exported as the converter wrote them when they were imported: JSON and NDJSON
//! copy its JSON values; CSV writes their text, guarding text cells against spreadsheet
//! formulas with [`ofxkit::convert::neutralise`] as `convert` does. A column the row was
//! imported without (added to `convert` since) is empty. Rows are sorted by account, posted
//! date, first session and position in the file.

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDate;
use ofxkit::convert::neutralise;
use ofxkit::convert::rows::{TRANSACTION_COLUMNS, TRANSACTION_PREFIX_LEN};

use crate::error::{Error, Result};
use crate::row;
use crate::store::{Store, Value, take};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header line.
    Csv,
    /// One JSON object per line.
    Ndjson,
    /// A JSON array of objects.
    Json,
}

/// Which transactions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// Only the account with this `ACCTID`.
    pub account: Option<String>,
    /// Posted on or after this day.
    pub from: Option<NaiveDate>,
    /// Posted on or before this day.
    pub until: Option<NaiveDate>,
    /// Include the accounts whose consent was revoked.
    pub all: bool,
}

impl ExportFilter {
    /// Appends the filter's conditions to `sql` (after a `WHERE`; accounts are `a`, the
    /// day compared is `day_column`) and returns the texts its `?`s bind, in order.
    pub(crate) fn conditions(&self, day_column: &str, sql: &mut String) -> Vec<String> {
        let mut texts = Vec::new();
        if !self.all {
            sql.push_str(" AND a.consent <> 'revoked'");
        }
        if let Some(a) = &self.account {
            sql.push_str(" AND a.account_id = ?");
            texts.push(a.clone());
        }
        if let Some(f) = self.from {
            sql.push_str(&format!(" AND {day_column} >= ?"));
            texts.push(f.to_string());
        }
        if let Some(u) = self.until {
            sql.push_str(&format!(" AND {day_column} <= ?"));
            texts.push(u.to_string());
        }
        texts
    }
}

/// The columns `ofxkit convert` formats itself (its `Cell::Value`s: counts, codes, dates,
/// amounts): never guarded in CSV. Every other column holds text from the file (or a code
/// the tables do not know, kept as written) and is guarded. A column `convert` gains later
/// is guarded until it is listed here.
pub const VALUE_COLUMNS: &[&str] = &[
    "statement",
    "account_kind",
    "account_type",
    "date_posted",
    "date",
    "date_user",
    "amount",
    "ofc_type",
    "correct_action",
    "units",
    "unit_price",
    "line",
    "problems",
];

/// Writes the transactions `filter` selects to `out`; returns how many.
pub(crate) fn export(
    store: &mut dyn Store,
    filter: &ExportFilter,
    format: Format,
    out: &mut dyn Write,
) -> Result<u64> {
    let mut sql = String::from(
        "SELECT t.cells, p.cells, s.columns, t.line, t.first_session \
         FROM transactions t JOIN accounts a ON a.id = t.account \
         JOIN prefixes p ON p.id = t.prefix JOIN sessions s ON s.id = p.session WHERE 1 = 1",
    );
    let texts = filter.conditions("t.posted", &mut sql);
    let params: Vec<Value<'_>> = texts.iter().map(|t| Value::Text(t)).collect();
    sql.push_str(
        " ORDER BY a.institution, a.kind, a.bank_id, a.branch_id, a.account_id, t.posted, \
         t.first_session, t.position",
    );

    let mut writer = Writer::new(format, out)?;
    let mut layouts: HashMap<String, Vec<Option<usize>>> = HashMap::new();
    let mut count = 0u64;
    store.query(&sql, &params, &mut |mut r| {
        let cells = take(&mut r, 0).into_text().unwrap_or_default();
        let prefix = take(&mut r, 1).into_text().unwrap_or_default();
        let columns = take(&mut r, 2).into_text().unwrap_or_default();
        let line = take(&mut r, 3).int().unwrap_or(0);
        let first_session = take(&mut r, 4).int().unwrap_or(0);
        let layout = layouts.entry(columns).or_insert_with_key(|c| layout(c));
        let cells: Vec<Option<&str>> = row::split(&cells).collect();
        let prefix: Vec<Option<&str>> = row::split(&prefix).collect();
        let mut values: Vec<Option<&str>> = Vec::with_capacity(TRANSACTION_COLUMNS.len());
        for (i, column) in TRANSACTION_COLUMNS.iter().enumerate() {
            let v = if i < TRANSACTION_PREFIX_LEN {
                prefix.get(i).copied().flatten()
            } else {
                match *column {
                    "line" | "problems" => None,
                    _ => layout
                        .get(i)
                        .copied()
                        .flatten()
                        .and_then(|j| cells.get(j).copied().flatten()),
                }
            };
            values.push(v);
        }
        writer.row(&values, line, first_session)?;
        count += 1;
        Ok(())
    })?;
    writer.finish()?;
    Ok(count)
}

/// For each of [`TRANSACTION_COLUMNS`], where a session's stored cells hold it.
fn layout(columns: &str) -> Vec<Option<usize>> {
    let names: Vec<String> = serde_json::from_str(columns).unwrap_or_default();
    TRANSACTION_COLUMNS.iter().map(|c| names.iter().position(|n| n == c)).collect()
}

enum Writer<'w> {
    Csv(Box<csv::Writer<&'w mut dyn Write>>),
    Json { out: &'w mut dyn Write, array: bool, first: bool, line: String },
}

impl<'w> Writer<'w> {
    fn new(format: Format, out: &'w mut dyn Write) -> Result<Writer<'w>> {
        Ok(match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                let mut header: Vec<&str> = TRANSACTION_COLUMNS.to_vec();
                header.push("first_session");
                w.write_record(&header)?;
                Writer::Csv(Box::new(w))
            }
            Format::Ndjson => Writer::Json { out, array: false, first: true, line: String::new() },
            Format::Json => {
                out.write_all(b"[")?;
                Writer::Json { out, array: true, first: true, line: String::new() }
            }
        })
    }

    /// One row: the raw JSON value of each column (`None`: absent), its line and first
    /// session.
    fn row(&mut self, values: &[Option<&str>], line: i64, first_session: i64) -> Result<()> {
        match self {
            Writer::Csv(w) => {
                let mut record: Vec<String> = Vec::with_capacity(values.len() + 1);
                for (column, v) in TRANSACTION_COLUMNS.iter().zip(values) {
                    let cell = match *column {
                        "line" => line.to_string(),
                        "problems" => String::new(),
                        _ => {
                            let text =
                                v.and_then(row::text).map(|t| t.into_owned()).unwrap_or_default();
                            let guard = !VALUE_COLUMNS.contains(column);
                            neutralise(&text, guard).into_owned()
                        }
                    };
                    record.push(cell);
                }
                record.push(first_session.to_string());
                w.write_record(&record)?;
            }
            Writer::Json { out, array, first, line: buf } => {
                buf.clear();
                if *array {
                    if !*first {
                        buf.push(',');
                    }
                    buf.push('\n');
                }
                buf.push('{');
                for (i, (column, v)) in TRANSACTION_COLUMNS.iter().zip(values).enumerate() {
                    if i > 0 {
                        buf.push(',');
                    }
                    buf.push('"');
                    buf.push_str(column);
                    buf.push_str("\":");
                    match *column {
                        "line" => buf.push_str(&line.to_string()),
                        "problems" => buf.push_str("[]"),
                        _ => buf.push_str(v.unwrap_or("null")),
                    }
                }
                buf.push_str(",\"first_session\":");
                buf.push_str(&first_session.to_string());
                buf.push('}');
                if !*array {
                    buf.push('\n');
                }
                *first = false;
                out.write_all(buf.as_bytes()).map_err(Error::from)?;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        match self {
            Writer::Csv(mut w) => w.flush()?,
            Writer::Json { out, array, .. } => {
                if array {
                    out.write_all(b"]\n")?;
                }
                out.flush()?;
            }
        }
        Ok(())
    }
}
