//! `ofxkit dump FILE`: the element tree as text or JSON.

use ofxkit::syntax::{
    DumpOptions, Leniency, Options, dump_json, dump_text, escape_controls, parse_with,
};

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
    let text =
        if args.json { dump_json(&doc, dump) } else { terminal_safe(&dump_text(&doc, dump)) };
    print(&text)?;
    Ok(if doc.has_errors() { Status::FileErrors } else { Status::Ok })
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
