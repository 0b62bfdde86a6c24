//! Nothing a file holds is dropped: every leaf's text in the element tree shows up in the JSON
//! document, either as written or, for the leaves the model types (amounts, dates, codes,
//! flags), as the typed value; secret values only when asked for (`show_secrets`), `***`
//! otherwise. Run over the own corpus and every readable shared corpus file.

mod common;

use ofxkit::convert::{ConvertOptions, Converter, Target, What};

/// Leaves whose text is typed by the model, so the JSON shows a normalised value (exact
/// decimal, ISO 8601 date, mapped code or boolean) rather than the text.
const TYPED: &[&str] = &[
    "TRNAMT",
    "BALAMT",
    "LEDGER",
    "CURRATE",
    "VALUE",
    "UNITS",
    "UNITPRICE",
    "COMMISSION",
    "TOTAL",
    "FEES",
    "TAXES",
    "LOAD",
    "MARKUP",
    "MARKDOWN",
    "WITHHOLDING",
    "STATEWITHHOLDING",
    "PENALTY",
    "ACCRDINT",
    "GAIN",
    "MKTVAL",
    "AVAILCASH",
    "MARGINBALANCE",
    "SHORTBALANCE",
    "BUYPOWER",
    "DENOMINATOR",
    "NUMERATOR",
    "OLDUNITS",
    "NEWUNITS",
    "FRACCASH",
    "AVGCOSTBASIS",
    "UNITPRICE",
    "PARVALUE",
    "YIELD",
    "COUPONRT",
    "STRIKEPRICE",
    "SHPERCTRCT",
    "LOANPMTINT",
    "LOANPMTPRIN",
    "CASHADVBALAMT",
    "TRNTYPE",
    "ACCTTYPE",
    "SEVERITY",
    "CODE",
    "STATUS",
    "SVCSTATUS",
    "CORRECTACTION",
    "INCOMETYPE",
    "SUBACCTSEC",
    "SUBACCTFUND",
    "SUBACCTTO",
    "SUBACCTFROM",
    "HELDINACCT",
    "POSTYPE",
    "INV401KSOURCE",
    "SUPTXDL",
    "XFERSRC",
    "XFERDEST",
    "REINVCG",
    "BUYTYPE",
    "SELLTYPE",
    "OPTACTION",
    "TFERACTION",
    "RELTYPE",
    "SECURED",
    "UNIQUEIDTYPE",
    "BALTYPE",
];

fn is_typed(name: &str) -> bool {
    name.starts_with("DT") || TYPED.contains(&name)
}

/// Leaves read into the header or the encoding rather than the model.
const HEADER_LIKE: &[(&str, &str)] = &[("OFC", "DTD"), ("OFC", "CPAGE")];

fn json_of(name: &str, doc: &ofxkit::Document<'_>, show_secrets: bool) -> String {
    let options = ConvertOptions {
        target: Target::Json,
        what: What::Documents,
        formula_guard: false,
        show_secrets,
        ..Default::default()
    };
    let mut conv = Converter::new(Vec::new(), options).expect("in memory");
    conv.add(name, doc).expect("in memory");
    let out = conv.finish().expect("in memory");
    // Decode escapes so texts compare as written.
    let value: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    let mut texts = String::new();
    collect(&value, &mut texts);
    texts
}

fn collect(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push('\u{1}');
            out.push_str(s);
            out.push('\u{1}');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect(x, out)),
        _ => {}
    }
}

#[test]
fn every_leaf_text_reaches_the_json_document() {
    let files = common::own_and_shared_inputs();
    let mut checked = 0;
    let mut lost = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("readable");
        let Ok(doc) = ofxkit::parse(&bytes) else { continue };
        let texts = json_of("f", &doc, true);
        let root_name = doc.syntax().root().name();
        for el in doc.syntax().root().descendants() {
            let Some(text) = el.text() else { continue };
            if text.is_empty() || !el.is_leaf() || is_typed(el.name()) {
                continue;
            }
            if HEADER_LIKE.contains(&(root_name, el.name())) {
                continue;
            }
            checked += 1;
            if !texts.contains(text) {
                lost.push(format!("{}: {} = {text:?}", path.display(), el.path()));
            }
        }
    }
    assert!(checked > 1000, "leaves checked: {checked}");
    assert!(lost.is_empty(), "{} leaves lost:\n{}", lost.len(), lost.join("\n"));
}

/// Without `show_secrets`, no secret value reaches the JSON document, and each shows as `***`.
#[test]
fn secret_values_reach_the_json_document_only_when_asked_for() {
    let files = common::own_and_shared_inputs();
    let mut secrets = 0;
    for path in &files {
        let bytes = std::fs::read(path).expect("readable");
        let Ok(doc) = ofxkit::parse(&bytes) else { continue };
        let values: Vec<&str> = doc
            .syntax()
            .root()
            .descendants()
            .filter(|el| ofxkit::syntax::is_secret(el.name()))
            .filter_map(|el| el.text())
            .filter(|t| !t.is_empty())
            .collect();
        // Short values (OFC's SESSKEY `0`) may be the whole text of another element too.
        let distinctive: Vec<&str> = values.iter().copied().filter(|v| v.len() >= 6).collect();
        if values.is_empty() {
            continue;
        }
        // Decoded strings, each between \u{1}s: a value is found only whole.
        let redacted = json_of("f", &doc, false);
        let shown = json_of("f", &doc, true);
        for v in &distinctive {
            secrets += 1;
            let whole = format!("\u{1}{v}\u{1}");
            assert!(!redacted.contains(&whole), "{}: {v:?} in the document", path.display());
            assert!(shown.contains(&whole), "{}: {v:?} not shown", path.display());
        }
        assert!(redacted.contains("\u{1}***\u{1}"), "{}", path.display());
    }
    assert!(secrets >= 10, "secret values checked: {secrets}");
}
