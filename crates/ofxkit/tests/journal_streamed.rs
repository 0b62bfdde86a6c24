//! The oracle of the streamed journal: `Journal::add_bytes` (transactions taken while the
//! file is read) gives the accounts, entries, balances, counts and findings that
//! `Journal::add_model` gives from the whole document, and so the same beancount, ledger
//! and QIF output, on every file of both corpora, their prefixes, and all of them in one
//! journal.

mod common;

use common::corpus_and_regression_files;
use ofxkit::export::accounts::AccountMap;
use ofxkit::export::qif::DateOrder;
use ofxkit::export::{FinishOptions, Journal, beancount, ledger, qif};

/// The three outputs of a finished journal.
fn outputs(journal: &Journal<'_>) -> Vec<u8> {
    let map = AccountMap::default();
    let mut out = Vec::new();
    beancount::write(journal, &map, &mut out).expect("written");
    ledger::write(journal, &map, &mut out).expect("written");
    qif::write(journal, &map, DateOrder::Mdy, &mut out).expect("written");
    out
}

/// Compares the two ways on `inputs` read into one journal; the number of entries streamed.
fn agree(what: &str, inputs: &[&[u8]]) -> usize {
    let docs: Vec<_> = inputs.iter().map(|b| ofxkit::parse(b)).collect();
    let mut by_model = Journal::new();
    for doc in docs.iter().flatten() {
        by_model.add_model(doc.model());
    }
    let mut streamed = Journal::new();
    let mut streamed_findings = Vec::new();
    for (bytes, doc) in inputs.iter().zip(&docs) {
        match (streamed.add_bytes(bytes, &Default::default()), doc) {
            (Ok(s), Ok(d)) => {
                assert_eq!(
                    format!("{:?}", s.diagnostics()),
                    format!("{:?}", d.diagnostics()),
                    "{what}: findings"
                );
                streamed_findings.push(s.diagnostics().len());
            }
            (Err(s), Err(d)) => assert_eq!(s.to_string(), d.to_string(), "{what}"),
            (s, d) => panic!("{what}: streamed {:?}, model {:?}", s.is_ok(), d.is_ok()),
        }
    }
    assert_eq!(streamed.accounts(), by_model.accounts(), "{what}: accounts");
    assert_eq!(streamed.entries(), by_model.entries(), "{what}: entries");
    assert_eq!(streamed.balances(), by_model.balances(), "{what}: balances");
    assert_eq!(streamed.totals(), by_model.totals(), "{what}: totals");
    let n = streamed.streamed_entries();
    let streamed = streamed.finish(&FinishOptions::default());
    let by_model = by_model.finish(&FinishOptions::default());
    assert_eq!(streamed.totals(), by_model.totals(), "{what}: finished totals");
    assert!(outputs(&streamed) == outputs(&by_model), "{what}: outputs differ");
    n
}

#[test]
fn streamed_journals_equal_model_journals_on_every_corpus_file() {
    let files = corpus_and_regression_files();
    let all: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).expect("readable")).collect();
    let mut streamed = 0;
    for (path, bytes) in files.iter().zip(&all) {
        let what = path.display().to_string();
        streamed += agree(&what, &[bytes]);
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len().saturating_sub(9)] {
            agree(&format!("{what} cut at {cut}"), &[bytes.get(..cut).unwrap_or_default()]);
        }
    }
    eprintln!("entries taken while reading: {streamed}");
    assert!(streamed > 100, "entries taken while reading: {streamed}");
    // Every file in one journal: accounts keep the order they were met in across files.
    let slices: Vec<&[u8]> = all.iter().map(Vec::as_slice).collect();
    assert!(agree("all files", &slices) > 100);
}

/// A file whose third transaction the reader remarks on: the first is taken while
/// reading, the rest read from the document, in the same order as the model's.
#[test]
fn a_transaction_left_in_the_tree_ends_the_streaming_in_order() {
    let t = |id: &str, name: &str| {
        format!("<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-1<FITID>{id}{name}</STMTTRN>")
    };
    let file = format!(
        "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>2\
         <ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>{}{}{}{}</BANKTRANLIST>\
         <LEDGERBAL><BALAMT>5<DTASOF>20240131</LEDGERBAL></STMTRS></STMTTRNRS>\
         </BANKMSGSRSV1></OFX>",
        t("A", "<NAME>SHOP"),
        t("B", "<NAME>SHOP"),
        t("C", "<NAME>BOTH<PAYEE><NAME>SHOP</PAYEE>"),
        t("D", "<NAME>SHOP")
    );
    let n = agree("remarked", &[file.as_bytes()]);
    assert_eq!(n, 2, "A and B are taken while reading, C and D are not");
    let mut j = Journal::new();
    let doc = j.add_bytes(file.as_bytes(), &Default::default()).expect("reads");
    assert!(!doc.diagnostics().is_empty(), "the reader remarks on C's NAME and PAYEE");
    let ids: Vec<_> = j.entries().iter().map(|e| e.fitid.as_deref().unwrap_or("")).collect();
    assert_eq!(ids, ["A", "B", "C", "D"]);
}
