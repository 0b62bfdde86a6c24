//! Golden files for the typed model and the converters: for each input in `corpus/model/`,
//! the whole document as JSON (`NAME.json`, pretty-printed for review) and its rows as CSV
//! (`NAME.csv`: transactions, or payees for a payee file, and statements), compared with the
//! files beside it. Regenerate with `OFXKIT_BLESS=1 cargo test -p ofxkit --test model_golden`
//! and review the diff.

mod common;

use std::path::{Path, PathBuf};

use ofxkit::convert::{ConvertOptions, Converter, Target, What};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/model")
}

fn inputs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("corpus/model exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ofx" || e == "ofc" || e == "qfx"))
        .collect();
    files.sort();
    files
}

fn convert(name: &str, doc: &ofxkit::Document<'_>, target: Target, what: What) -> String {
    let options = ConvertOptions { target, what, ..ConvertOptions::default() };
    let mut conv = Converter::new(Vec::new(), options).expect("in memory");
    conv.add(name, doc).expect("in memory");
    String::from_utf8(conv.finish().expect("in memory")).expect("UTF-8 output")
}

fn render(name: &str, bytes: &[u8]) -> (String, String) {
    let doc = ofxkit::parse(bytes).expect("own model corpus files parse");
    let json = convert(name, &doc, Target::Json, What::Documents);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let mut pretty = serde_json::to_string_pretty(&value).expect("serialise");
    pretty.push('\n');
    let rows = if doc.statements().is_empty() { What::Payees } else { What::Transactions };
    let mut csv = convert(name, &doc, Target::Csv, rows);
    if !doc.statements().is_empty() {
        csv.push('\n');
        csv.push_str(&convert(name, &doc, Target::Csv, What::Statements));
    }
    (pretty, csv)
}

#[test]
fn own_model_corpus_matches_golden_json_and_csv() {
    let files = inputs();
    assert!(files.len() >= 6, "corpus/model inputs: {}", files.len());
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8 name").to_owned();
        let bytes = std::fs::read(&path).expect("read corpus file");
        let (json, csv) = render(&name, &bytes);
        for (ext, actual) in [("json", json), ("csv", csv)] {
            let golden = path.with_file_name(format!("{name}.{ext}"));
            common::check_golden(&name, &golden, &actual, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Facts a reviewer would check by hand, asserted directly so a wrong golden cannot hide them.
#[test]
fn model_corpus_facts() {
    let read = |n: &str| std::fs::read(corpus().join(n)).expect("corpus file");

    let bytes = read("ofc-statement.ofc");
    let doc = ofxkit::parse(&bytes).expect("parses");
    let s = &doc.statements()[0];
    assert_eq!(s.transactions.len(), 5);
    assert_eq!(s.amount_sum().to_string(), "1234.56");
    assert_eq!(
        s.ledger_balance.as_ref().and_then(|b| b.amount.as_ref()).map(|a| a.raw),
        Some("1234,56")
    );
    let t = &s.transactions[2];
    assert_eq!(t.payee.as_ref().and_then(|p| p.name()), Some("COMPANHIA DE LUZ"));
    assert_eq!(s.transactions[3].name, Some("TARIFA MANUTENÇÃO"), "CP1252 decoded");

    let bytes = read("ofx1-bank-and-card.ofx");
    let doc = ofxkit::parse(&bytes).expect("parses");
    let statements = doc.statements();
    assert_eq!(statements.len(), 2);
    assert_eq!(statements[0].transactions.len(), 6);
    assert_eq!(statements[0].amount_sum().to_string(), "1318.83");
    assert_eq!(statements[1].amount_sum().to_string(), "180.01");
    let signon = doc.model().signon.as_ref().expect("signon");
    assert!(signon.extensions.iter().any(|e| e.name == "INTU.BID"), "vendor element kept");

    let bytes = read("ofx2-creditcard.ofx");
    let doc = ofxkit::parse(&bytes).expect("parses");
    let s = &doc.statements()[0];
    assert_eq!(s.pending.len(), 1);
    assert!(s.pending_as_of.is_some());
    assert_eq!(s.transactions[0].name, Some("Librairie Ç&Cie"));
    assert!(doc.diagnostics().is_empty(), "{:?}", doc.diagnostics());

    let bytes = read("ofx2-investment.ofx");
    let doc = ofxkit::parse(&bytes).expect("parses");
    let s = &doc.statements()[0];
    assert_eq!(s.investment_transactions.len(), 4);
    assert_eq!(s.transactions.len(), 1, "INVBANKTRAN");
    assert_eq!(doc.model().securities.len(), 2);

    let bytes = read("ofc-payees.ofc");
    let doc = ofxkit::parse(&bytes).expect("parses");
    let payees = doc.payees();
    assert_eq!(payees.len(), 1);
    assert_eq!(payees[0].names, ["Gas Company", "Attn: Accounts"]);
}

/// The files written from the specifications pass the validator: no error under the profile
/// their header names (warnings for the oddities they carry on purpose are fine).
#[test]
fn hand_written_model_and_billpay_files_validate_without_errors() {
    use ofxkit::validate::{ValidateOptions, validate};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let mut files = inputs();
    for dir in ["billpay", "billpay/replay"] {
        let mut more: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("corpus/billpay exists")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "ofx" || e == "ofc"))
            .collect();
        files.append(&mut more);
    }
    assert!(files.len() > 20, "files: {}", files.len());
    let mut failures = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let doc = ofxkit::parse(&bytes).expect("parses");
        let report = validate(&doc, &ValidateOptions::default());
        for f in report.findings.iter().filter(|f| f.severity == ofxkit::syntax::Severity::Error) {
            failures.push(format!("{}: {} {}", path.display(), f.code, f.message));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
