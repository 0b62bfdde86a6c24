//! SARIF 2.1.0: one run of the `ofxkit` tool, its rules (the catalog and the reader's codes)
//! and one result per finding, so code-scanning tools show the findings inline.
//!
//! File paths are written relative to `%SRCROOT%`, the directory ofxkit ran in (given in the
//! run's `originalUriBaseIds`); a file outside it keeps its absolute `file:` URI. Every rule
//! has a `helpUri`: there is no web site, so it is the catalog in the repository,
//! `crates/ofxkit/docs/rules.md#<id in lower case>`, resolved against `%SRCROOT%` (SARIF wants
//! an absolute URI there; it opens the catalog when ofxkit runs from a checkout of it); the
//! relative form is in the rule's `properties.helpPath`. The run's invocation says
//! `executionSuccessful: false` when a file could not be read.

use std::path::{Path, PathBuf};

use ofxkit::syntax::{Code, Severity};
use ofxkit::validate::rules::{RULES, anchor, reader_severity};
use serde_json::{Value, json};

use crate::findings::{FileResult, severity_name};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base id of paths relative to the directory ofxkit ran in.
const SRCROOT: &str = "%SRCROOT%";

/// The rule catalog, relative to the repository's root.
const RULES_DOC: &str = "crates/ofxkit/docs/rules.md";

/// Where relative paths start: the current directory, as a path and as an absolute `file:`
/// URI ending in `/`.
struct Root {
    dir: PathBuf,
    uri: String,
}

impl Root {
    fn current() -> Option<Root> {
        let dir = std::env::current_dir().ok()?;
        let text = dir.to_string_lossy().replace('\\', "/");
        let path = uri(text.trim_end_matches('/'));
        let lead = if path.starts_with('/') { "" } else { "/" };
        Some(Root { uri: format!("file://{lead}{path}/"), dir })
    }

    /// The artifact location of a file named `name` (as given on the command line).
    fn artifact(root: Option<&Root>, name: &str) -> Value {
        let path = Path::new(name);
        if name == "<stdin>" {
            return json!({ "uri": uri(name) });
        }
        let relative = if path.is_relative() {
            Some(path)
        } else {
            root.and_then(|r| path.strip_prefix(&r.dir).ok())
        };
        match (relative, root) {
            (Some(rel), Some(_)) => {
                json!({ "uri": uri(&rel.to_string_lossy()), "uriBaseId": SRCROOT })
            }
            _ if path.is_absolute() => {
                let p = uri(name);
                let lead = if p.starts_with('/') { "" } else { "/" };
                json!({ "uri": format!("file://{lead}{p}") })
            }
            _ => json!({ "uri": uri(name) }),
        }
    }
}

/// The help properties of the rule `id`: `helpUri` (with a root) and `helpPath`.
fn help_links(root: Option<&Root>, id: &str, obj: &mut serde_json::Map<String, Value>) {
    let path = format!("{RULES_DOC}#{}", anchor(id));
    if let Some(root) = root {
        obj.insert("helpUri".to_owned(), json!(format!("{}{path}", root.uri)));
    }
    let properties = obj.entry("properties").or_insert_with(|| json!({}));
    if let Some(p) = properties.as_object_mut() {
        p.insert("helpPath".to_owned(), json!(path));
    }
}

/// The SARIF level of a severity (`info` is a `note`).
fn level(s: Severity) -> &'static str {
    // SARIF's levels are none, note, warning and error.
    match s {
        Severity::Info => "note",
        s => severity_name(s),
    }
}

/// A relative URI reference for a file name: `/` separators, reserved characters escaped.
pub fn uri(name: &str) -> String {
    let mut out = String::new();
    for b in name.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Every rule the tool can report, in a fixed order: the validator's catalog, then the
/// reader's codes.
fn rule_ids() -> Vec<&'static str> {
    RULES.iter().map(|r| r.id).chain(Code::ALL.iter().map(|c| c.as_str())).collect()
}

fn rule_descriptors(root: Option<&Root>) -> Vec<Value> {
    let mut out: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let mut d = json!({
                "id": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": format!("{} ({})", r.summary, r.spec) },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "spec": r.spec },
            });
            if let Some(obj) = d.as_object_mut() {
                if let Some(help) = r.help {
                    obj.insert("help".to_owned(), json!({ "text": help }));
                }
                help_links(root, r.id, obj);
            }
            d
        })
        .collect();
    out.extend(Code::ALL.iter().map(|&c| {
        let id = c.as_str();
        let mut d = json!({
            "id": id,
            "shortDescription": { "text": format!("reader finding {id}") },
            "defaultConfiguration": { "level": level(reader_severity(c)) },
        });
        if let Some(obj) = d.as_object_mut() {
            help_links(root, id, obj);
        }
        d
    }));
    out
}

/// The whole log.
pub fn log(files: &[FileResult]) -> Value {
    let root = Root::current();
    let root = root.as_ref();
    let ids = rule_ids();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    // The findings the cap per rule left out: per file and rule, and in all.
    let mut left_out = Vec::new();
    let mut left_out_total = 0u64;
    for file in files {
        if let Some(e) = &file.io_error {
            notifications.push(json!({
                "level": "error",
                "message": { "text": format!("{}: {e}", file.name) },
                "locations": [{ "physicalLocation": { "artifactLocation": Root::artifact(root, &file.name) } }],
            }));
        }
        for f in &file.findings {
            let d = &f.diagnostic;
            let mut region = json!({
                "startLine": f.start.line,
                "startColumn": f.start.column,
                "endLine": f.end.line,
                "endColumn": f.end.column,
                "byteOffset": d.span.start,
                "byteLength": d.span.end - d.span.start,
            });
            if let (Some(s), Some(obj)) = (&f.snippet, region.as_object_mut()) {
                obj.insert("snippet".to_owned(), json!({ "text": s.text }));
            }
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": Root::artifact(root, &file.name),
                    "region": region,
                },
            });
            if let (Some(path), Some(obj)) = (&d.path, location.as_object_mut()) {
                obj.insert(
                    "logicalLocations".to_owned(),
                    json!([{ "fullyQualifiedName": path, "kind": "element" }]),
                );
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [location],
            });
            if let (Some(n), Some(obj)) = (d.left_out, result.as_object_mut()) {
                obj.insert("properties".to_owned(), json!({ "leftOut": n }));
                left_out.push(json!({ "file": file.name, "ruleId": d.code, "count": n }));
                left_out_total += n;
            }
            if let (Some(i), Some(obj)) =
                (ids.iter().position(|id| *id == d.code), result.as_object_mut())
            {
                obj.insert("ruleIndex".to_owned(), json!(i));
            }
            results.push(result);
        }
    }
    // A file that could not be read: the run did not do all it was asked.
    let successful = files.iter().all(|f| f.io_error.is_none());
    let mut invocation = json!({ "executionSuccessful": successful });
    if let Some(obj) = invocation.as_object_mut()
        && !notifications.is_empty()
    {
        obj.insert("toolExecutionNotifications".to_owned(), Value::Array(notifications));
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "ofxkit",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://example.invalid/ofxkit",
                    "rules": rule_descriptors(root),
                }
            },
            "originalUriBaseIds": match root {
                Some(r) => json!({ SRCROOT: { "uri": r.uri } }),
                None => json!({}),
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": results,
            "properties": {
                "leftOutFindings": left_out_total,
                "leftOut": left_out,
            },
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_what_they_must() {
        assert_eq!(uri("corpus/a b#1.ofx"), "corpus/a%20b%231.ofx");
        assert_eq!(uri("dir\\x.ofc"), "dir/x.ofc");
    }
}
