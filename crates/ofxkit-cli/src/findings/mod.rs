//! Findings of `ofxkit validate` with their positions, and the three ways of writing them.

pub mod human;
pub mod locate;
pub mod sarif;
pub mod summary;

use ofxkit::syntax::{LineCol, Severity};
use serde::Serialize;

use crate::secrets::Snippets;

/// One finding, placed in its file.
#[derive(Debug, Clone)]
pub struct Located {
    /// What was found.
    pub diagnostic: ofxkit::Diagnostic,
    /// Where it starts.
    pub start: LineCol,
    /// Where it ends.
    pub end: LineCol,
    /// The source line and caret, for the human format.
    pub snippet: Option<human::Snippet>,
}

/// What checking one file gave.
#[derive(Debug)]
pub struct FileResult {
    /// The name shown in messages.
    pub name: String,
    /// The profile the file was checked against (`None` when it could not be read).
    pub profile: Option<&'static str>,
    /// Findings in position order.
    pub findings: Vec<Located>,
    /// Why the file could not be read at all.
    pub io_error: Option<String>,
}

impl FileResult {
    /// Findings of this severity, those the cap left out included.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.diagnostic.severity == severity)
            .map(Located::weight)
            .sum()
    }

    /// Findings the cap per rule left out.
    pub fn left_out(&self) -> u64 {
        self.findings.iter().filter_map(|f| f.diagnostic.left_out).sum()
    }
}

impl Located {
    /// How many findings this one counts for: one, or, for the one that stands for those
    /// the cap left out, their number.
    pub fn weight(&self) -> usize {
        self.diagnostic.left_out.map_or(1, |n| usize::try_from(n).unwrap_or(usize::MAX))
    }
}

/// Places `diagnostics` (sorted by position) in `source`, with snippets as `snippets` says;
/// `utf8` says whether columns count characters (UTF-8 text) or bytes.
pub fn locate(
    diagnostics: Vec<ofxkit::Diagnostic>,
    source: &[u8],
    utf8: bool,
    snippets: Snippets,
) -> Vec<Located> {
    // A clean file (the usual case) needs no line table.
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let mut starts = locate::Locator::new(source, utf8);
    let mut ends = starts.cursor();
    diagnostics
        .into_iter()
        .map(|d| {
            let (start, line) = starts.locate(d.span.start);
            let (end, _) = ends.locate(d.span.end);
            let bounds = starts.line_bounds(line);
            let snippet = match snippets {
                Snippets::None => None,
                Snippets::Redacted | Snippets::ShowSecrets => {
                    let show = snippets == Snippets::ShowSecrets;
                    Some(human::Snippet::new(source, bounds, start.line, d.span, utf8, show))
                }
            };
            Located { diagnostic: d, start, end, snippet }
        })
        .collect()
}

/// The JSON form of one finding: these field names are stable.
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    /// File name as given.
    pub file: &'a str,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column of the start (characters).
    pub column: u32,
    /// Line of the end.
    pub end_line: u32,
    /// Column of the end (exclusive).
    pub end_column: u32,
    /// Byte offset of the start.
    pub byte_start: u32,
    /// Byte offset of the end.
    pub byte_end: u32,
    /// Rule id or reader code.
    pub rule: &'a str,
    /// `error` or `warning`.
    pub severity: &'a str,
    /// What was found.
    pub message: &'a str,
    /// Element path, when known.
    pub path: Option<&'a str>,
    /// How to fix it, when known.
    pub help: Option<&'a str>,
    /// The profile the file was checked against.
    pub profile: Option<&'a str>,
    /// On the finding that stands for those of its rule the cap left out: how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_out: Option<u64>,
}

/// `error`, `warning` or `info`.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// One JSON line per finding.
pub fn json_lines(files: &[FileResult]) -> String {
    let mut out = String::new();
    for record in json_records(files) {
        if let Ok(line) = serde_json::to_string(&record) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// One JSON array of the findings (the objects of [`json_lines`]), one per line.
pub fn json_array(files: &[FileResult]) -> String {
    let mut out = String::from("[");
    for (i, record) in json_records(files).enumerate() {
        if let Ok(line) = serde_json::to_string(&record) {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str(&line);
        }
    }
    out.push_str("\n]\n");
    out
}

/// The JSON form of every finding, in order.
fn json_records(files: &[FileResult]) -> impl Iterator<Item = JsonFinding<'_>> {
    files.iter().flat_map(|file| {
        file.findings.iter().map(move |f| {
            let d = &f.diagnostic;
            JsonFinding {
                file: &file.name,
                line: f.start.line,
                column: f.start.column,
                end_line: f.end.line,
                end_column: f.end.column,
                byte_start: d.span.start,
                byte_end: d.span.end,
                rule: d.code,
                severity: severity_name(d.severity),
                message: &d.message,
                path: d.path.as_deref(),
                help: d.help.as_deref(),
                profile: file.profile,
                left_out: d.left_out,
            }
        })
    })
}
