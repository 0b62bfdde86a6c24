//! `ofxkit convert FILE... --to beancount|ledger|qif|parquet`: the transactions of every
//! input as entries of one journal (or a QIF file, or Parquet files).

use std::io::Write;
use std::path::Path;

use ofxkit::export::accounts::AccountMap;
use ofxkit::export::qif::DateOrder;
use ofxkit::export::{Existing, FinishOptions, Journal, JournalTotals};
use ofxkit::syntax::{Options, Severity};

use crate::cli::{ConvertArgs, OnErrorArg, QifDateArg};
use crate::destination::{Output, refuse_overwriting_inputs};
use crate::format::Format;
use crate::input::{self, Input};
use crate::output::{Failure, Status};
use crate::report;
use crate::walk;

/// True for the formats this module writes.
pub fn is_export(format: Format) -> bool {
    matches!(format, Format::Beancount | Format::Ledger | Format::Qif | Format::Parquet)
}

/// Refuses the options of these formats with another `--to`.
pub fn refuse_export_options(args: &ConvertArgs) -> Result<(), Failure> {
    let e = &args.export;
    let given = [
        (e.accounts.is_some(), "--accounts", "beancount, ledger or qif"),
        (e.existing.is_some(), "--existing", "beancount or ledger"),
        (e.qif_date.is_some(), "--qif-date", "qif"),
        (e.partition.is_some(), "--partition", "parquet"),
    ];
    match given.iter().find(|(on, _, _)| *on) {
        Some((_, flag, to)) => Err(Failure::Usage(format!("{flag} goes with --to {to}"))),
        None => Ok(()),
    }
}

/// Refuses an option of these formats given with the wrong one of them.
fn refuse_mismatched(args: &ConvertArgs, format: Format) -> Result<(), Failure> {
    let e = &args.export;
    let wrong = [
        (
            e.accounts.is_some() && format == Format::Parquet,
            "--accounts",
            "beancount, ledger or qif",
        ),
        (
            e.existing.is_some() && !matches!(format, Format::Beancount | Format::Ledger),
            "--existing",
            "beancount or ledger",
        ),
        (e.qif_date.is_some() && format != Format::Qif, "--qif-date", "qif"),
        (e.partition.is_some() && format != Format::Parquet, "--partition", "parquet"),
        (args.what.is_some(), "--what", "json, ndjson or csv"),
        (args.on_error != OnErrorArg::Mark, "--on-error", "json, ndjson or csv"),
    ];
    match wrong.iter().find(|(on, _, _)| *on) {
        Some((_, flag, to)) => Err(Failure::Usage(format!("{flag} goes with --to {to}"))),
        None => Ok(()),
    }
}

/// Reads a file named by an option (`--accounts`, `--existing`) as UTF-8 text.
fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    let shown = input::shown_path(path);
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::Usage(format!(
            "{what} {shown}: {}",
            ofxkit::syntax::escape_controls(&e.to_string())
        ))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        Failure::Usage(format!(
            "{what} {shown}: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

pub fn run(args: &ConvertArgs, format: Format) -> Result<Status, Failure> {
    refuse_mismatched(args, format)?;
    let listing = walk::list(&args.files, &walk::Extensions::with(&args.ext))?;
    let files = listing.files;
    let mut guarded: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    if let Some(x) = &args.export.existing {
        // Writing over the journal read would lose it: append with >> instead.
        guarded.push(x.as_path());
    }
    if format == Format::Parquet {
        #[cfg(feature = "parquet")]
        return super::convert_parquet::run(args, &files, listing.errors);
        #[cfg(not(feature = "parquet"))]
        return Err(Failure::Usage("this ofxkit was built without the parquet feature".to_owned()));
    }
    refuse_overwriting_inputs(args.output.as_deref(), guarded.iter().copied())?;
    let map = match &args.export.accounts {
        Some(p) => AccountMap::from_toml(&read_text(p, "--accounts")?)
            .map_err(|e| Failure::Usage(format!("--accounts {}: {e}", input::shown_path(p))))?,
        None => AccountMap::default(),
    };
    let existing = match &args.export.existing {
        Some(p) => Some(Existing::read(&read_text(p, "--existing")?)),
        None => None,
    };
    let unlisted = listing.errors.len();
    for (path, error) in listing.errors {
        input::ReadError { path, error }.report();
    }
    input::preflight(files.iter().map(|p| p.as_path()), unlisted)?;

    let parse_options = Options::default();
    let mut inputs: Vec<Input> = Vec::with_capacity(files.len());
    for path in &files {
        inputs.push(input::read(path, parse_options.limits.max_input_size)?);
    }
    let mut status = Status::Ok;
    // Each file's plain transactions are taken while it is read; the rest from its model.
    let mut journal = Journal::new();
    for input in &inputs {
        match journal.add_bytes(input.bytes(), &parse_options) {
            Ok(doc) => {
                if print_findings(args, input, &doc) {
                    status = Status::FileErrors;
                }
            }
            Err(e) => {
                if !args.quiet {
                    report::fatal(&input.name, input.bytes(), &e);
                }
                status = Status::FileErrors;
            }
        }
    }
    let journal = journal.finish(&FinishOptions { existing: existing.as_ref() });
    let mut out = Output::open(args.output.as_deref())?;
    match format {
        Format::Beancount => ofxkit::export::beancount::write(&journal, &map, &mut out)?,
        Format::Ledger => ofxkit::export::ledger::write(&journal, &map, &mut out)?,
        _ => {
            let order = match args.export.qif_date {
                None | Some(QifDateArg::Mdy) => DateOrder::Mdy,
                Some(QifDateArg::Dmy) => DateOrder::Dmy,
                Some(QifDateArg::Ymd) => DateOrder::Ymd,
            };
            ofxkit::export::qif::write(&journal, &map, order, &mut out)?
        }
    }
    out.commit()?;
    if !args.quiet {
        notes(&journal.totals(), args.export.existing.as_deref());
    }
    Ok(status)
}

/// Prints a file's findings (errors; warnings with --warnings or --strict); true when they
/// count towards exit status 1.
fn print_findings(args: &ConvertArgs, input: &Input, doc: &ofxkit::Document<'_>) -> bool {
    let diagnostics = doc.diagnostics();
    let print_warnings = args.warnings || args.strict;
    let shown: Vec<_> = diagnostics
        .iter()
        .filter(|d| !args.quiet && (d.severity == Severity::Error || print_warnings))
        .collect();
    if !shown.is_empty() {
        let index = doc.syntax().line_index();
        let mut err = std::io::stderr().lock();
        for d in shown {
            let _ = writeln!(err, "{}", report::line_of(&input.name, &index, d));
        }
    }
    let errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let warnings = diagnostics.iter().any(|d| d.severity == Severity::Warning);
    errors || (args.strict && warnings)
}

/// What was left out or changed, on standard error.
pub fn notes(t: &JournalTotals, existing: Option<&Path>) {
    if t.incomplete > 0 {
        eprintln!("ofxkit: {} transaction(s) without a date or an amount left out", t.incomplete);
    }
    if t.corrected > 0 {
        eprintln!("ofxkit: {} transaction(s) replaced or deleted by a correction", t.corrected);
    }
    if t.unmatched_corrections > 0 {
        eprintln!(
            "ofxkit: {} correction(s) name a transaction not in the output (a REPLACE is \
             written as it is, a DELETE left out)",
            t.unmatched_corrections
        );
    }
    if t.duplicates > 0 {
        eprintln!(
            "ofxkit: {} transaction(s) written once already (same ofxid) left out",
            t.duplicates
        );
    }
    if let Some(p) = existing {
        eprintln!(
            "ofxkit: {} transaction(s) already in {} left out, {} written",
            t.existing,
            input::shown_path(p),
            t.written
        );
    }
}
