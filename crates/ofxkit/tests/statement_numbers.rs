//! A statement's number (the `statement` column) counts every statement of the file, the
//! empty ones too, whichever way the rows are made.

use ofxkit::convert::{ConvertOptions, Converter, Target, What};

fn statement(acct: &str, fitid: Option<&str>) -> String {
    let list = match fitid {
        Some(id) => format!(
            "<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-1.00<FITID>{id}\
             </STMTTRN></BANKTRANLIST>"
        ),
        None => String::new(),
    };
    format!(
        "<STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>USD\
         <BANKACCTFROM><BANKID>1<ACCTID>{acct}<ACCTTYPE>CHECKING</BANKACCTFROM>{list}\
         </STMTRS></STMTTRNRS>"
    )
}

fn file() -> String {
    let body: String = [
        statement("A", None),
        statement("B", Some("T2")),
        statement("C", None),
        statement("D", Some("T4")),
    ]
    .concat();
    format!("<OFX><BANKMSGSRSV1>{body}</BANKMSGSRSV1></OFX>")
}

/// `(statement, account)` of each CSV row.
fn numbers(csv: &str, account_column: &str) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("header").clone();
    let at = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (s, a) = (at("statement"), at(account_column));
    reader
        .records()
        .map(|r| r.expect("record"))
        .map(|r| (r[s].to_string(), r[a].to_string()))
        .collect()
}

fn options(what: What) -> ConvertOptions {
    ConvertOptions { target: Target::Csv, what, ..ConvertOptions::default() }
}

#[test]
fn transaction_rows_number_statements_among_all_of_them() {
    let text = file();
    let want = vec![("2".to_string(), "B".to_string()), ("4".to_string(), "D".to_string())];

    // From a parsed document.
    let doc = ofxkit::parse(text.as_bytes()).expect("parses");
    let mut conv = Converter::new(Vec::new(), options(What::Transactions)).expect("memory");
    conv.add("f.ofx", &doc).expect("memory");
    let csv = String::from_utf8(conv.finish().expect("memory")).expect("UTF-8");
    assert_eq!(numbers(&csv, "account_id"), want);

    // Streaming from bytes.
    let mut conv = Converter::new(Vec::new(), options(What::Transactions)).expect("memory");
    conv.add_bytes("f.ofx", text.as_bytes(), &Default::default()).expect("reads");
    let csv = String::from_utf8(conv.finish().expect("memory")).expect("UTF-8");
    assert_eq!(numbers(&csv, "account_id"), want);
}

#[test]
fn statement_rows_number_every_statement() {
    let text = file();
    let doc = ofxkit::parse(text.as_bytes()).expect("parses");
    let mut conv = Converter::new(Vec::new(), options(What::Statements)).expect("memory");
    conv.add("f.ofx", &doc).expect("memory");
    let csv = String::from_utf8(conv.finish().expect("memory")).expect("UTF-8");
    let got = numbers(&csv, "account_id");
    let want: Vec<(String, String)> = ["A", "B", "C", "D"]
        .iter()
        .enumerate()
        .map(|(i, a)| ((i + 1).to_string(), a.to_string()))
        .collect();
    assert_eq!(got, want);
    // The model keeps every statement too, numbered the same way.
    let ordinals: Vec<usize> = doc.statements().iter().map(|s| s.ordinal).collect();
    assert_eq!(ordinals, [1, 2, 3, 4]);
}
