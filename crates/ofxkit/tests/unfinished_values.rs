//! No row holds a value the file does not hold: a value the file did not finish (cut by the
//! end of the input, or closed by recovery) is left out and the row says why.

mod common;

use std::collections::BTreeMap;

use ofxkit::convert::{ConvertOptions, Converter, Target, What};
use serde_json::Value;

/// The NDJSON transaction rows of `bytes`, by line (as the streaming CLI path writes them).
fn rows(bytes: &[u8]) -> BTreeMap<u64, Value> {
    let options =
        ConvertOptions { target: Target::Ndjson, what: What::Transactions, ..Default::default() };
    let mut conv = Converter::new(Vec::new(), options).expect("in memory");
    if conv.add_bytes("t", bytes, &Default::default()).is_err() {
        return BTreeMap::new();
    }
    let out = conv.finish().expect("in memory");
    out.split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice::<Value>(l).expect("NDJSON"))
        .map(|r| (r["line"].as_u64().expect("a line number"), r))
        .collect()
}

#[test]
fn a_cut_amount_is_left_out_and_the_transaction_says_why() {
    let whole =
        std::fs::read(common::root().join("corpus/model/ofx1-bank-and-card.ofx")).expect("corpus");
    let at = whole.windows(14).position(|w| w == b"<TRNAMT>-42.00").expect("the amount");
    let cut = &whole[..at + "<TRNAMT>-4".len()];
    let doc = ofxkit::parse(cut).expect("recovered");
    let transactions: Vec<_> = doc.transactions().collect();
    let last = transactions.last().expect("transactions");
    assert_eq!(last.amount, None, "not -4");
    assert_eq!(last.problems, ["E-UNFINISHED-VALUE", "E-UNEXPECTED-EOF"]);
    assert_eq!(doc.syntax().line_col(last.span.start).line, 85);
    assert!(transactions.iter().rev().skip(1).all(|t| t.problems.is_empty()));
    let finding = doc.diagnostics().iter().find(|d| d.code == "E-UNFINISHED-VALUE");
    let finding = finding.expect("a finding");
    assert!(finding.message.contains("<TRNAMT> \"-4\" ran into the end of the input"), "{finding}");
}

#[test]
fn an_xml_leaf_closed_by_another_end_tag_is_not_trusted() {
    let file = b"<?xml version=\"1.0\"?><?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\
        <OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD</CURDEF>\
        <BANKACCTFROM><BANKID>1</BANKID><ACCTID>2</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>\
        <BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240105</DTPOSTED>\
        <TRNAMT>-1.00</TRNAMT><FITID>A</FITID><NAME>ACME</MEMO></STMTTRN>\
        </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
    let doc = ofxkit::parse(file).expect("recovered");
    let t = doc.transactions().next().expect("a transaction");
    assert_eq!(t.name, None);
    assert_eq!(t.fitid, Some("A"));
    assert!(t.problems.contains(&"E-UNFINISHED-VALUE"), "{:?}", t.problems);
    let rows = rows(file);
    let row = rows.values().next().expect("a row");
    assert_eq!(row["name"], Value::Null);
    assert_eq!(row["amount"], "-1.00");
}

/// Every prefix of a statement: each row's cells are those of the whole file's row at the
/// same line, or empty. A cut never makes a value up.
#[test]
fn no_prefix_of_a_statement_writes_a_value_the_file_does_not_hold() {
    for name in ["ofx1-bank-and-card.ofx", "ofx2-creditcard.ofx", "ofc-statement.ofc"] {
        let whole = std::fs::read(common::root().join("corpus/model").join(name)).expect("corpus");
        let full = rows(&whole);
        assert!(full.len() >= 3, "{name}");
        let mut marked = 0;
        for cut in 1..whole.len() {
            for (line, row) in rows(&whole[..cut]) {
                let reference =
                    full.get(&line).unwrap_or_else(|| panic!("{name}@{cut}: line {line}"));
                for (key, value) in row.as_object().expect("an object") {
                    if key == "problems" || value.is_null() {
                        continue;
                    }
                    assert_eq!(
                        value, &reference[key],
                        "{name} cut at {cut}: {key} of the row at line {line}"
                    );
                }
                if row["problems"].as_array().is_some_and(|p| !p.is_empty()) {
                    marked += 1;
                }
            }
        }
        assert!(marked > 0, "{name}: some cut rows are marked");
    }
}

/// The findings cap keeps 1,000 findings of a code; every row an error falls in is still
/// marked, past the cap too (syntax errors and the model's).
#[test]
fn rows_past_the_findings_cap_are_marked_too() {
    let mut file = String::from(
        "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>2\
         <ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>",
    );
    for i in 0..1_005 {
        file.push_str(&format!(
            "\n<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>+-1<FITID>{i}\
             <NAME>A&#99999999;B</STMTTRN>"
        ));
    }
    file.push_str("</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>");
    let rows = rows(file.as_bytes());
    assert_eq!(rows.len(), 1_005);
    for row in rows.values() {
        assert_eq!(
            row["problems"],
            serde_json::json!(["E-AMOUNT-SYNTAX", "E-INVALID-CHAR-REF"]),
            "{row}"
        );
    }
    let doc = ofxkit::parse(file.as_bytes()).expect("parses");
    let kept = doc.diagnostics().iter().filter(|d| d.code == "E-AMOUNT-SYNTAX").count();
    assert_eq!(kept, 1_001, "1,000 kept and the one that says how many were left out");
    assert!(doc.transactions().all(|t| t.problems.len() == 2));
}
