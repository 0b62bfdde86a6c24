//! The human format: `file:line:col: severity[RULE]: message`, the source line with a caret
//! under the span, the element path and help; coloured only when asked.

use std::fmt::Write;

use ofxkit::syntax::{LineIndex, Severity, Span};

use crate::findings::{FileResult, severity_name};

/// Characters of a long line shown around the span.
const CONTEXT: usize = 60;

/// A source line cut to fit, and where the caret goes in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// 1-based line number.
    pub line: u32,
    /// The text shown (tabs kept, control characters replaced).
    pub text: String,
    /// Characters before the caret.
    pub caret_at: usize,
    /// Width of the caret (at least 1).
    pub caret_len: usize,
    /// Whitespace before the caret, copied from the line so that tabs line up.
    pub pad: String,
}

impl Snippet {
    /// The line holding `span.start`, with the caret under the part of `span` on that line.
    pub fn new(source: &[u8], index: &LineIndex<'_>, span: Span) -> Snippet {
        let line_span = index.line_span(span.start);
        let line = index.line_col(span.start).line;
        let bytes = source.get(line_span.range()).unwrap_or_default();
        let text = String::from_utf8_lossy(bytes);
        // Character offsets of the span within the line (lossy decoding keeps one
        // character per undecodable byte, as the line index counts them).
        let start_byte = (span.start.saturating_sub(line_span.start)) as usize;
        let end_byte = (span.end.min(line_span.end).saturating_sub(line_span.start)) as usize;
        let chars: Vec<char> = text.chars().collect();
        let char_at = |byte: usize| -> usize {
            if let Ok(s) = std::str::from_utf8(bytes) {
                s.get(..byte.min(s.len())).map_or(byte, |p| p.chars().count())
            } else {
                byte.min(chars.len())
            }
        };
        let start = char_at(start_byte);
        let end = char_at(end_byte).max(start + 1);
        // Cut long lines around the span.
        let from = start.saturating_sub(CONTEXT);
        let to = (end + CONTEXT).min(chars.len());
        let mut shown = String::new();
        let mut caret_at = start - from;
        if from > 0 {
            shown.push('…');
            caret_at += 1;
        }
        for &c in chars.get(from..to).unwrap_or_default() {
            shown.push(if c.is_control() && c != '\t' { '\u{FFFD}' } else { c });
        }
        if to < chars.len() {
            shown.push('…');
        }
        let pad: String =
            shown.chars().take(caret_at).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        let caret_len = (end - start).min(to.saturating_sub(start)).max(1);
        Snippet { line, text: shown, caret_at, caret_len, pad }
    }
}

/// ANSI styles, or nothing.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    on: bool,
}

impl Style {
    /// Colours when `on`.
    pub fn new(on: bool) -> Self {
        Style { on }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.on { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }

    fn severity(&self, s: Severity) -> &'static str {
        match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
        }
    }
}

/// Writes the findings of one file.
pub fn render(file: &FileResult, style: Style, out: &mut String) {
    if let Some(e) = &file.io_error {
        let _ = writeln!(out, "{}: {}: {e}", file.name, style.paint("1;31", "error"));
        return;
    }
    for f in &file.findings {
        let d = &f.diagnostic;
        let head = format!("{}[{}]", severity_name(d.severity), d.code);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}: {}",
            file.name,
            f.start.line,
            f.start.column,
            style.paint(style.severity(d.severity), &head),
            style.paint("1", &d.message)
        );
        if let Some(s) = &f.snippet {
            let number = s.line.to_string();
            let gutter = " ".repeat(number.len());
            let bar = style.paint("1;34", "|");
            let _ = writeln!(out, "{} {bar} {}", style.paint("1;34", &number), s.text);
            let caret = "^".repeat(s.caret_len);
            let _ = writeln!(
                out,
                "{gutter} {bar} {}{}",
                s.pad,
                style.paint(style.severity(d.severity), &caret)
            );
            if let Some(path) = &d.path {
                let _ = writeln!(out, "{gutter} = at {path}");
            }
            if let Some(help) = &d.help {
                let _ = writeln!(out, "{gutter} = {}: {help}", style.paint("1;36", "help"));
            }
        } else {
            if let Some(path) = &d.path {
                let _ = writeln!(out, "  = at {path}");
            }
            if let Some(help) = &d.help {
                let _ = writeln!(out, "  = help: {help}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(text: &str, start: u32, end: u32) -> Snippet {
        let index = LineIndex::new(text.as_bytes(), true);
        Snippet::new(text.as_bytes(), &index, Span::new(start, end))
    }

    #[test]
    fn caret_under_the_span() {
        let s = snippet("<OFC>\n<TRNAMT>-12.3\n</OFC>", 14, 19);
        assert_eq!((s.line, s.text.as_str(), s.caret_at, s.caret_len), (2, "<TRNAMT>-12.3", 8, 5));
        assert_eq!(s.pad, "        ");
    }

    #[test]
    fn tabs_and_empty_spans_line_up() {
        let s = snippet("\t<NAME>é\n", 7, 7);
        assert_eq!((s.caret_at, s.caret_len, s.pad.as_str()), (7, 1, "\t      "));
        let s = snippet("<A>é<B>", 5, 8);
        assert_eq!((s.caret_at, s.caret_len), (4, 3));
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}<X>1{}", "a".repeat(500), "b".repeat(500));
        let s = snippet(&line, 501, 502);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert_eq!(s.text.chars().nth(s.caret_at), Some('X'));
        assert!(s.text.chars().count() < 140);
    }
}
