//! `ofxkit convert FILE...`: statements, accounts or payees to JSON, NDJSON or CSV.

use std::io::{self, Write};

use ofxkit::convert::{AddError, ConvertOptions, Converter, OnError, Target, What};
use ofxkit::syntax::{Options, Severity};

use crate::cli::{ConvertArgs, OnErrorArg, To, WhatArg};
use crate::destination::{Output, refuse_overwriting_inputs};
use crate::input;
use crate::output::{Failure, Status};
use crate::report;

pub fn run(args: &ConvertArgs) -> Result<Status, Failure> {
    let target = match args.to {
        To::Json => Target::Json,
        To::Ndjson => Target::Ndjson,
        To::Csv => Target::Csv,
        To::Ofx1 | To::Ofx2 => return super::convert_ofx::run(args),
    };
    super::convert_ofx::refuse_ofx_options(args)?;
    let options = ConvertOptions {
        target,
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
    input::stdin_once(&args.files)?;
    refuse_overwriting_inputs(args.output.as_deref(), args.files.iter().map(|p| p.as_path()))?;
    let out = Output::open(args.output.as_deref())?;
    let mut converter = Converter::new(out, options)?;
    let parse_options = Options::default();
    let mut status = Status::Ok;
    for path in &args.files {
        let input = match input::read(path, parse_options.limits.max_input_size) {
            Ok(i) => i,
            Err(e) => {
                e.report();
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
                    let problems = problems.join(", ");
                    eprintln!(
                        "{}:{line}: error: the row has problems ({}); stopped (--on-error fail)",
                        input.shown_name(),
                        ofxkit::syntax::escape_controls(&problems)
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
    let skipped = converter.skipped_rows();
    // Nothing replaces the output file before this line: a failure above (or a stop with
    // --on-error fail) leaves it as it was.
    converter.finish()?.commit()?;
    if skipped > 0 {
        eprintln!("ofxkit: {skipped} row(s) with problems left out (--on-error skip)");
    }
    Ok(status)
}
