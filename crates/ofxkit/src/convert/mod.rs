//! Conversion to JSON, NDJSON and CSV, one output stream for many files.
//!
//! - JSON without `what`: an array with one object per file: `source` plus the whole
//!   [`Model`] (schema: `crates/ofxkit/schema/document.schema.json`).
//! - NDJSON, CSV, and JSON with `what`: one row per transaction, statement, account, payee,
//!   bill payment or recurring-payment model, with the source file in each row. Every value
//!   is a string (amounts as exact decimal text, dates as ISO 8601 with the file's own
//!   offset) or `null`/empty when absent.
//! - CSV text cells (everything that comes from the file) that begin with `=`, `+`, `-`,
//!   `@`, tab, CR or LF get a leading `'` so a spreadsheet shows them instead of running
//!   them; amounts, dates and codes are formatted by ofxkit and left alone, so `-12.50`
//!   stays a number. NUL bytes become U+FFFD.
//!
//! ```
//! use ofxkit::convert::{Converter, ConvertOptions, Target, What};
//! let doc = ofxkit::parse(b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\
//!   <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\
//!   <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-12.50<FITID>A<NAME>=HYPERLINK(\"x\")\
//!   </STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>")?;
//! let options = ConvertOptions { target: Target::Csv, what: What::Transactions, ..Default::default() };
//! let mut conv = Converter::new(Vec::new(), options).unwrap();
//! conv.add("stmt.ofx", &doc).unwrap();
//! let csv = String::from_utf8(conv.finish().unwrap()).unwrap();
//! assert!(csv.contains(",-12.50,DEBIT,,A,\"'=HYPERLINK(\"\"x\"\")\","));
//! # Ok::<(), ofxkit::Error>(())
//! ```

mod cells;
mod document_json;
mod from_read;
pub mod rows;
pub(crate) mod tree_rows;

use std::io::{self, Write};

use serde::Serialize;

use crate::amount::Dialect;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::model::{Model, ModelOptions};
use crate::problems::ProblemIndex;
use crate::read;
use ofxkit_syntax::LineCounter;
use rows::Cell;

pub use cells::{csv_cell, is_formula, neutralise};
pub use from_read::{Located, ReadFailure};

/// The list an offered transaction is in, when it is one whose transactions are taken while
/// the file is read (by the rows, the streamed journal and the streaming validator): the
/// `BANKTRANLIST` of an OFX bank or card statement, or an OFC `ACCTSTMT`'s `STMTRS`, at its
/// place. Returns where its statement starts and the statement's dialect.
pub(crate) fn streamed_list(offered: &ofxkit_syntax::Offered<'_>) -> Option<(u32, Dialect)> {
    const BANK: &[&str] = &["OFX", "BANKMSGSRSV1", "STMTTRNRS", "STMTRS", "BANKTRANLIST"];
    const CARD: &[&str] = &["OFX", "CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS", "BANKTRANLIST"];
    // OFC's DTD has no BANKTRANLIST: one in an OFC file is an unknown element, inside which
    // the syntax layer offers nothing.
    const OFC: &[&str] = &["OFC", "ACCTSTMT", "STMTRS"];
    // The open elements, and which of them is the statement.
    let shapes = [(BANK, 3, Dialect::Ofx), (CARD, 3, Dialect::Ofx), (OFC, 1, Dialect::Ofc)];
    let depth = offered.open_elements().len();
    let (_, at, dialect) = shapes.into_iter().find(|(names, _, _)| {
        depth == names.len() && offered.open_elements().zip(names.iter()).all(|((n, _), m)| n == *m)
    })?;
    let start = offered.open_elements().nth(at).map_or(0, |(_, start)| start);
    Some((start, dialect))
}

/// True when the last statement of `model` (a document read so far) starts at `start`,
/// every statement's transactions so far were taken (none left in the model), and its
/// account and currency are known: the first ones win, so the cells a transaction of it
/// gets are final.
pub(crate) fn last_statement_final(model: &Model<'_>, start: u32, dialect: Dialect) -> bool {
    let Some((last, earlier)) = model.statements.split_last() else { return false };
    let untaken = |s: &crate::model::Statement<'_>| {
        !s.transaction_nodes.is_empty() || !s.investment_transactions.is_empty()
    };
    // OFX names the currency in the statement (CURDEF); the OFC reader never does.
    let currency_final = match dialect {
        Dialect::Ofx => last.currency.is_some(),
        Dialect::Ofc => last.currency.is_none(),
    };
    last.span.start == start
        && last.account.is_some()
        && currency_final
        && !untaken(last)
        && !earlier.iter().any(untaken)
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// JSON (a document array, or a row array with `what`).
    Json,
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values with a header line.
    Csv,
}

/// What to output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// The whole document (JSON only).
    Documents,
    /// One row per transaction.
    Transactions,
    /// One row per statement, with balances.
    Statements,
    /// One row per account.
    Accounts,
    /// One row per payee, with every address field.
    Payees,
    /// One row per payment record (bill pay: add, modify, cancel, inquiry).
    Payments,
    /// One row per recurring-payment model record.
    Recurring,
}

impl What {
    /// The columns of this kind of row.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            What::Transactions | What::Documents => rows::TRANSACTION_COLUMNS,
            What::Statements => rows::STATEMENT_COLUMNS,
            What::Accounts => rows::ACCOUNT_COLUMNS,
            What::Payees => rows::PAYEE_COLUMNS,
            What::Payments => rows::PAYMENT_COLUMNS,
            What::Recurring => rows::RECURRING_COLUMNS,
        }
    }
}

/// What to do with a row that has problems (errors found inside its element).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Write it, with its problems in the `problems` column (the default).
    #[default]
    Mark,
    /// Leave it out (counted: [`Converter::skipped_rows`]).
    Skip,
    /// Stop: the conversion ends with [`AddError::Problem`] at the first such row, which is
    /// not written.
    Fail,
}

/// How to convert.
///
/// The values of secret elements (passwords, keys, tokens:
/// [`ofxkit_syntax::SECRET_ELEMENTS`]) are written `***` unless `show_secrets` is set. (Only
/// the whole document carries them: no row has a column for one.)
///
/// ```
/// use ofxkit::convert::{Converter, ConvertOptions, OnError};
/// let options = ConvertOptions::default();
/// assert!(options.formula_guard);
/// assert_eq!(options.on_error, OnError::Mark);
/// let doc = ofxkit::parse(b"<OFX><SIGNONMSGSRQV1><SONRQ><DTCLIENT>20240105<USERID>jo\
///   <USERPASS>hunter2<LANGUAGE>ENG<APPID>X<APPVER>1</SONRQ></SIGNONMSGSRQV1></OFX>")?;
/// let json = |options: ConvertOptions| {
///     let mut conv = Converter::new(Vec::new(), options).unwrap();
///     conv.add("rq.ofx", &doc).unwrap();
///     String::from_utf8(conv.finish().unwrap()).unwrap()
/// };
/// let redacted = json(ConvertOptions::default());
/// assert!(redacted.contains(r#""name":"USERPASS","path":"OFX/SIGNONMSGSRQV1/SONRQ/USERPASS","text":"***""#));
/// assert!(!redacted.contains("hunter2"));
/// let shown = json(ConvertOptions { show_secrets: true, ..ConvertOptions::default() });
/// assert!(shown.contains(r#""text":"hunter2""#));
/// # Ok::<(), ofxkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvertOptions {
    /// Output format.
    pub target: Target,
    /// Which rows (or the whole document).
    pub what: What,
    /// Neutralise spreadsheet formulas in CSV text cells (on by default in the CLI).
    pub formula_guard: bool,
    /// What to do with a row that has problems.
    pub on_error: OnError,
    /// Write the values of secret elements instead of `***`.
    pub show_secrets: bool,
}

impl Default for ConvertOptions {
    /// The whole document as JSON, formulas guarded, rows with problems marked, secrets
    /// redacted.
    fn default() -> Self {
        ConvertOptions {
            target: Target::Json,
            what: What::Documents,
            formula_guard: true,
            on_error: OnError::Mark,
            show_secrets: false,
        }
    }
}

/// A document with its source name, as written in JSON output.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "Document")]
struct Sourced<'a, 't> {
    /// The file it was read from (`<stdin>` for standard input).
    source: &'a str,
    #[serde(flatten)]
    model: &'a Model<'t>,
}

/// The JSON Schema (draft 2020-12) of `--to json` output without `--what`: an array with
/// one document per file. The same schema is published as
/// `crates/ofxkit/schema/document.schema.json`.
///
/// ```
/// let schema = ofxkit::convert::document_schema();
/// assert_eq!(schema["type"], "array");
/// assert!(schema["$defs"]["Transaction"]["properties"]["fitid"].is_object());
/// ```
pub fn document_schema() -> serde_json::Value {
    // The serialisation contract: fields left out when empty are not required.
    let generator =
        schemars::generate::SchemaSettings::draft2020_12().for_serialize().into_generator();
    let mut schema = generator.into_root_schema_for::<Vec<Sourced<'static, 'static>>>();
    schema.insert("title".into(), "ofxkit documents".into());
    schema.insert(
        "description".into(),
        "What `ofxkit convert --to json` writes: one object per input file, with the file it \
         came from and everything read from it. Amounts are exact decimal strings, dates ISO \
         8601 strings keeping the file's own offset, codes the file's text."
            .into(),
    );
    schema.to_value()
}

/// Why [`Converter::add`] or [`Converter::add_bytes`] did not convert a file (whole).
#[derive(Debug)]
pub enum AddError {
    /// The file could not be read (the error has its position); it is skipped.
    Parse(crate::ParseError),
    /// Writing the output failed.
    Io(io::Error),
    /// With [`OnError::Fail`]: a row has problems. It is not written, nor any row after it.
    Problem {
        /// The line where the row's element starts.
        line: u32,
        /// The codes of the errors found inside it.
        problems: Vec<&'static str>,
    },
}

impl From<io::Error> for AddError {
    fn from(e: io::Error) -> Self {
        AddError::Io(e)
    }
}

impl std::fmt::Display for AddError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AddError::Parse(e) => write!(f, "{e}"),
            AddError::Io(e) => write!(f, "{e}"),
            AddError::Problem { line, problems } => {
                write!(f, "line {line}: the row has problems ({}); stopped", problems.join(", "))
            }
        }
    }
}

impl std::error::Error for AddError {}

impl From<AddError> for io::Error {
    /// The I/O error itself, or the reason the file was not converted as an `other` error.
    fn from(e: AddError) -> Self {
        match e {
            AddError::Io(e) => e,
            e => io::Error::other(e.to_string()),
        }
    }
}

/// Where streaming a file's transactions stands.
struct Stream {
    /// Still writing rows as they are read (off for the rest of the file once a
    /// transaction could not be).
    active: bool,
    /// The cells the rows of the statement being read begin with.
    prefix: Option<Vec<u8>>,
    /// The start of the list (`BANKTRANLIST`, or an OFC `STMTRS`) whose transactions are
    /// being written.
    list: Option<u32>,
    /// The dialect of the statement being read.
    dialect: Dialect,
    /// The slots of the tag names seen so far (their count, and the table).
    slots: Option<(usize, tree_rows::Slots)>,
    /// Writing failed, or a row with problems stopped the conversion.
    failed: Option<AddError>,
    /// The findings of the transactions read into the model while streaming (capped as the
    /// document's are).
    findings: crate::capped::Capped,
}

/// What [`Converter::stream_rows`] read.
struct StreamedRows<'a> {
    /// The document left once the rows streamed were taken out.
    syntax: Result<ofxkit_syntax::Document<'a>, ofxkit_syntax::Error>,
    /// The findings of the rows written.
    findings: Vec<Diagnostic>,
    /// A transaction offered was not taken (the rest of the input is then not streamed).
    declined: bool,
}

/// Writes one output stream from many files.
pub struct Converter<W: Write> {
    out: Option<W>,
    options: ConvertOptions,
    first: bool,
    /// The rows written and not yet handed to `out` (see [`FLUSH_AT`]), the last one maybe
    /// still being written.
    line: Vec<u8>,
    /// Where the row being written starts in `line`.
    row_start: usize,
    /// Read every transaction into the model first, never writing one straight from the
    /// tree: the reference the oracles compare the rows written from the tree with.
    #[cfg(any(test, feature = "fuzz"))]
    pub(crate) through_model_only: bool,
    /// How many transaction rows were written each way (the oracles read them).
    #[cfg(any(test, feature = "fuzz"))]
    pub(crate) row_paths: crate::fuzz::RowPaths,
    /// What the rows written straight from the tree remember (the time zones read).
    memo: tree_rows::Memo,
    /// The line numbers of the file's rows, counted as they are written.
    lines: LineCounter,
    /// When the bytes converted are what is left of a larger input (see `from_read`): how
    /// a line of those bytes maps to a line of the input. Empty otherwise.
    line_map: from_read::LineMap,
    /// The size of the parts an input read from a [`Read`](std::io::Read) is converted
    /// in (see `from_read`); the oracles make it small.
    #[cfg(any(test, feature = "fuzz"))]
    pub(crate) read_part: Option<usize>,
    /// Rows left out because they have problems ([`OnError::Skip`]).
    skipped: u64,
    /// Rows with problems, whatever was done with them.
    with_problems: u64,
    /// The rows of a statement without an account name the statement's kind in
    /// `account_kind` (the Parquet writer's rows, whose `account_kind` is never empty);
    /// off for CSV and JSON, whose cell stays empty.
    #[cfg(feature = "parquet")]
    pub(crate) statement_kind: bool,
    /// Takes the values of each transaction streamed plain (see [`StreamedValues`]) instead
    /// of its row of text: the Parquet writer's, which types them itself. The other rows
    /// are written as text, in order.
    #[cfg(feature = "parquet")]
    pub(crate) values: Option<TakeValues<W>>,
    /// The dates and amounts written for their check when [`values`](Self::values) takes
    /// them.
    #[cfg(feature = "parquet")]
    scratch: Vec<u8>,
    /// The statement prefixes read so far for streamed rows (see
    /// [`StreamedValues::prefix_number`]).
    #[cfg(feature = "parquet")]
    prefixes: u64,
}

/// The values of a transaction streamed plain, handed to [`Converter::values`] instead of
/// its row of text: the same values the row would show, as the file wrote them (checked:
/// every one the reader takes without a remark).
#[cfg(feature = "parquet")]
pub(crate) struct StreamedValues<'r, 't> {
    /// The statement's cells, rendered as the row would begin with them (after the `{`).
    pub(crate) prefix: &'r [u8],
    /// The number of `prefix` in this converter (from 1): the same number, the same
    /// prefix (a prefix read again, for another list or another part of the input, gets
    /// another number).
    pub(crate) prefix_number: u64,
    /// The transaction's fields.
    pub(crate) fields: &'r tree_rows::Fields<'t>,
    /// The statement's dialect.
    pub(crate) dialect: Dialect,
    /// The converter's memory of time zones and types (to read the values with).
    pub(crate) memo: &'r mut tree_rows::Memo,
    /// The row's `problems` cell: the codes of the errors of its references.
    pub(crate) problems: &'r [&'static str],
}

/// What takes a [`StreamedValues`] (given the converter's output).
#[cfg(feature = "parquet")]
pub(crate) type TakeValues<W> = fn(&mut W, StreamedValues<'_, '_>) -> io::Result<()>;

/// A way a transaction row was written, counted for the oracles (see
/// [`crate::fuzz::RowPaths`]); nothing is counted outside the tests and fuzz targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowPath {
    /// Straight from the tree.
    FromTree,
    /// Through the typed model.
    ThroughModel,
    /// While the file was being read.
    Streamed,
    /// Straight from the children the tokenizer read at once.
    FromLeaves,
}

/// Rows are handed to the writer in pieces of about this many bytes, not one by one.
const FLUSH_AT: usize = 1 << 16;

impl<W: Write> Converter<W> {
    /// Starts the stream (writes the CSV header or the opening `[`).
    pub fn new(out: W, options: ConvertOptions) -> io::Result<Self> {
        let mut c = Converter {
            out: None,
            options,
            first: true,
            line: Vec::with_capacity(FLUSH_AT + 4096),
            row_start: 0,
            #[cfg(any(test, feature = "fuzz"))]
            through_model_only: false,
            #[cfg(any(test, feature = "fuzz"))]
            row_paths: crate::fuzz::RowPaths::default(),
            memo: tree_rows::Memo::default(),
            lines: LineCounter::new(),
            line_map: from_read::LineMap::default(),
            #[cfg(any(test, feature = "fuzz"))]
            read_part: None,
            skipped: 0,
            with_problems: 0,
            #[cfg(feature = "parquet")]
            statement_kind: false,
            #[cfg(feature = "parquet")]
            values: None,
            #[cfg(feature = "parquet")]
            scratch: Vec::new(),
            #[cfg(feature = "parquet")]
            prefixes: 0,
        };
        let what = if options.what == What::Documents && options.target != Target::Json {
            What::Transactions
        } else {
            options.what
        };
        c.options.what = what;
        match options.target {
            Target::Csv => {
                let mut out = out;
                for (i, name) in what.columns().iter().enumerate() {
                    if i > 0 {
                        c.line.push(b',');
                    }
                    cells::csv_field(&mut c.line, name.as_bytes());
                }
                c.line.push(b'\n');
                out.write_all(&c.line)?;
                c.line.clear();
                c.out = Some(out);
            }
            Target::Json => {
                let mut out = out;
                out.write_all(b"[")?;
                c.out = Some(out);
            }
            Target::Ndjson => c.out = Some(out),
        }
        Ok(c)
    }

    /// Converts one file; returns the findings made while reading it into the model (the
    /// syntax layer's included).
    ///
    /// Every row ends with `line` (where its element starts) and `problems` (the codes of
    /// the errors found inside it); [`ConvertOptions::on_error`] says what happens to a row
    /// with problems.
    pub fn add(&mut self, source: &str, doc: &Document<'_>) -> Result<Vec<Diagnostic>, AddError> {
        let what = self.options.what;
        self.lines = LineCounter::new();
        if what == What::Transactions {
            return self.add_transactions(source, doc, Vec::new());
        }
        if what == What::Statements && self.rows_from_tree() {
            return self.add_statements(source, doc);
        }
        if what == What::Documents && self.rows_from_tree() {
            // Written as it is read (see `document_json`); the reference below reads the
            // whole model first.
            self.flush_rows()?;
            let Some(out) = self.out.as_mut() else { return Ok(Vec::new()) };
            if !self.first {
                out.write_all(b",\n")?;
            }
            self.first = false;
            let options = ModelOptions { show_secrets: self.options.show_secrets };
            return Ok(document_json::write(out, source, doc, &options)?);
        }
        let model = doc.model_with(&ModelOptions { show_secrets: self.options.show_secrets });
        let diagnostics = model.diagnostics.clone();
        if what == What::Documents {
            self.flush_rows()?;
            if let Some(out) = self.out.as_mut() {
                if !self.first {
                    out.write_all(b",\n")?;
                }
                self.first = false;
                serde_json::to_writer(&mut *out, &Sourced { source, model: &model })
                    .map_err(io::Error::other)?;
            }
            return Ok(diagnostics);
        }
        let text = doc.syntax().source();
        let index = &model.errors;
        let mut problems = Vec::new();
        if what == What::Statements {
            // The reference the oracles compare `add_statements` with: every statement
            // read into the model first.
            for s in &model.statements {
                let row = rows::statement_row(source, s.ordinal, s);
                problems.clear();
                index.within(s.span, &mut problems);
                let line = self.lines.line(text, s.span.start);
                self.write_row(&row, line, &problems)?;
            }
            self.flush_rows()?;
            return Ok(diagnostics);
        }
        let rows: Vec<rows::Row<'_>> = match what {
            What::Accounts => rows::account_rows(source, &model),
            What::Payments => rows::payment_rows(source, &model),
            What::Recurring => rows::recurring_rows(source, &model),
            _ => rows::payee_rows(source, &model),
        };
        for (span, row) in &rows {
            problems.clear();
            index.within(*span, &mut problems);
            let line = self.lines.line(text, span.start);
            self.write_row(row, line, &problems)?;
        }
        self.flush_rows()?;
        Ok(diagnostics)
    }

    /// Statement rows: each written as soon as its statement is read, which is then dropped
    /// (its transactions only counted and summed), so a file of a million statements or
    /// transactions never holds them all. The rows and findings are those of reading the
    /// whole model first (the oracles compare the two).
    fn add_statements(
        &mut self,
        source: &str,
        doc: &Document<'_>,
    ) -> Result<Vec<Diagnostic>, AddError> {
        let syntax = doc.syntax();
        let text = syntax.source();
        // The syntax layer's errors are known before reading; the reader's come with each
        // statement.
        let index = ProblemIndex::with_open_ends(read::syntax_errors(syntax), syntax.tree());
        let options = ModelOptions { show_secrets: self.options.show_secrets };
        let mut result = Ok(());
        let mut problems = Vec::new();
        let mut write = |s: crate::model::Statement<'_>, errors: &[(u32, &'static str)]| {
            if result.is_err() {
                return;
            }
            let row = rows::statement_row(source, s.ordinal, &s);
            problems.clear();
            index.within_any(s.span, errors, &mut problems);
            let line = self.lines.line(text, s.span.start);
            result = self.write_row(&row, line, &problems);
        };
        let diagnostics =
            read::read_statements_into(syntax, &options, doc.findings_cap(), &mut write)
                .diagnostics;
        result?;
        self.flush_rows()?;
        Ok(diagnostics)
    }

    /// Reads and converts one file from its bytes: what [`add`](Self::add) does after
    /// [`parse_with`](crate::parse_with), returning the document too. For transaction rows of
    /// OFX bank and credit-card statements and OFC statements it streams: each plain `STMTTRN` is written as soon
    /// as it is read and then dropped from the tree, so the file's transactions are never
    /// held all at once (memory stays near the size of the file) and each is written while
    /// its bytes are still in the cache. The rows and findings are those of
    /// [`add`](Self::add) on the whole document.
    ///
    /// A file that fails to parse gives [`AddError::Parse`] and adds no row, except for a
    /// file that streams and hits a hard limit (nesting depth, text length, element count)
    /// part-way: the rows read before that point have then been written.
    ///
    /// ```
    /// use ofxkit::convert::{Converter, ConvertOptions, Target, What};
    /// let file = b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\
    ///   <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\
    ///   <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-12.50<FITID>A</STMTTRN>\
    ///   </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
    /// let options = ConvertOptions { target: Target::Csv, what: What::Transactions, ..Default::default() };
    /// let mut conv = Converter::new(Vec::new(), options)?;
    /// let (doc, _findings) = conv.add_bytes("a.ofx", file, &Default::default()).unwrap();
    /// // The transaction was written, and is no longer in the tree.
    /// assert!(doc.syntax().root().descendants().all(|e| e.name() != "STMTTRN"));
    /// let csv = String::from_utf8(conv.finish()?).unwrap();
    /// assert!(csv.contains(",2024-01-05,,-12.50,DEBIT,,A,"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn add_bytes<'a>(
        &mut self,
        source: &str,
        bytes: &'a [u8],
        options: &ofxkit_syntax::Options,
    ) -> Result<(Document<'a>, Vec<Diagnostic>), AddError> {
        if self.options.what != What::Transactions || !self.rows_from_tree() {
            let doc = crate::parse_with(bytes, options).map_err(AddError::Parse)?;
            let findings = self.add(source, &doc)?;
            return Ok((doc, findings));
        }
        self.lines = LineCounter::new();
        let streamed = self.stream_rows(source, bytes, options, None, &[])?;
        let doc = Document::from_syntax(streamed.syntax.map_err(AddError::Parse)?);
        let findings = self.add_transactions(source, &doc, streamed.findings)?;
        Ok((doc, findings))
    }

    /// The streaming part of [`add_bytes`](Self::add_bytes): reads `bytes`, writing the rows
    /// of the transactions offered as they are read; records where each one taken starts
    /// and ends in `taken` (with the start of its parent and its leaves without end tag);
    /// takes those starting at `written` without writing them. Returns the document left (or why it could not be read: the rows
    /// read before that point are written) and the findings of the rows written.
    fn stream_rows<'a>(
        &mut self,
        source: &str,
        bytes: &'a [u8],
        options: &ofxkit_syntax::Options,
        taken: Option<&mut Vec<[u32; 4]>>,
        written: &[u32],
    ) -> Result<StreamedRows<'a>, AddError> {
        let mut stream = Stream {
            active: true,
            prefix: None,
            list: None,
            dialect: Dialect::Ofx,
            slots: None,
            failed: None,
            findings: crate::capped::Capped::new(options.limits.max_findings_per_code),
        };
        // Decided once, not for each transaction: the rows of text cost what they did.
        #[cfg(feature = "parquet")]
        let values = self.values.is_some();
        #[cfg(not(feature = "parquet"))]
        let values = false;
        let syntax = if values {
            self.offering::<true>(source, bytes, options, taken, written, &mut stream)
        } else {
            self.offering::<false>(source, bytes, options, taken, written, &mut stream)
        };
        if let Some(e) = stream.failed {
            return Err(e);
        }
        // The rows read before an error are written (see above).
        self.flush_rows()?;
        Ok(StreamedRows { syntax, findings: stream.findings.finish(), declined: !stream.active })
    }

    /// The reading of [`stream_rows`](Self::stream_rows), each transaction offered taken by
    /// [`take_streamed`](Self::take_streamed) (`VALUES`: handed to
    /// [`values`](Self::values) when plain).
    fn offering<'a, const VALUES: bool>(
        &mut self,
        source: &str,
        bytes: &'a [u8],
        options: &ofxkit_syntax::Options,
        mut taken: Option<&mut Vec<[u32; 4]>>,
        written: &[u32],
        stream: &mut Stream,
    ) -> Result<ofxkit_syntax::Document<'a>, ofxkit_syntax::Error> {
        let mut take = |offered: &ofxkit_syntax::Offered<'_>| -> bool {
            // Written before (see `from_read`): left out of the tree, not written again.
            if written.binary_search(&offered.start()).is_ok() {
                return true;
            }
            let was_taken = self.take_streamed::<VALUES>(source, offered, stream);
            if !was_taken {
                stream.active = false;
            } else if let Some(list) = taken.as_deref_mut() {
                let parent = offered.open_elements().next_back().map_or(0, |(_, at)| at);
                let omitted = offered.leaves_without_end_tag() as u32;
                list.push([offered.start(), offered.end(), parent, omitted]);
            }
            was_taken
        };
        let options = crate::with_dtd(options);
        ofxkit_syntax::parse_streaming(bytes, &options, "STMTTRN", &mut take)
    }

    /// The line of the row whose element starts at `offset` of `text` (see `line_map`).
    fn row_line(&mut self, text: &[u8], offset: u32) -> u32 {
        let line = self.lines.line(text, offset);
        self.line_map.line(offset, line)
    }

    /// Writes an offered `STMTTRN`'s row; `false` (and nothing written) when it must stay
    /// in the tree: it is not in a list [`enter_list`](Self::enter_list) accepts (an OFX bank
    /// or card statement's `BANKTRANLIST`, an OFC statement's `STMTRS`), its statement's
    /// account or currency is not known yet, or a row before it is still to come.
    fn take_streamed<const VALUES: bool>(
        &mut self,
        source: &str,
        offered: &ofxkit_syntax::Offered<'_>,
        stream: &mut Stream,
    ) -> bool {
        if !stream.active {
            return false;
        }
        // The list it is in: checked once per list.
        let Some((_, list)) = offered.open_elements().next_back() else { return false };
        if stream.list != Some(list) {
            if !self.enter_list(source, offered, stream) {
                return false;
            }
            #[cfg(feature = "parquet")]
            {
                self.prefixes += 1;
            }
        }
        stream.list = Some(list);
        let names = offered.names().len();
        if stream.slots.as_ref().is_none_or(|(n, _)| *n != names) {
            stream.slots = Some((names, tree_rows::Slots::of_names(offered.names())));
        }
        let (Some(prefix), Some((_, slots))) = (&stream.prefix, &stream.slots) else {
            return false;
        };
        let dialect = stream.dialect;
        #[cfg(feature = "parquet")]
        if VALUES
            && let Some(take) = self.values
            && self.options.on_error == OnError::Mark
            && let Some(fields) = tree_rows::checked_values(
                offered.plain_leaves(),
                || offered.element(),
                slots,
                dialect,
                &mut self.memo,
                &mut self.scratch,
            )
        {
            let mut problems = Vec::new();
            for &(_, code) in offered.reference_errors() {
                crate::problems::add(&mut problems, code);
            }
            if !problems.is_empty() {
                self.with_problems += 1;
            }
            self.count(RowPath::FromTree);
            self.count(RowPath::Streamed);
            // The text rows before it first: the rows stay in order.
            let result = self.flush_rows().and_then(|()| match self.out.as_mut() {
                Some(out) => take(
                    out,
                    StreamedValues {
                        prefix,
                        prefix_number: self.prefixes,
                        fields: &fields,
                        dialect,
                        memo: &mut self.memo,
                        problems: &problems,
                    },
                ),
                None => Ok(()),
            });
            if let Err(e) = result {
                stream.failed = Some(AddError::Io(e));
                stream.active = false;
            }
            return true;
        }
        let line = self.row_line(offered.source(), offered.start());
        let mut problems = Vec::new();
        let from_tree = match offered.plain_leaves() {
            Some(leaves) => {
                self.count(RowPath::FromLeaves);
                self.start_row(prefix);
                let style = self.style();
                tree_rows::transaction_leaves(
                    &mut self.line,
                    style,
                    leaves,
                    slots,
                    dialect,
                    &mut self.memo,
                )
            }
            None => self.write_from_tree(prefix, offered.element(), slots, dialect),
        };
        if from_tree {
            self.count(RowPath::FromTree);
            // The errors its references will be reported with, by position.
            for &(_, code) in offered.reference_errors() {
                crate::problems::add(&mut problems, code);
            }
        } else {
            let element = offered.element();
            // Read into the model, as `add` would; its findings keep their order.
            let format = match dialect {
                Dialect::Ofx => ofxkit_syntax::Format::Ofx1,
                Dialect::Ofc => ofxkit_syntax::Format::Ofc,
            };
            let mut ctx = read::Ctx::new(element.tree(), format);
            ctx.path_prefix =
                Some(offered.open_elements().map(|(n, _)| n).collect::<Vec<_>>().join("/"));
            let t = read::read_transaction(element, &mut ctx);
            // Its own errors and those of its references (an offered element has no other
            // syntax finding inside).
            ctx.errors.extend_from_slice(offered.reference_errors());
            ProblemIndex::default().within_and(element.span(), &ctx.errors, &mut problems);
            stream.findings.extend(ctx.take_findings());
            self.write_read(prefix, &t);
            self.count(RowPath::ThroughModel);
        }
        self.count(RowPath::Streamed);
        if let Err(e) = self.end_row(line, &problems) {
            stream.failed = Some(e);
            stream.active = false;
        }
        true
    }

    /// Checks the list an offered transaction is in (the `BANKTRANLIST` of an OFX bank or
    /// card statement, or an OFC `ACCTSTMT`'s `STMTRS`, at its place) and reads its
    /// statement's prefix; `false` when its transactions cannot be streamed.
    fn enter_list(
        &self,
        source: &str,
        offered: &ofxkit_syntax::Offered<'_>,
        stream: &mut Stream,
    ) -> bool {
        let Some((statement_start, dialect)) = streamed_list(offered) else { return false };
        stream.dialect = dialect;
        // Read again for every list: a transaction left in the tree before it (one the
        // syntax layer did not offer) must stop the streaming.
        let Some(prefix) = self.statement_prefix(source, offered, statement_start, dialect) else {
            return false;
        };
        stream.prefix = Some(prefix);
        true
    }

    /// The rendered cells that begin each row of the statement starting at `start`, read
    /// from the document so far; `None` unless the statement is the last one so far, every
    /// row before it was written, and its account and currency are known (the first ones
    /// win, so they are final).
    fn statement_prefix(
        &self,
        source: &str,
        offered: &ofxkit_syntax::Offered<'_>,
        start: u32,
        dialect: Dialect,
    ) -> Option<Vec<u8>> {
        let so_far = offered.document_so_far()?;
        let model = read::read_model(&so_far, false, 0);
        if !last_statement_final(&model, start, dialect) {
            return None;
        }
        let last = model.statements.last()?;
        let mut row = Vec::new();
        rows::transaction_prefix(source, last.ordinal, last, &mut row);
        let mut prefix = Vec::new();
        Self::render_cells(&self.options, &mut prefix, &row);
        Some(prefix)
    }

    /// Transactions stream: statements are read without their transactions, which are then
    /// written one at a time: straight from the tree when they are plain (see `tree_rows`), read
    /// into the model first otherwise.
    ///
    /// `streamed` holds the findings of rows already written while the file was read: they
    /// come after the model's findings and before those of the rows written here.
    fn add_transactions(
        &mut self,
        source: &str,
        doc: &Document<'_>,
        streamed: Vec<Diagnostic>,
    ) -> Result<Vec<Diagnostic>, AddError> {
        let (model, rows) = self.transaction_rows(source, doc)?;
        // One cap over the three lists: one summary per capped code.
        let mut all = crate::capped::Capped::new(doc.findings_cap());
        all.extend(model);
        all.extend(streamed);
        all.extend(rows);
        Ok(all.finish())
    }

    /// The rows of [`add_transactions`](Self::add_transactions); returns the model's
    /// findings and those of the rows read into the model.
    fn transaction_rows(
        &mut self,
        source: &str,
        doc: &Document<'_>,
    ) -> Result<(Vec<Diagnostic>, Vec<Diagnostic>), AddError> {
        let syntax = doc.syntax();
        let cap = doc.findings_cap();
        let mut model = read::read_model_for_rows(syntax, cap);
        let text = syntax.source();
        let mut problems = Vec::new();
        let mut ctx = read::Ctx::new(syntax.tree(), syntax.format()).with_cap(cap);
        let mut row: Vec<Cell<'_>> = Vec::with_capacity(rows::TRANSACTION_COLUMNS.len());
        let mut prefix = Vec::new();
        let slots = tree_rows::Slots::new(syntax.tree());
        let mut result = Ok(());
        'statements: for statement in model.statements.iter() {
            rows::transaction_prefix(source, statement.ordinal, statement, &mut row);
            #[cfg(feature = "parquet")]
            if self.statement_kind
                && statement.account.is_none()
                && let Some(kind) = row.get_mut(2)
            {
                *kind = Cell::Value(std::borrow::Cow::Borrowed(statement.kind.as_str()));
            }
            prefix.clear();
            Self::render_cells(&self.options, &mut prefix, &row);
            // Bank transactions and investment transactions, in file order.
            let mut invest = statement.investment_transactions.iter().peekable();
            let bank = read::transaction_elements(syntax.tree(), statement);
            let mut bank = bank.into_iter().peekable();
            loop {
                let next_bank = bank.peek().map(|(el, _)| el.span().start);
                let next_invest = invest.peek().map(|t| t.span.start);
                let invest_first = match (next_bank, next_invest) {
                    (None, None) => break,
                    (Some(b), Some(v)) => v < b,
                    (None, Some(_)) => true,
                    (Some(_), None) => false,
                };
                if invest_first {
                    let Some(t) = invest.next() else { break };
                    let at = statement.ordinal;
                    rows::investment_row(source, at, statement, t, &model.securities, &mut row);
                    let line = self.row_line(text, t.span.start);
                    result = self.write_row(&row, line, &t.problems);
                } else {
                    let Some((el, fund)) = bank.next() else { break };
                    problems.clear();
                    if self.rows_from_tree()
                        && self.write_from_tree(&prefix, el, &slots, ctx.dialect)
                    {
                        model.errors.within(el.span(), &mut problems);
                        self.count(RowPath::FromTree);
                    } else {
                        self.count(RowPath::ThroughModel);
                        let mut t = read::read_transaction(el, &mut ctx);
                        t.sub_account_fund =
                            fund.filter(|f| !f.closed_by_recovery()).and_then(|f| f.text());
                        // Its own errors, whatever the cap kept; then none are kept.
                        model.errors.within_and(el.span(), &ctx.errors, &mut problems);
                        ctx.errors.clear();
                        self.write_read(&prefix, &t);
                    }
                    let line = self.row_line(text, el.span().start);
                    result = self.end_row(line, &problems);
                }
                if result.is_err() {
                    break 'statements;
                }
            }
        }
        result?;
        self.flush_rows()?;
        Ok((std::mem::take(&mut model.diagnostics), ctx.take_findings()))
    }

    /// Writes a plain transaction's row into `line` from the tree; `false` when it is not
    /// plain (see `tree_rows`).
    fn write_from_tree(
        &mut self,
        prefix: &[u8],
        el: ofxkit_syntax::Element<'_>,
        slots: &tree_rows::Slots,
        dialect: Dialect,
    ) -> bool {
        self.start_row(prefix);
        let style = self.style();
        tree_rows::transaction(&mut self.line, style, el, slots, dialect, &mut self.memo)
    }

    /// Writes the row of a transaction read into the model into `line`.
    fn write_read(&mut self, prefix: &[u8], t: &crate::model::Transaction<'_>) {
        let mut cells = Vec::with_capacity(rows::TRANSACTION_COLUMNS.len());
        rows::transaction_cells(t, &mut cells);
        self.start_row(prefix);
        Self::render_cells_from(
            &self.options,
            &mut self.line,
            &cells,
            rows::TRANSACTION_PREFIX_LEN,
        );
    }

    /// Whether plain transactions are written straight from the tree: always, but in the
    /// oracles' reference runs ([`through_model_only`](Self::through_model_only)).
    #[inline(always)]
    fn rows_from_tree(&self) -> bool {
        #[cfg(any(test, feature = "fuzz"))]
        return !self.through_model_only;
        #[cfg(not(any(test, feature = "fuzz")))]
        true
    }

    /// Counts a row written `path`'s way (for the oracles; nothing otherwise).
    #[inline(always)]
    fn count(&mut self, path: RowPath) {
        #[cfg(any(test, feature = "fuzz"))]
        {
            let p = &mut self.row_paths;
            match path {
                RowPath::FromTree => p.from_tree += 1,
                RowPath::ThroughModel => p.through_model += 1,
                RowPath::Streamed => p.streamed += 1,
                RowPath::FromLeaves => p.leaves += 1,
            }
        }
        #[cfg(not(any(test, feature = "fuzz")))]
        let _ = path;
    }

    /// Starts a transaction row in `line` with its statement's rendered cells.
    fn start_row(&mut self, prefix: &[u8]) {
        self.line.truncate(self.row_start);
        self.open_row();
        self.line.extend_from_slice(prefix);
    }

    fn style(&self) -> cells::Style {
        cells::Style::of(&self.options)
    }

    /// Starts a row in `line`: the separator between JSON rows and the opening brace.
    fn open_row(&mut self) {
        match self.options.target {
            Target::Csv => {}
            Target::Json => {
                if !self.first {
                    self.line.push(b',');
                }
                self.line.extend_from_slice(b"\n{");
            }
            Target::Ndjson => self.line.push(b'{'),
        }
    }

    /// Ends the row in `line`; writes the rows when they are [`FLUSH_AT`] bytes or more.
    fn emit(&mut self) -> io::Result<()> {
        match self.options.target {
            Target::Csv => self.line.push(b'\n'),
            Target::Json => self.line.push(b'}'),
            Target::Ndjson => self.line.extend_from_slice(b"}\n"),
        }
        self.first = false;
        self.row_start = self.line.len();
        if self.row_start >= FLUSH_AT {
            return self.flush_rows();
        }
        Ok(())
    }

    /// Hands the rows written so far to `out`.
    fn flush_rows(&mut self) -> io::Result<()> {
        let rows = self.line.get(..self.row_start).unwrap_or_default();
        if !rows.is_empty()
            && let Some(out) = self.out.as_mut()
        {
            out.write_all(rows)?;
        }
        self.line.clear();
        self.row_start = 0;
        Ok(())
    }

    /// Appends `cells` to `line`, comma-separated (CSV) or as `"column":value` members
    /// (JSON), naming them from the first column of this kind of row.
    fn render_cells(options: &ConvertOptions, line: &mut Vec<u8>, cells: &[Cell<'_>]) {
        Self::render_cells_from(options, line, cells, 0);
    }

    /// [`render_cells`](Self::render_cells) for cells that begin at column `first`.
    fn render_cells_from(
        options: &ConvertOptions,
        line: &mut Vec<u8>,
        cells: &[Cell<'_>],
        first: usize,
    ) {
        let columns = options.what.columns().get(first..).unwrap_or_default();
        let style = cells::Style::of(options);
        for (i, (name, cell)) in columns.iter().zip(cells).enumerate() {
            if i + first > 0 {
                line.push(b',');
            }
            if style == cells::Style::Json {
                // Column names are plain ASCII identifiers: no escaping needed.
                line.push(b'"');
                line.extend_from_slice(name.as_bytes());
                line.extend_from_slice(b"\":");
            }
            cells::cell_body(line, style, cell);
        }
    }

    /// Writes a row of cells (up to [`rows::ROW_TAIL`]), its line and its problems.
    fn write_row(
        &mut self,
        row: &[Cell<'_>],
        line: u32,
        problems: &[&'static str],
    ) -> Result<(), AddError> {
        self.line.truncate(self.row_start);
        self.open_row();
        Self::render_cells(&self.options, &mut self.line, row);
        self.end_row(line, problems)
    }

    /// Ends the row being written with its [`rows::ROW_TAIL`] cells, or drops it (a row with
    /// problems under [`OnError::Skip`] or [`OnError::Fail`]).
    fn end_row(&mut self, line: u32, problems: &[&'static str]) -> Result<(), AddError> {
        if !problems.is_empty() {
            self.with_problems += 1;
            match self.options.on_error {
                OnError::Mark => {}
                OnError::Skip => {
                    self.line.truncate(self.row_start);
                    self.skipped += 1;
                    return Ok(());
                }
                OnError::Fail => {
                    self.line.truncate(self.row_start);
                    return Err(AddError::Problem { line, problems: problems.to_vec() });
                }
            }
        }
        self.write_tail(line, problems);
        self.emit().map_err(AddError::Io)
    }

    /// Appends the `line` and `problems` cells: in CSV the number and the codes separated
    /// by spaces; in JSON a number and an array of strings.
    fn write_tail(&mut self, line: u32, problems: &[&'static str]) {
        let mut digits = itoa::Buffer::new();
        let line = digits.format(line).as_bytes();
        match self.options.target {
            Target::Csv => {
                self.line.push(b',');
                self.line.extend_from_slice(line);
                self.line.push(b',');
                for (i, code) in problems.iter().enumerate() {
                    if i > 0 {
                        self.line.push(b' ');
                    }
                    // Codes are ASCII letters, digits and '-': no quoting or guard needed.
                    self.line.extend_from_slice(code.as_bytes());
                }
            }
            Target::Ndjson | Target::Json => {
                self.line.extend_from_slice(b",\"line\":");
                self.line.extend_from_slice(line);
                self.line.extend_from_slice(b",\"problems\":[");
                for (i, code) in problems.iter().enumerate() {
                    if i > 0 {
                        self.line.push(b',');
                    }
                    cells::json_string(&mut self.line, code);
                }
                self.line.push(b']');
            }
        }
    }

    /// Rows left out so far because they have problems ([`OnError::Skip`]).
    pub fn skipped_rows(&self) -> u64 {
        self.skipped
    }

    /// Rows with problems so far (a `problems` cell that is not empty): written marked
    /// ([`OnError::Mark`]), left out ([`OnError::Skip`]) or the one that stopped the
    /// conversion ([`OnError::Fail`]). An error in a part of the file that no row carries
    /// (the sign-on, a statement's dates when transactions are written) is not counted.
    ///
    /// ```
    /// use ofxkit::convert::{Converter, ConvertOptions, Target, What};
    /// // DTSERVER (sign-on) and the second TRNAMT are not valid.
    /// let file = b"<OFX><SIGNONMSGSRSV1><SONRS><DTSERVER>00000000000000</SONRS></SIGNONMSGSRSV1>\
    ///   <BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\
    ///   <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\
    ///   <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-12.50<FITID>A</STMTTRN>\
    ///   <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240106<TRNAMT>x<FITID>B</STMTTRN>\
    ///   </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
    /// let options = ConvertOptions { target: Target::Csv, what: What::Transactions, ..Default::default() };
    /// let mut conv = Converter::new(Vec::new(), options)?;
    /// let (_, findings) = conv.add_bytes("a.ofx", file, &Default::default()).unwrap();
    /// assert!(findings.iter().any(|f| f.path.as_deref().is_some_and(|p| p.ends_with("DTSERVER"))));
    /// assert_eq!(conv.rows_with_problems(), 1);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn rows_with_problems(&self) -> u64 {
        self.with_problems
    }

    /// Ends the stream and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush_rows()?;
        let mut out =
            self.out.take().ok_or_else(|| io::Error::other("converter already finished"))?;
        if self.options.target == Target::Json {
            out.write_all(b"]\n")?;
        }
        out.flush()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &[u8] = b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\
        <BANKACCTFROM><BANKID>1<ACCTID>-42<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\
        <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-12.50<FITID>=1+1\
        <NAME>@SUM(A1)<MEMO>+44 call</STMTTRN>\
        <STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240106<TRNAMT>+3<FITID>2\
        <NAME>Plain &amp; simple<MEMO>-minus</STMTTRN>\
        </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";

    fn csv(guard: bool) -> Vec<csv::StringRecord> {
        let doc = crate::parse(FILE).expect("parses");
        let options = ConvertOptions {
            target: Target::Csv,
            what: What::Transactions,
            formula_guard: guard,
            ..Default::default()
        };
        let mut conv = Converter::new(Vec::new(), options).expect("in memory");
        conv.add("a.ofx", &doc).expect("in memory");
        let out = conv.finish().expect("in memory");
        csv::Reader::from_reader(out.as_slice()).records().map(|r| r.expect("valid CSV")).collect()
    }

    fn column(name: &str) -> usize {
        rows::TRANSACTION_COLUMNS.iter().position(|c| *c == name).expect("column")
    }

    #[test]
    fn csv_text_cells_are_guarded_and_values_are_not() {
        let rows = csv(true);
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][column("name")], "'@SUM(A1)");
        assert_eq!(&rows[0][column("memo")], "'+44 call");
        assert_eq!(&rows[0][column("fitid")], "'=1+1");
        assert_eq!(
            &rows[0][column("account_id")],
            "-42",
            "an identifier that is a number stays as it is"
        );
        assert_eq!(&rows[0][column("amount")], "-12.50", "amounts stay numeric");
        assert_eq!(&rows[0][column("date_posted")], "2024-01-05");
        assert_eq!(&rows[1][column("amount")], "3");
        assert_eq!(&rows[1][column("name")], "Plain & simple");
        assert_eq!(&rows[1][column("memo")], "'-minus");
    }

    #[test]
    fn no_formula_guard_writes_text_as_is() {
        let rows = csv(false);
        assert_eq!(&rows[0][column("name")], "@SUM(A1)");
        assert_eq!(&rows[0][column("fitid")], "=1+1");
        assert_eq!(&rows[1][column("memo")], "-minus");
    }

    #[test]
    fn ndjson_is_never_guarded() {
        let doc = crate::parse(FILE).expect("parses");
        let options = ConvertOptions {
            target: Target::Ndjson,
            what: What::Transactions,
            ..ConvertOptions::default()
        };
        let mut conv = Converter::new(Vec::new(), options).expect("in memory");
        conv.add("a.ofx", &doc).expect("in memory");
        let out = String::from_utf8(conv.finish().expect("in memory")).expect("UTF-8");
        let first: serde_json::Value =
            serde_json::from_str(out.lines().next().expect("a line")).expect("JSON");
        assert_eq!(first["name"], "@SUM(A1)");
        assert_eq!(first["amount"], "-12.50");
        assert_eq!(out.lines().count(), 2);
    }
}
