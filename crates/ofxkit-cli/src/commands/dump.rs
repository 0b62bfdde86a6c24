//! `ofxkit dump FILE`: the element tree as text or JSON.

use ofxkit::syntax::{DumpOptions, Leniency, Options, dump_json, dump_text, parse_with};

use crate::cli::DumpArgs;
use crate::input;
use crate::output::{Failure, Status, print};
use crate::report;

pub fn run(args: &DumpArgs) -> Result<Status, Failure> {
    let mut options = Options::default();
    if args.strict {
        options.leniency = Leniency::strict();
    }
    let input = input::read(&args.file, options.limits.max_input_size)?;
    let doc = match parse_with(input.bytes(), &options) {
        Ok(doc) => doc,
        Err(e) => {
            report::fatal(&input.name, input.bytes(), &e);
            return Ok(Status::FileErrors);
        }
    };
    report::diagnostics(&input.name, &doc);
    let dump = DumpOptions { spans: args.spans, show_secrets: args.show_secrets };
    let text = if args.json { dump_json(&doc, dump) } else { dump_text(&doc, dump) };
    print(&text)?;
    Ok(if doc.has_errors() { Status::FileErrors } else { Status::Ok })
}
