//! Runs the `convert_any`, `validate_any` and `write_any` fuzz targets' functions over both corpora, their prefixes and the
//! fuzz regressions, so CI exercises it on stable.

mod common;

use common::{corpus_and_regression_files, files_under, root};

use ofxkit::fuzz::{
    RowPaths, convert_any, documents_agree, from_read_agrees, plan_log_any, tree_rows_agree,
    validate_any, validate_streamed_agrees, write_any,
};

/// Runs `f` over every corpus file and three of its prefixes.
fn each_file_and_prefixes(f: fn(&[u8])) {
    for path in corpus_and_regression_files() {
        let bytes = std::fs::read(&path).expect("readable");
        f(&bytes);
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len().saturating_sub(9)] {
            if let Some(prefix) = bytes.get(..cut) {
                f(prefix);
            }
        }
    }
}

#[test]
fn convert_any_survives_every_corpus_file_and_its_prefixes() {
    each_file_and_prefixes(convert_any);
}

#[test]
fn rows_from_a_reader_are_those_of_the_whole_input_on_every_corpus_file() {
    each_file_and_prefixes(from_read_agrees);
}

#[test]
fn write_any_survives_every_corpus_file_and_its_prefixes() {
    each_file_and_prefixes(write_any);
}

/// Every plan log of `corpus/recurring/`, its prefixes, its lines in reverse order and each
/// pair of its halves swapped, through the `plan_log` target's oracles.
#[test]
fn plan_log_any_holds_on_every_plan_log_and_its_reorderings() {
    let mut logs = Vec::new();
    files_under(&root().join("corpus/recurring"), &mut logs);
    logs.retain(|p| {
        p.to_str().is_some_and(|s| s.ends_with(".ndjson") && !s.ends_with(".results.ndjson"))
    });
    assert!(logs.len() >= 5, "plan logs: {}", logs.len());
    for path in logs {
        let bytes = std::fs::read(&path).expect("readable");
        plan_log_any(&bytes);
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len().saturating_sub(9)] {
            plan_log_any(bytes.get(..cut).unwrap_or_default());
        }
        let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        let reversed: Vec<&[u8]> = lines.iter().rev().copied().collect();
        plan_log_any(&reversed.join(&b'\n'));
        let (a, b) = lines.split_at(lines.len() / 2);
        plan_log_any(&[b, a].concat().join(&b'\n'));
    }
}

#[test]
fn validate_any_survives_every_corpus_file_and_its_prefixes() {
    each_file_and_prefixes(validate_any);
}

#[test]
fn validate_streamed_agrees_on_every_corpus_file_and_its_prefixes() {
    each_file_and_prefixes(validate_streamed_agrees);
}

/// The whole document written as JSON as it is read is `serde_json` of the whole model, on
/// every corpus file (the shared corpus's too).
#[test]
fn document_json_equals_the_whole_model_on_every_corpus_file() {
    let mut transactions = 0;
    for path in corpus_and_regression_files() {
        let bytes = std::fs::read(&path).expect("readable");
        if let Ok(doc) = ofxkit::parse(&bytes) {
            transactions += documents_agree(&doc);
        }
    }
    assert!(transactions > 200, "transactions written: {transactions}");
}

/// The shortcut that writes plain transactions straight from the tree gives the same rows and
/// findings as reading them into the model, on every corpus file; and both ways are taken.
#[test]
fn tree_rows_equal_model_rows_on_every_corpus_file() {
    let mut total = RowPaths::default();
    for path in corpus_and_regression_files() {
        let bytes = std::fs::read(&path).expect("readable");
        let paths = tree_rows_agree(&bytes);
        total.from_tree += paths.from_tree;
        total.through_model += paths.through_model;
        total.streamed += paths.streamed;
        total.leaves += paths.leaves;
    }
    eprintln!(
        "rows written from the tree: {}, through the model: {}; streamed while reading: {}, \
         of which {} from children read at once",
        total.from_tree, total.through_model, total.streamed, total.leaves
    );
    assert!(total.streamed > 50, "rows streamed while reading: {}", total.streamed);
    assert!(total.leaves > 20, "rows from children read at once: {}", total.leaves);
    assert!(total.from_tree > 50, "the shortcut was taken for {} rows only", total.from_tree);
    assert!(
        total.through_model > 10,
        "the general way was taken for {} rows only",
        total.through_model
    );
}

/// A transaction with a `PAYEE` takes the shortcut when the reader would take it without a
/// remark, and the general way otherwise; both give the same rows and findings.
#[test]
fn payees_take_the_shortcut_only_when_the_reader_has_nothing_to_say() {
    let payee = "<PAYEE><NAME>CITY WATER<ADDR1>1 ELM ST<CITY>BOSTON<STATE>MA\
                 <POSTALCODE>02108<PHONE>555</PAYEE>";
    let shortcut = [
        payee.to_owned(),
        "<PAYEE><NAME>FIRST<NAME>SECOND<ADDR2>X<COUNTRY>USA</PAYEE>".to_owned(),
        "<PAYEE><NAME>A</NAME><POSTALID>1</POSTALID></PAYEE><MEMO>M".to_owned(),
        // PAYEE2 is the payee too (one table of fields says so for both ways).
        "<PAYEE2><NAME>SECOND FORM<CITY>X</PAYEE2>".to_owned(),
    ];
    let general = [
        format!("<NAME>BOTH{payee}"),
        "<PAYEE><NAME>A<CITY>X<CITY>Y</PAYEE>".to_owned(),
        "<PAYEE><NAME>A<POSTALCODE>1<POSTALID>2</PAYEE>".to_owned(),
        "<PAYEE><NAME>A<X.VENDOR>1</PAYEE>".to_owned(),
        "<PAYEE>LEAF</PAYEE>".to_owned(),
        format!("{payee}{payee}"),
        "<PAYEE><NAME></NAME><CITY>X</PAYEE>".to_owned(),
    ];
    let mut file = String::from(
        "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1\
         <ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>",
    );
    for (i, t) in shortcut.iter().chain(&general).enumerate() {
        file.push_str(&format!(
            "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-1.00<FITID>{i}{t}</STMTTRN>"
        ));
    }
    file.push_str("</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>");
    let paths = tree_rows_agree(file.as_bytes());
    assert_eq!((paths.from_tree, paths.through_model), (shortcut.len(), general.len()));
    // The payee's first name is the row's name.
    let doc = ofxkit::parse(file.as_bytes()).expect("parses");
    let options = ofxkit::convert::ConvertOptions {
        target: ofxkit::convert::Target::Csv,
        what: ofxkit::convert::What::Transactions,
        ..Default::default()
    };
    let mut conv = ofxkit::convert::Converter::new(Vec::new(), options).expect("in memory");
    conv.add("t", &doc).expect("in memory");
    let csv = String::from_utf8(conv.finish().expect("in memory")).expect("UTF-8");
    assert!(csv.contains(",0,CITY WATER,"), "{csv}");
    assert!(csv.contains(",1,FIRST,"), "{csv}");
}
