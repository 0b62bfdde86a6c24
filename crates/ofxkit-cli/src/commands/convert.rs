//! `ofxkit convert FILE...`: statements, accounts or payees to JSON, NDJSON or CSV.

use std::io::{self, Write};

use ofxkit::convert::{AddError, ConvertOptions, Converter, OnError, ReadFailure, Target, What};
use ofxkit::syntax::{Options, Severity};

use crate::cli::{CONVERT_FORMATS, ConvertArgs, OnErrorArg, WhatArg};
use crate::destination::{Output, refuse_overwriting_inputs};
use crate::format::{self, Format};
use crate::input;
use crate::output::{Failure, Status};
use crate::report;
use crate::walk;

pub fn run(args: &ConvertArgs) -> Result<Status, Failure> {
    // Directories are walked as `validate` walks them.
    let listing = walk::list(&args.files, &walk::Extensions::with(&args.ext))?;
    let files = listing.files;
    refuse_overwriting_inputs(args.output.as_deref(), files.iter().map(|p| p.as_path()))?;
    let format =
        format::choose(args.format, args.output.as_deref(), CONVERT_FORMATS, Format::Json)?;
    if super::convert_export::is_export(format) {
        return super::convert_export::run(args, format);
    }
    super::convert_export::refuse_export_options(args)?;
    if matches!(format, Format::Ofx1 | Format::Ofx2) {
        return super::convert_ofx::run(args, format == Format::Ofx1);
    }
    super::convert_ofx::refuse_ofx_options(args)?;
    let options = ConvertOptions {
        target: match format {
            Format::Ndjson => Target::Ndjson,
            Format::Csv => Target::Csv,
            _ => Target::Json,
        },
        what: match args.what {
            None => What::Documents,
            Some(WhatArg::Transactions) => What::Transactions,
            Some(WhatArg::Statements) => What::Statements,
            Some(WhatArg::Accounts) => What::Accounts,
            Some(WhatArg::Payees) => What::Payees,
            Some(WhatArg::Payments) => What::Payments,
            Some(WhatArg::Recurring) => What::Recurring,
        },
        formula_guard: !args.no_formula_guard,
        on_error: match args.on_error {
            OnErrorArg::Mark => OnError::Mark,
            OnErrorArg::Skip => OnError::Skip,
            OnErrorArg::Fail => OnError::Fail,
        },
        show_secrets: args.show_secrets,
    };
    // A missing or unreadable input: named, exit status 2, nothing written.
    let unlisted = listing.errors.len();
    for (path, error) in listing.errors {
        input::ReadError { path, error }.report();
    }
    input::preflight(files.iter().map(|p| p.as_path()), unlisted)?;
    let documents = options.what == What::Documents && options.target == Target::Json;
    // Transaction rows (what CSV and NDJSON write by default) read the input as a stream,
    // holding only part of it at a time.
    let streamed = options.target != Target::Json
        && matches!(options.what, What::Documents | What::Transactions);
    let out = Output::open(args.output.as_deref())?;
    let mut converter = Converter::new(out, options)?;
    let parse_options = Options::default();
    let mut not_ofx = false;
    let mut errors = 0usize;
    let mut warnings = 0usize;
    for path in &files {
        if streamed {
            let input = input::open(path)?;
            let name = input.name;
            let findings = match converter.add_reader(&name, input.reader, &parse_options) {
                Ok(findings) => findings,
                Err(ReadFailure { error: AddError::Parse(e), line_col }) => {
                    if !args.quiet {
                        report::fatal_at(&name, line_col, &e);
                    }
                    not_ofx = true;
                    continue;
                }
                Err(ReadFailure { error: AddError::Io(e), .. }) => return Err(e.into()),
                Err(ReadFailure { error: AddError::Problem { line, problems }, .. }) => {
                    return Ok(stopped(&name, line, &problems));
                }
            };
            let severity = |s| findings.iter().filter(|l| l.diagnostic.severity == s).count();
            errors += severity(Severity::Error);
            warnings += severity(Severity::Warning);
            if !args.quiet {
                let mut err = io::stderr().lock();
                for l in &findings {
                    if l.diagnostic.severity == Severity::Error || args.warnings || args.strict {
                        let _ =
                            writeln!(err, "{}", report::line_at(&name, l.line_col, &l.diagnostic));
                    }
                }
            }
            continue;
        }
        // Checked above: a file that fails now changed since; nothing is committed.
        let input = input::read(path, parse_options.limits.max_input_size)?;
        let (doc, diagnostics) =
            match converter.add_bytes(&input.name, input.bytes(), &parse_options) {
                Ok(r) => r,
                Err(AddError::Parse(e)) => {
                    if !args.quiet {
                        report::fatal(&input.name, input.bytes(), &e);
                    }
                    not_ofx = true;
                    continue;
                }
                Err(AddError::Io(e)) => return Err(e.into()),
                Err(AddError::Problem { line, problems }) => {
                    return Ok(stopped(&input.name, line, &problems));
                }
            };
        errors += diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        warnings += diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        let print_warnings = args.warnings || args.strict;
        let shown: Vec<_> = diagnostics
            .iter()
            .filter(|d| !args.quiet && (d.severity == Severity::Error || print_warnings))
            .collect();
        if !shown.is_empty() {
            // A pass over the whole file: only when a finding is shown.
            let index = doc.syntax().line_index();
            let mut err = io::stderr().lock();
            for d in shown {
                let _ = writeln!(err, "{}", report::line_of(&input.name, &index, d));
            }
        }
    }
    let skipped = converter.skipped_rows();
    let converter_rows = converter.rows_with_problems();
    // Nothing replaces the output file before this line: a failure above (or a stop with
    // --on-error fail) leaves it as it was.
    converter.finish()?.commit()?;
    if skipped > 0 {
        eprintln!("ofxkit: {skipped} row(s) with problems left out (--on-error skip)");
    }
    // What counts: a file that is not OFX, a row with problems; for the whole document,
    // any error; with --strict, any error or warning anywhere.
    let rows = converter_rows;
    let counted =
        not_ofx || rows > 0 || (documents && errors > 0) || (args.strict && errors + warnings > 0);
    if !counted && errors > 0 && !args.quiet {
        eprintln!(
            "ofxkit: note: {errors} error(s) in parts of the input that no row written carries; \
             exit status 0 (--strict counts them)"
        );
    }
    Ok(if counted { Status::FileErrors } else { Status::Ok })
}

/// Says that a row with problems stopped the conversion (`--on-error fail`).
fn stopped(name: &str, line: u32, problems: &[&str]) -> Status {
    let problems = problems.join(", ");
    eprintln!(
        "{}:{line}: error: the row has problems ({}); stopped (--on-error fail)",
        ofxkit::syntax::escape_controls(name),
        ofxkit::syntax::escape_controls(&problems)
    );
    Status::FileErrors
}
