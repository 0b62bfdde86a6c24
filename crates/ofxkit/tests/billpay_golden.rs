//! Golden files for bill pay: for each input in `corpus/billpay/` (and `replay/`), the
//! payment, payee and recurring rows as CSV, the findings with line:column, and the bill-pay
//! part of the model as JSON, compared as text with `NAME.golden` beside it. Regenerate with
//! `OFXKIT_BLESS=1 cargo test -p ofxkit --test billpay_golden` and review the diff.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ofxkit::convert::{ConvertOptions, Converter, Target, What};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/billpay")
}

fn inputs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [corpus_dir(), corpus_dir().join("replay")] {
        for e in std::fs::read_dir(&dir).expect("corpus/billpay exists") {
            let p = e.expect("dir entry").path();
            if p.is_file() && p.extension().is_some_and(|e| e == "ofx" || e == "ofc") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn rows(name: &str, doc: &ofxkit::Document<'_>, what: What) -> String {
    let options = ConvertOptions { target: Target::Csv, what, ..ConvertOptions::default() };
    let mut conv = Converter::new(Vec::new(), options).expect("start");
    conv.add(name, doc).expect("convert");
    String::from_utf8(conv.finish().expect("finish")).expect("utf-8")
}

fn render(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("read corpus file");
    let name = path.strip_prefix(corpus_dir()).unwrap_or(path).display().to_string();
    let doc = ofxkit::parse(&bytes).expect("corpus files parse");
    let mut out = String::new();
    for (title, what) in
        [("payments", What::Payments), ("payees", What::Payees), ("recurring", What::Recurring)]
    {
        let _ = writeln!(out, "# {title} (CSV)");
        out.push_str(&rows(&name, &doc, what));
    }
    out.push_str("# findings\n");
    let index = doc.syntax().line_index();
    let model = doc.model();
    for d in &model.diagnostics {
        let _ = writeln!(
            out,
            "{} {}[{}] {}",
            index.line_col(d.span.start),
            d.severity,
            d.code,
            d.message
        );
    }
    out.push_str("# model (JSON, bill-pay parts)\n");
    let mut value = serde_json::to_value(model).expect("model serialises");
    if let Some(map) = value.as_object_mut() {
        map.retain(|k, _| {
            matches!(k.as_str(), "format" | "version" | "payments" | "payees" | "recurring")
                || matches!(k.as_str(), "sync" | "responses")
        });
    }
    out.push_str(&serde_json::to_string_pretty(&value).expect("json"));
    out.push('\n');
    out
}

#[test]
fn billpay_corpus_matches_golden_files() {
    let mut failures = Vec::new();
    let files = inputs();
    assert!(files.len() >= 20, "the bill-pay corpus is missing files: {files:?}");
    for path in files {
        let actual = render(&path);
        let golden = path.with_extension(format!(
            "{}.golden",
            path.extension().and_then(|e| e.to_str()).unwrap_or("")
        ));
        common::check_golden(&path.display().to_string(), &golden, &actual, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every bill-pay message the model reads appears, as a typed record, in a hand-written file
/// of each syntax it exists in: OFX 1.6 SGML, OFX 2.2 XML, and OFC for OFC's aggregates.
#[test]
fn corpus_covers_every_message_in_every_syntax() {
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for path in inputs() {
        let bytes = std::fs::read(&path).expect("read");
        let doc = ofxkit::parse(&bytes).expect("parse");
        let model = doc.model();
        let format = model.format.to_owned();
        let mut add = |kind: &str| {
            seen.insert((format.clone(), kind.to_owned()));
        };
        for p in model.all_payments() {
            add(p.kind);
            if let Some(w) = &p.wrapper {
                add(w.kind);
            }
            if p.processing.is_some() {
                add("PMTPRCSTS");
            }
            if p.extended_payee.is_some() {
                add("EXTDPAYEE");
            }
            if p.info.is_some() {
                add("PMTINFO");
            }
        }
        for p in model.all_payees() {
            add(p.kind);
            if let Some(w) = &p.wrapper {
                add(w.kind);
            }
        }
        for r in model.all_recurring() {
            add(r.kind);
            if let Some(w) = &r.wrapper {
                add(w.kind);
            }
            if let Some(i) = &r.instructions {
                add("RECURRINST");
                if i.instalments.is_some() {
                    add("NINSTS");
                }
            }
        }
        for s in &model.sync {
            add(s.kind);
            for (field, present) in [
                ("TOKEN", s.token.is_some()),
                ("TOKENONLY", s.token_only.is_some()),
                ("REFRESH", s.refresh.is_some()),
                ("REJECTIFMISSING", s.reject_if_missing.is_some()),
                ("LOSTSYNC", s.lost_sync.is_some()),
            ] {
                if present {
                    add(field);
                }
            }
        }
        for r in &model.responses {
            add(r.kind);
        }
    }
    let ofx = [
        "PMTRQ",
        "PMTRS",
        "PMTMODRQ",
        "PMTMODRS",
        "PMTCANCRQ",
        "PMTCANCRS",
        "PMTINQRQ",
        "PMTINQRS",
        "PMTSYNCRQ",
        "PMTSYNCRS",
        "PAYEERQ",
        "PAYEERS",
        "PAYEEMODRQ",
        "PAYEEMODRS",
        "PAYEEDELRQ",
        "PAYEEDELRS",
        "PAYEESYNCRQ",
        "PAYEESYNCRS",
        "RECPMTRQ",
        "RECPMTRS",
        "RECPMTMODRQ",
        "RECPMTMODRS",
        "RECPMTCANCRQ",
        "RECPMTCANCRS",
        "RECPMTSYNCRQ",
        "RECPMTSYNCRS",
        "PMTTRNRQ",
        "PMTTRNRS",
        "PAYEETRNRQ",
        "PAYEETRNRS",
        "RECPMTTRNRQ",
        "RECPMTTRNRS",
        "PMTINQTRNRQ",
        "PMTINQTRNRS",
        "PMTINFO",
        "EXTDPAYEE",
        "PMTPRCSTS",
        "RECURRINST",
        "NINSTS",
        "TOKEN",
        "TOKENONLY",
        "REFRESH",
        "REJECTIFMISSING",
        "LOSTSYNC",
    ];
    let ofc = [
        "PAYEERQ", "PAYEERS", "PAYMTRQ", "PAYMTRS", "INTERRQ", "INTERRS", "PAYIQRQ", "PAYIQRS",
        "MAINTRQ", "MAINTRS", "TRNRQ", "TRNRS",
    ];
    let mut missing = Vec::new();
    for format in ["OFX 1.x", "OFX 2.x"] {
        for kind in ofx {
            if !seen.contains(&(format.to_owned(), kind.to_owned())) {
                missing.push(format!("{format} {kind}"));
            }
        }
    }
    for kind in ofc {
        if !seen.contains(&("OFC".to_owned(), kind.to_owned())) {
            missing.push(format!("OFC {kind}"));
        }
    }
    assert!(missing.is_empty(), "no corpus file exercises: {missing:?}");
}

/// No bill-pay file, nor any prefix of one, makes reading, conversion, replay or scheduling
/// panic.
#[test]
fn every_prefix_reads_replays_and_schedules_without_panic() {
    for path in inputs() {
        let bytes = std::fs::read(&path).expect("read");
        let mut cuts: Vec<usize> = (0..bytes.len()).step_by(97).collect();
        cuts.push(bytes.len());
        for cut in cuts {
            let prefix = bytes.get(..cut).unwrap_or(&bytes);
            let Ok(doc) = ofxkit::parse(prefix) else { continue };
            let model = doc.model();
            let mut state = ofxkit::sync::SyncState::new();
            state.apply_responses(model);
            state.apply_model(model);
            for r in state.recurring.values() {
                let _ = ofxkit::schedule::plan(r, None, None, 50);
            }
            for what in [What::Payments, What::Payees, What::Recurring] {
                let _ = rows("x", &doc, what);
            }
        }
    }
}

/// Deterministic byte mutations of every bill-pay file (no randomness between runs): reading,
/// conversion, replay and scheduling never panic, whatever the damage.
#[test]
fn mutated_files_never_panic() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet = b"<>/0123456789-.,YNyn \n&ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for path in inputs() {
        let original = std::fs::read(&path).expect("read");
        for _ in 0..40 {
            let mut bytes = original.clone();
            for _ in 0..(1 + next() % 6) {
                if bytes.is_empty() {
                    break;
                }
                let at = (next() % bytes.len() as u64) as usize;
                let pick = alphabet[(next() % alphabet.len() as u64) as usize];
                match next() % 3 {
                    0 => bytes[at] = pick,
                    1 => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at, pick),
                }
            }
            let Ok(doc) = ofxkit::parse(&bytes) else { continue };
            let model = doc.model();
            let mut state = ofxkit::sync::SyncState::new();
            state.apply_responses(model);
            state.apply_model(model);
            let _ = ofxkit::sync::SyncState::from_json(&state.to_json());
            for r in state.recurring.values() {
                let _ = ofxkit::schedule::plan(r, None, None, 30);
            }
            for what in [What::Payments, What::Payees, What::Recurring] {
                let _ = rows("x", &doc, what);
            }
        }
    }
}
