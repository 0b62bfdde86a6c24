//! Round trip through the writer, for every file of `corpus/` that reads and every `ok` and
//! `recover` file of `../shared/corpus`, to OFX 1.x and to OFX 2.x:
//!
//! - read → write → read gives the same model (statements, transactions, amounts, dates
//!   with offsets, payees, bill-pay records, extensions such as `INTU.*`): the whole model
//!   as JSON for OFX sources (a made-up sign-on aside, and `.000` added where the canonical
//!   date form asks for it), the statements, transactions and sign-on for OFC sources;
//! - writing what was written gives the same bytes;
//! - the written file passes `validate` for its version with no error but the source's own
//!   (an error of the same rule that the source, checked against the same profile, has as
//!   often: the writer keeps what the file says, faults included) and those listed in
//!   `tests/data/write-validate-errors.tsv`, each with its reason;
//! - a file the writer refuses is listed, with the error code and why, in
//!   `tests/data/write-refused.tsv`.
//!
//! Every failure is collected and listed before the test fails, and each line of the two
//! data files must still be needed.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ofxkit::syntax::Severity;
use ofxkit::validate::{ValidateOptions, validate};
use ofxkit::write::{Target, WriteOptions};
use serde_json::Value;

use common::{inputs_under, root, shared_corpus};

/// Tab-separated rows of a data file, comments and blank lines skipped.
fn table(name: &str) -> Vec<Vec<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// The files to write: (name used in the data files, path).
fn inputs() -> Vec<(String, PathBuf)> {
    let own = root().join("corpus");
    let mut files: Vec<(String, PathBuf)> = inputs_under(&own)
        .into_iter()
        .filter(|p| ofxkit::parse(&std::fs::read(p).expect("readable")).is_ok())
        .map(|p| {
            let name = p.strip_prefix(root()).expect("under the root").display().to_string();
            (name, p)
        })
        .collect();
    match shared_corpus() {
        Some(dir) => {
            let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("MANIFEST");
            for row in manifest.lines().skip(1) {
                let cols: Vec<&str> = row.split('\t').collect();
                if let (Some(file), Some(expect)) = (cols.get(7), cols.get(8))
                    && matches!(*expect, "ok" | "recover")
                {
                    files.push((format!("shared:{file}"), dir.join(file)));
                }
            }
        }
        None => eprintln!("../shared/corpus is absent: corpus/ only"),
    }
    files.sort();
    files
}

/// Adds `.000` to every date-time with an offset and no milliseconds, as
/// [`ofxkit::fuzz::write_model`] does.
fn normalise_dates(v: &mut Value) {
    match v {
        Value::String(s) => ofxkit::fuzz::with_milliseconds(s),
        Value::Array(items) => items.iter_mut().for_each(normalise_dates),
        Value::Object(map) => map.values_mut().for_each(normalise_dates),
        _ => {}
    }
}

/// The model of `doc` as JSON, without what writing changes on purpose (see
/// [`ofxkit::fuzz::write_model`]).
fn model_json(doc: &ofxkit::Document<'_>, drop_signon: bool) -> Value {
    ofxkit::fuzz::write_model(doc, drop_signon)
}

/// What an OFC file and its OFX conversion must share: each statement's kind, account
/// number, period, ledger amount and transactions (type as the OFX name, date, amount,
/// FITID, name, memo, check number, payee name), and the payee and payment records.
fn ofc_projection(doc: &ofxkit::Document<'_>) -> Value {
    let m = serde_json::to_value(doc.model()).expect("serialisable");
    let pick = |v: &Value, keys: &[&str]| -> Value {
        let mut out = serde_json::Map::new();
        for k in keys {
            if let Some(x) = v.get(*k) {
                out.insert((*k).to_owned(), x.clone());
            }
        }
        Value::Object(out)
    };
    let statements: Vec<Value> = m["statements"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let trns: Vec<Value> = s["transactions"]
                .as_array()
                .map(|a| a.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|t| {
                    let mut p = pick(
                        t,
                        &[
                            "date_posted",
                            "amount",
                            "fitid",
                            "name",
                            "memo",
                            "check_number",
                            "sic",
                            "server_id",
                            "payee_id",
                        ],
                    );
                    p["trntype"] = t["trntype"]["name"].clone();
                    p["payee"] = t["payee"]["names"][0].clone();
                    p
                })
                .collect();
            serde_json::json!({
                "kind": s["kind"],
                "account": s["account"]["account_id"],
                "start": s["start"],
                "end": s["end"],
                "ledger": s["ledger_balance"]["amount"],
                "transactions": trns,
            })
        })
        .collect();
    // Payee records: the payee's id (OFC PAYEEID, OFX PAYEELSTID), its name, the action and
    // the wrapper's status; payments: server id, amount, due date, action and status.
    let list = |key: &str| m[key].as_array().cloned().unwrap_or_default();
    let payees: Vec<Value> = list("payees")
        .iter()
        .map(|p| {
            let id = if p["list_id"].is_null() { &p["payee_id"] } else { &p["list_id"] };
            // An OFC MAINTRS/PAYEERS does not say whether it answers an add or a change; OFX's
            // PAYEERS answers an add.
            let action = if p["action"] == "add" && p["direction"] == "response" {
                Value::Null
            } else {
                p["action"].clone()
            };
            serde_json::json!({
                "id": id,
                "name": p["payee"]["names"][0],
                "action": action,
                "status": p["wrapper"]["status"]["code"],
            })
        })
        .collect();
    let payments: Vec<Value> = list("payments")
        .iter()
        .map(|p| {
            serde_json::json!({
                "server_id": p["server_id"],
                "amount": p["info"]["amount"],
                "due": p["info"]["due"],
                "action": p["action"],
                "status": p["wrapper"]["status"]["code"],
            })
        })
        .collect();
    let mut v =
        serde_json::json!({ "statements": statements, "payees": payees, "payments": payments });
    normalise_dates(&mut v);
    v
}

#[test]
fn written_files_read_back_to_the_same_model_and_validate() {
    let refused: Vec<Vec<String>> = table("write-refused.tsv");
    let allowed: Vec<Vec<String>> = table("write-validate-errors.tsv");
    let mut used_refused = BTreeSet::new();
    let mut used_allowed = BTreeSet::new();
    let mut failures = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, path) in inputs() {
        let bytes = std::fs::read(&path).expect("readable");
        let Ok(doc) = ofxkit::parse(&bytes) else {
            failures.push(format!("{name}: does not read"));
            continue;
        };
        let ofc = doc.syntax().format() == ofxkit::syntax::Format::Ofc;
        for target in [Target::Ofx1, Target::Ofx2] {
            let options = WriteOptions { target, ..WriteOptions::default() };
            let t = target.name();
            let mut first = Vec::new();
            let written = match doc.write_ofx(&mut first, &options) {
                Ok(w) => w,
                Err(e) => {
                    let key = refused.iter().position(|r| {
                        r[0] == name && (r[1] == t || r[1] == "*") && r[2] == e.code()
                    });
                    match key {
                        Some(i) => {
                            used_refused.insert(i);
                            *counts.entry("refused (listed)").or_default() += 1;
                        }
                        None => failures
                            .push(format!("{name} → {t}: refused, not listed: {} {e}", e.code())),
                    }
                    continue;
                }
            };
            *counts.entry("written").or_default() += 1;
            let again = match ofxkit::parse(&first) {
                Ok(d) => d,
                Err(e) => {
                    failures.push(format!("{name} → {t}: the written file does not read: {e}"));
                    continue;
                }
            };
            // Writing what was written gives the same bytes.
            let mut second = Vec::new();
            match again.write_ofx(&mut second, &options) {
                Ok(_) if second == first => {}
                Ok(_) => failures.push(format!("{name} → {t}: writing twice gives other bytes")),
                Err(e) => {
                    failures.push(format!("{name} → {t}: the written file cannot be written: {e}"))
                }
            }
            // The same model.
            if ofc {
                if ofc_projection(&doc) != ofc_projection(&again) {
                    failures.push(format!(
                        "{name} → {t}: statements differ\n  source:  {}\n  written: {}",
                        ofc_projection(&doc),
                        ofc_projection(&again)
                    ));
                }
            } else {
                let a = model_json(&doc, written.signon_synthesized);
                let b = model_json(&again, written.signon_synthesized);
                if a != b {
                    failures
                        .push(format!("{name} → {t}: models differ{}", first_difference(&a, &b)));
                }
            }
            // Validation for the version written: no error but the source's own (an OFX
            // source checked against the same profile has it as often) or a listed one.
            let profile = written.version.validation_profile();
            let options = ValidateOptions { profile, ..ValidateOptions::default() };
            let report = validate(&again, &options);
            let mut own: BTreeMap<&str, usize> = BTreeMap::new();
            if !ofc {
                for f in validate(&doc, &options).findings {
                    if f.severity == Severity::Error {
                        *own.entry(f.code).or_default() += 1;
                    }
                }
            }
            let index = again.syntax().line_index();
            for f in report.findings.iter().filter(|f| f.severity == Severity::Error) {
                if let Some(n) = own.get_mut(f.code).filter(|n| **n > 0) {
                    *n -= 1;
                    *counts.entry("errors kept from the source").or_default() += 1;
                    continue;
                }
                let key = allowed
                    .iter()
                    .position(|r| r[0] == name && (r[1] == t || r[1] == "*") && r[2] == f.code);
                match key {
                    Some(i) => {
                        used_allowed.insert(i);
                    }
                    None => failures.push(format!(
                        "{name} → {t} ({profile}): {}: error {} {}",
                        index.line_col(f.span.start),
                        f.code,
                        f.message
                    )),
                }
            }
        }
    }
    for (i, r) in refused.iter().enumerate() {
        if !used_refused.contains(&i) {
            failures.push(format!("write-refused.tsv line no longer needed: {}", r.join(" ")));
        }
    }
    for (i, r) in allowed.iter().enumerate() {
        if !used_allowed.contains(&i) {
            failures
                .push(format!("write-validate-errors.tsv line no longer needed: {}", r.join(" ")));
        }
    }
    eprintln!("{counts:?}");
    assert!(counts.get("written").copied().unwrap_or(0) > 100, "{counts:?}");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Where two JSON values first differ (a path and both sides, cut short).
fn first_difference(a: &Value, b: &Value) -> String {
    fn walk(a: &Value, b: &Value, path: &mut String) -> Option<String> {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for k in x.keys().chain(y.keys()) {
                    let (va, vb) =
                        (x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null));
                    if va != vb {
                        path.push('/');
                        path.push_str(k);
                        return walk(va, vb, path);
                    }
                }
                None
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                    if va != vb {
                        path.push_str(&format!("/{i}"));
                        return walk(va, vb, path);
                    }
                }
                None
            }
            _ => {
                let cut = |v: &Value| v.to_string().chars().take(300).collect::<String>();
                Some(format!(" at {path}: {} vs {}", cut(a), cut(b)))
            }
        }
    }
    walk(a, b, &mut String::new()).unwrap_or_default()
}

#[allow(dead_code)]
fn _unused(_: &Path) {}
