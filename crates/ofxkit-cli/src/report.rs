//! Printing diagnostics as `file:line:col: severity[CODE]: message`.
//!
//! Everything printed here is escaped as it is printed (`escape_controls`): a file name, a
//! message or a help text holding a control character (ESC, BEL, CR, a newline) can neither
//! drive the terminal nor start a line that looks like another finding.

use std::io::{self, Write};

use ofxkit::syntax::{Document, Error, LineCol, LineIndex, Severity, escape_controls};

/// Prints a fatal error for a file that could not be read.
pub fn fatal(name: &str, bytes: &[u8], error: &Error) {
    let index = LineIndex::new(bytes, std::str::from_utf8(bytes).is_ok());
    fatal_at(name, index.line_col(error.span().start), error);
}

/// Prints every diagnostic of a document; with `strict`, warnings as errors.
pub fn diagnostics(name: &str, doc: &Document<'_>, strict: bool) {
    let index = doc.line_index();
    let mut err = io::stderr().lock();
    for d in doc.diagnostics() {
        let lc = index.line_col(d.span.start);
        let severity = if strict { Severity::Error } else { d.severity };
        let _ = writeln!(err, "{}", line(name, lc, severity, d.code, &d.message, None));
        if let Some(help) = &d.help {
            let _ = writeln!(err, "  help: {}", escape_controls(help));
        }
    }
}

/// One model finding as `file:line:col: severity[CODE]: message (at PATH)`, and its help on
/// a line of its own.
pub fn line_of(name: &str, index: &LineIndex<'_>, d: &ofxkit::Diagnostic) -> String {
    line_at(name, index.line_col(d.span.start), d)
}

/// [`line_of`] for a finding already placed at `lc`.
pub fn line_at(name: &str, lc: LineCol, d: &ofxkit::Diagnostic) -> String {
    let mut s = line(name, lc, d.severity, d.code, &d.message, d.path.as_deref());
    if let Some(help) = &d.help {
        s.push_str("\n  help: ");
        s.push_str(&escape_controls(help));
    }
    s
}

/// [`fatal`] for an error already placed at `lc`.
pub fn fatal_at(name: &str, lc: LineCol, error: &Error) {
    let _ = writeln!(
        io::stderr().lock(),
        "{}:{lc}: error[{}]: {}",
        escape_controls(name),
        error.code(),
        escape_controls(error.message())
    );
}

/// `file:line:col: level[CODE]: message`, every part from a file escaped.
pub fn line(
    name: &str,
    lc: LineCol,
    level: impl std::fmt::Display,
    code: &str,
    message: &str,
    path: Option<&str>,
) -> String {
    let mut s = format!(
        "{}:{lc}: {level}[{}]: {}",
        escape_controls(name),
        escape_controls(code),
        escape_controls(message)
    );
    if let Some(path) = path {
        s.push_str(&format!(" (at {})", escape_controls(path)));
    }
    s
}

/// `name: warning: message` (a finding about a whole file), escaped.
pub fn file_warning(name: &str, message: &str) {
    let _ = writeln!(
        io::stderr().lock(),
        "{}: warning: {}",
        escape_controls(name),
        escape_controls(message)
    );
}

/// Escapes the names, messages, element paths, help and I/O errors of `validate` results in
/// place, for the human format.
pub fn escape_results(results: &mut [crate::findings::FileResult]) {
    let escape = |s: &mut String| {
        if let std::borrow::Cow::Owned(e) = escape_controls(s) {
            *s = e;
        }
    };
    for r in results {
        escape(&mut r.name);
        if let Some(e) = &mut r.io_error {
            escape(e);
        }
        for f in &mut r.findings {
            let d = &mut f.diagnostic;
            escape(&mut d.message);
            if let Some(p) = &mut d.path {
                escape(p);
            }
            if let Some(h) = &mut d.help {
                escape(h);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_messages_cannot_start_a_line_or_reach_the_terminal() {
        let at = LineCol { line: 3, column: 7 };
        let s = line(
            "a\nb.ofx:1:1: error[X]: forged",
            at,
            "warning",
            "W-X",
            "\u{1b}]52;c;x\u{7}",
            None,
        );
        assert_eq!(s.lines().count(), 1, "{s}");
        assert!(!s.bytes().any(|b| b < 0x20 || b == 0x7f), "{s:?}");
        assert!(s.starts_with("a\\nb.ofx:1:1: error[X]: forged:3:7: warning[W-X]: "), "{s}");
    }
}
