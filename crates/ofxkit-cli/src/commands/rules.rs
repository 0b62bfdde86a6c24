//! `ofxkit rules`: every rule id and reader code, with its severity and help.

use std::io::Write;

use ofxkit::syntax::{Code, Severity};
use ofxkit::validate::rules::{Applies, RULES, reader_severity};
use serde::Serialize;

use crate::cli::{RULES_FORMATS, RulesArgs};
use crate::destination::Output;
use crate::findings::severity_name;
use crate::format::{self, Format};
use crate::output::{Failure, Status};

/// One entry of the list: a validator rule or a reader code.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// The rule id or reader code.
    pub id: &'static str,
    /// `rule` (the validator's) or `reader`.
    pub kind: &'static str,
    /// `error` or `warning`, by default.
    pub severity: &'static str,
    /// The profiles it applies to (`all`, `ofx`, `ofc`).
    pub profiles: &'static str,
    /// What it checks (empty for a reader code: see `ofxkit_syntax::Code`).
    pub summary: &'static str,
    /// Where the requirement comes from.
    pub spec: &'static str,
    /// How to fix a finding, when one fix fits all.
    pub help: Option<&'static str>,
}

/// Every rule of the catalog, then every reader code.
pub fn entries() -> Vec<Entry> {
    let mut out: Vec<Entry> = RULES
        .iter()
        .map(|r| Entry {
            id: r.id,
            kind: "rule",
            severity: severity_name(r.severity),
            profiles: match r.applies {
                Applies::All => "all",
                Applies::Ofx => "ofx",
                Applies::Ofc => "ofc",
            },
            summary: r.summary,
            spec: r.spec,
            help: r.help,
        })
        .collect();
    out.extend(Code::ALL.iter().map(|&c| Entry {
        id: c.as_str(),
        kind: "reader",
        severity: severity_name(reader_severity(c)),
        profiles: "all",
        summary: "",
        spec: "",
        help: None,
    }));
    out
}

pub fn run(args: &RulesArgs) -> Result<Status, Failure> {
    let format = format::choose(args.format, args.output.as_deref(), RULES_FORMATS, Format::Human)?;
    let entries = entries();
    let mut out = Output::open(args.output.as_deref())?;
    if format == Format::Json {
        let text = serde_json::to_string_pretty(&entries).map_err(std::io::Error::other)?;
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
    } else {
        out.write_all(human(&entries).as_bytes())?;
    }
    out.commit()?;
    Ok(Status::Ok)
}

/// `ID  severity  profiles  summary`, then the help and the specification indented.
fn human(entries: &[Entry]) -> String {
    let width = entries.iter().map(|e| e.id.len()).max().unwrap_or(0);
    let severity = severity_name(Severity::Warning).len();
    let mut text = String::new();
    let mut in_reader = false;
    for e in entries {
        if e.kind == "reader" && !in_reader {
            in_reader = true;
            text.push_str("\nReader codes (described in ofxkit_syntax::Code):\n");
        }
        let summary = if e.summary.is_empty() { String::new() } else { format!("  {}", e.summary) };
        let line =
            format!("{:<width$}  {:<severity$}  {:<3}{summary}", e.id, e.severity, e.profiles);
        text.push_str(line.trim_end());
        text.push('\n');
        if let Some(help) = e.help {
            text.push_str(&format!("{:width$}  help: {help}\n", ""));
        }
        if !e.spec.is_empty() {
            text.push_str(&format!("{:width$}  spec: {}\n", "", e.spec));
        }
    }
    text
}
