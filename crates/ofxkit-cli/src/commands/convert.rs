//! `ofxkit convert FILE...`: statements, accounts or payees to JSON, NDJSON or CSV.

use std::fs::File;
use std::io::{self, BufWriter, Write};

use ofxkit::convert::{AddError, ConvertOptions, Converter, OnError, Target, What};
use ofxkit::syntax::{Options, Severity};

use crate::cli::{ConvertArgs, OnErrorArg, To, WhatArg};
use crate::input;
use crate::output::{Failure, Status};
use crate::report;

pub fn run(args: &ConvertArgs) -> Result<Status, Failure> {
    let options = ConvertOptions {
        target: match args.to {
            To::Json => Target::Json,
            To::Ndjson => Target::Ndjson,
            To::Csv => Target::Csv,
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
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::with_capacity(1 << 16, File::create(path)?)),
        None => Box::new(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
    };
    let mut converter = Converter::new(out, options)?;
    let parse_options = Options::default();
    let mut status = Status::Ok;
    for path in &args.files {
        let input = match input::read(path, parse_options.limits.max_input_size) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{}: error: {e}", path.display());
                status = Status::FileErrors;
                continue;
            }
        };
        let (doc, diagnostics) =
            match converter.add_bytes(&input.name, input.bytes(), &parse_options) {
                Ok(r) => r,
                Err(AddError::Parse(e)) => {
                    report::fatal(&input.name, input.bytes(), &e);
                    status = Status::FileErrors;
                    continue;
                }
                Err(AddError::Io(e)) => return Err(e.into()),
                Err(AddError::Problem { line, problems }) => {
                    eprintln!(
                        "{}:{line}: error: the row has problems ({}); stopped (--on-error fail)",
                        input.name,
                        problems.join(", ")
                    );
                    return Ok(Status::FileErrors);
                }
            };
        let shown: Vec<_> =
            diagnostics.iter().filter(|d| d.severity == Severity::Error || args.warnings).collect();
        if !shown.is_empty() {
            // A pass over the whole file: only when a finding is shown.
            let index = doc.syntax().line_index();
            let mut err = io::stderr().lock();
            for d in shown {
                let _ = writeln!(err, "{}", report::line_of(&input.name, &index, d));
            }
        }
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            status = Status::FileErrors;
        }
    }
    if converter.skipped_rows() > 0 {
        eprintln!(
            "ofxkit: {} row(s) with problems left out (--on-error skip)",
            converter.skipped_rows()
        );
    }
    let mut out = converter.finish()?;
    out.flush()?;
    Ok(status)
}
