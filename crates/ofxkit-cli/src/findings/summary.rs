//! The counts at the end of a human run: files, errors, warnings, and a table per rule.

use std::collections::BTreeMap;
use std::fmt::Write;

use ofxkit::syntax::Severity;

use crate::findings::FileResult;

/// Per rule: errors, warnings, files.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RuleCount {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Files with at least one finding of the rule.
    pub files: usize,
}

/// Counts per rule, sorted by rule id.
pub fn per_rule(files: &[FileResult]) -> BTreeMap<&str, RuleCount> {
    let mut table: BTreeMap<&str, RuleCount> = BTreeMap::new();
    for file in files {
        let mut seen: Vec<&str> = Vec::new();
        for f in &file.findings {
            let code = f.diagnostic.code;
            let row = table.entry(code).or_default();
            match f.diagnostic.severity {
                Severity::Error => row.errors += f.weight(),
                Severity::Warning => row.warnings += f.weight(),
                // No validator finding is information only.
                Severity::Info => {}
            }
            if !seen.contains(&code) {
                seen.push(code);
                row.files += 1;
            }
        }
    }
    table
}

/// The closing lines: the per-rule table (unless `table` is false) and the totals.
pub fn render(files: &[FileResult], table: bool, out: &mut String) {
    let rows = per_rule(files);
    if table && !rows.is_empty() {
        let width = rows.keys().map(|k| k.len()).max().unwrap_or(4).max(4);
        let _ = writeln!(
            out,
            "\n{:<width$}  {:>7}  {:>8}  {:>5}",
            "rule", "errors", "warnings", "files"
        );
        for (rule, c) in &rows {
            let _ =
                writeln!(out, "{rule:<width$}  {:>7}  {:>8}  {:>5}", c.errors, c.warnings, c.files);
        }
    }
    let errors: usize = files.iter().map(|f| f.count(Severity::Error)).sum();
    let warnings: usize = files.iter().map(|f| f.count(Severity::Warning)).sum();
    let with_errors =
        files.iter().filter(|f| f.count(Severity::Error) > 0 || f.io_error.is_some()).count();
    let unreadable = files.iter().filter(|f| f.io_error.is_some()).count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let _ = write!(
        out,
        "\n{} checked: {}, {}; {} with errors",
        plural(files.len(), "file", "files"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(with_errors, "file", "files"),
    );
    if unreadable > 0 {
        let _ = write!(out, ", {} unreadable", plural(unreadable, "file", "files"));
    }
    out.push('\n');
    let left_out: u64 = files.iter().map(FileResult::left_out).sum();
    if left_out > 0 {
        let _ = writeln!(
            out,
            "{left_out} of these findings were counted but not shown (--max-findings per rule \
             and file; --max-findings 0 shows all)"
        );
    }
}
