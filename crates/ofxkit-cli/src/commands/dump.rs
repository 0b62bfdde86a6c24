//! `ofxkit dump FILE`: the element tree as text or JSON.

use ofxkit::syntax::{
    DumpOptions, Leniency, Options, dump_json, dump_text, escape_controls, parse_with,
};

use std::io::Write;

use crate::cli::{DUMP_FORMATS, DumpArgs};
use crate::destination::{Output, refuse_overwriting_inputs};
use crate::format::{self, Format};
use crate::input;
use crate::output::{Failure, Status};
use crate::report;

pub fn run(args: &DumpArgs) -> Result<Status, Failure> {
    let mut options = Options::default();
    if args.strict {
        options.leniency = Leniency::strict();
    }
    refuse_overwriting_inputs(args.output.as_deref(), [args.file.as_path()])?;
    let given = if args.json { Some(Format::Json) } else { args.format };
    let format = format::choose(given, args.output.as_deref(), DUMP_FORMATS, Format::Human)?;
    let input = input::read(&args.file, options.limits.max_input_size)?;
    // Read as `ofxkit::parse` reads, with the OFX and OFC tables.
    let doc = match parse_with(input.bytes(), &ofxkit::with_dtd(&options)) {
        Ok(doc) => doc,
        Err(e) => {
            if !args.quiet {
                report::fatal(&input.name, input.bytes(), &e);
            }
            return Ok(Status::FileErrors);
        }
    };
    if !args.quiet {
        report::diagnostics(&input.name, &doc, args.strict);
    }
    let dump = DumpOptions { spans: args.spans, show_secrets: args.show_secrets };
    let text = match format {
        Format::Json => dump_json(&doc, dump),
        _ => terminal_safe(&dump_text(&doc, dump)),
    };
    let mut out = Output::open(args.output.as_deref())?;
    out.write_all(text.as_bytes())?;
    out.commit()?;
    // With --strict, warnings count as errors (every leniency already reports as one).
    let counted = doc.has_errors() || (args.strict && !doc.diagnostics().is_empty());
    Ok(if counted { Status::FileErrors } else { Status::Ok })
}

/// The text dump with anything its own escaping leaves (it escapes C0 controls and DEL; a
/// C1 control such as U+009B, a terminal's CSI, passes) escaped too, line by line.
fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        out.push_str(&escape_controls(body));
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn c1_controls_in_a_text_dump_are_escaped() {
        let dumped = "OFX\n  NAME = \"P\u{9b}31mOS\"\n  MEMO = \"a\\u001bb\"\n";
        assert_eq!(
            super::terminal_safe(dumped),
            "OFX\n  NAME = \"P\\u{9b}31mOS\"\n  MEMO = \"a\\u001bb\"\n"
        );
    }
}
