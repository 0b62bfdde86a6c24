//! SARIF 2.1.0: one run of the `ofxkit` tool, its rules (the catalog and the reader's codes)
//! and one result per finding, so code-scanning tools show the findings inline.

use ofxkit::syntax::{Code, Severity};
use ofxkit::validate::rules::RULES;
use serde_json::{Value, json};

use crate::findings::{FileResult, severity_name};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

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

fn rule_descriptors() -> Vec<Value> {
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
            if let (Some(help), Some(obj)) = (r.help, d.as_object_mut()) {
                obj.insert("help".to_owned(), json!({ "text": help }));
            }
            d
        })
        .collect();
    out.extend(Code::ALL.iter().map(|c| {
        let id = c.as_str();
        let level = if id.starts_with("E-") { "error" } else { "warning" };
        json!({
            "id": id,
            "shortDescription": { "text": format!("reader finding {id}") },
            "defaultConfiguration": { "level": level },
        })
    }));
    out
}

/// The whole log.
pub fn log(files: &[FileResult]) -> Value {
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
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&file.name) } } }],
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
                    "artifactLocation": { "uri": uri(&file.name) },
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
    let mut invocation = json!({ "executionSuccessful": true });
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
                    "rules": rule_descriptors(),
                }
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
