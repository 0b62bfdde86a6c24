//! Printing diagnostics as `file:line:col: severity[CODE]: message`.

use std::io::{self, Write};

use ofxkit::syntax::{Diagnostic, Document, Error, LineIndex};

/// Prints a fatal error for a file that could not be read.
pub fn fatal(name: &str, bytes: &[u8], error: &Error) {
    let index = LineIndex::new(bytes, std::str::from_utf8(bytes).is_ok());
    let lc = index.line_col(error.span().start);
    let _ =
        writeln!(io::stderr().lock(), "{name}:{lc}: error[{}]: {}", error.code(), error.message());
}

/// Prints every diagnostic of a document.
pub fn diagnostics(name: &str, doc: &Document<'_>) {
    let index = doc.line_index();
    let mut err = io::stderr().lock();
    for d in doc.diagnostics() {
        let _ = writeln!(err, "{}", line(name, &index, d));
    }
}

fn line(name: &str, index: &LineIndex<'_>, d: &Diagnostic) -> String {
    let lc = index.line_col(d.span.start);
    let mut s = format!("{name}:{lc}: {}[{}]: {}", d.severity, d.code, d.message);
    if let Some(help) = &d.help {
        s.push_str("\n  help: ");
        s.push_str(help);
    }
    s
}

/// One model finding as `file:line:col: severity[CODE]: message`.
pub fn line_of(name: &str, index: &LineIndex<'_>, d: &ofxkit::Diagnostic) -> String {
    let lc = index.line_col(d.span.start);
    let mut s = format!("{name}:{lc}: {}[{}]: {}", d.severity, d.code, d.message);
    if let Some(path) = &d.path {
        s.push_str(&format!(" (at {path})"));
    }
    if let Some(help) = &d.help {
        s.push_str("\n  help: ");
        s.push_str(help);
    }
    s
}
