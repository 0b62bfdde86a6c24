//! The human format: `file:line:col: severity[RULE]: message`, the source line with a caret
//! under the span, the element path and help; coloured only when asked.

use std::fmt::Write;

use ofxkit::syntax::{Severity, Span, escape_controls};

use crate::findings::{FileResult, severity_name};

/// Characters of a long line shown around the span.
const CONTEXT: usize = 60;

/// A source line cut to fit, and where the caret goes in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// 1-based line number.
    pub line: u32,
    /// The text shown (control characters, tabs included, escaped).
    pub text: String,
    /// Characters before the caret.
    pub caret_at: usize,
    /// Width of the caret (at least 1).
    pub caret_len: usize,
    /// Blanks before the caret.
    pub pad: String,
}

/// Bytes of a line read around a span, each side (enough for [`CONTEXT`] characters).
const WINDOW: u32 = CONTEXT as u32 * 4;

impl Snippet {
    /// The line `(line_start, line_end)` numbered `line`, cut to a window around `span`, with
    /// the caret under the part of `span` on that line. Only the window is decoded (at most
    /// [`WINDOW`] bytes before the span, twice that of the span, [`WINDOW`] after it), so a
    /// long one-line file, or a span of hundreds of megabytes, costs no more than a short
    /// line. Secret values are written `***` unless `show_secrets`. Control characters (and the other characters [`ofxkit::syntax::shown`]
    /// escapes, tabs included) are shown escaped (`\u{1b}`), the caret still under its
    /// place.
    pub fn new(
        source: &[u8],
        (line_start, line_end): (u32, u32),
        line: u32,
        span: Span,
        utf8: bool,
        show_secrets: bool,
    ) -> Snippet {
        let start = span.start.clamp(line_start, line_end);
        let end = span.end.clamp(start, line_end);
        let boundary = |mut at: u32, forward: bool| {
            // Step to a character boundary (never inside a UTF-8 sequence).
            while utf8
                && at > line_start
                && at < line_end
                && source.get(at as usize).is_some_and(|b| b & 0xC0 == 0x80)
            {
                if forward { at += 1 } else { at -= 1 }
            }
            at
        };
        let from = boundary(start.saturating_sub(WINDOW).max(line_start), true);
        // Of the span itself, no more than fits the characters shown.
        let inside_end = boundary(end.min(start.saturating_add(2 * WINDOW)), false).max(start);
        let to = boundary(end.saturating_add(WINDOW).min(line_end), false).max(end);
        let decode = |a: u32, b: u32| -> Vec<char> {
            let bytes = source.get(a as usize..b as usize).unwrap_or_default();
            if utf8 {
                String::from_utf8_lossy(bytes).chars().collect()
            } else {
                // One character per byte, as the line index counts them.
                bytes.iter().map(|&b| if b.is_ascii() { b as char } else { '\u{FFFD}' }).collect()
            }
        };
        let inside = decode(start, inside_end);
        let inside_cut = inside_end < end || inside.len() > 2 * CONTEXT;
        let after = if inside_cut { Vec::new() } else { decode(end, to) };
        let [before, inside, after] = crate::secrets::redact_snippet(
            source,
            from,
            [decode(from, start), inside, after],
            show_secrets,
        );
        // Keep CONTEXT characters on each side.
        let skip = before.len().saturating_sub(CONTEXT);
        let cut_before = from > line_start || skip > 0;
        let keep_after = after.len().min(CONTEXT);
        let cut_after = to < line_end || keep_after < after.len();
        let mut text = String::new();
        let mut caret_at = 0;
        if cut_before {
            text.push('…');
            caret_at += 1;
        }
        caret_at += push_shown(&mut text, before.iter().skip(skip));
        let caret_len = push_shown(&mut text, inside.iter().take(2 * CONTEXT)).max(1);
        if inside_cut {
            text.push('…');
        } else {
            push_shown(&mut text, after.iter().take(keep_after));
            if cut_after {
                text.push('…');
            }
        }
        let pad = " ".repeat(caret_at);
        Snippet { line, text, caret_at, caret_len, pad }
    }
}

/// Appends `chars` to `text`, each unsafe one escaped; returns the characters written.
fn push_shown<'c>(text: &mut String, chars: impl Iterator<Item = &'c char>) -> usize {
    let mut written = 0;
    let mut buf = [0u8; 4];
    for c in chars {
        let piece = ofxkit::syntax::escape_controls(c.encode_utf8(&mut buf));
        written += piece.chars().count();
        text.push_str(&piece);
    }
    written
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
            Severity::Info => "1;36",
        }
    }
}

/// Writes the findings of one file. The file name, messages, paths and help are written
/// with control characters escaped ([`escape_controls`]): the library quotes file text
/// through `shown` already, and this keeps a name or a message from elsewhere from driving
/// the terminal or forging a finding line.
///
/// A file that could not be read has no findings here (its error goes to standard error).
pub fn render(file: &FileResult, style: Style, out: &mut String) {
    for f in &file.findings {
        let d = &f.diagnostic;
        let head = format!("{}[{}]", severity_name(d.severity), d.code);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}: {}",
            escape_controls(&file.name),
            f.start.line,
            f.start.column,
            style.paint(style.severity(d.severity), &head),
            style.paint("1", &escape_controls(&d.message))
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
                let _ = writeln!(out, "{gutter} = at {}", escape_controls(path));
            }
            if let Some(help) = &d.help {
                let help = escape_controls(help);
                let _ = writeln!(out, "{gutter} = {}: {help}", style.paint("1;36", "help"));
            }
        } else {
            if let Some(path) = &d.path {
                let _ = writeln!(out, "  = at {}", escape_controls(path));
            }
            if let Some(help) = &d.help {
                let _ = writeln!(out, "  = help: {}", escape_controls(help));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(text: &str, start: u32, end: u32) -> Snippet {
        let mut locator = crate::findings::locate::Locator::new(text.as_bytes(), true);
        let (lc, line) = locator.locate(start);
        Snippet::new(
            text.as_bytes(),
            locator.line_bounds(line),
            lc.line,
            Span::new(start, end),
            true,
            false,
        )
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
        assert_eq!(s.text, "\\t<NAME>é");
        assert_eq!((s.caret_at, s.caret_len, s.pad.as_str()), (8, 1, "        "));
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

    /// Control characters are escaped and the caret stays under its place.
    #[test]
    fn control_characters_are_escaped() {
        let s = snippet("<DTPOSTED>2024\u{1b}]52;c;x\u{7}<TRNAMT>\r1", 23, 24);
        assert!(!s.text.chars().any(char::is_control), "{:?}", s.text);
        assert_eq!(s.text, "<DTPOSTED>2024\\u{1b}]52;c;x\\u{7}<TRNAMT>");
        assert_eq!(s.text.chars().skip(s.caret_at).take(s.caret_len).collect::<String>(), "<");
    }

    /// A span of 20 MB on one line: the snippet decodes a window, and shows at most
    /// 2 × CONTEXT characters of it.
    #[test]
    fn a_huge_span_is_cut() {
        let line = format!("<NAME>{}</NAME>", "é".repeat(10 << 20));
        let end = line.len() as u32 - 7;
        let s = snippet(&line, 6, end);
        assert_eq!(s.caret_at, 6);
        assert_eq!(s.caret_len, 2 * CONTEXT);
        assert!(s.text.ends_with('…'));
        assert_eq!(s.text.chars().count(), 6 + 2 * CONTEXT + 1);
    }
}
