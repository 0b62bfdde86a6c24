//! Cells that import cleanly (issue 13): the formula guard leaves numbers alone, a `date`
//! column, JSON numbers and booleans, one spelling of each code, investment statements.

use crate::util::{corpus, run};

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes()).records().map(|r| r.expect("valid CSV")).collect()
}

fn column(text: &str, name: &str) -> usize {
    let header = text.lines().next().unwrap_or_default();
    header.split(',').position(|c| c == name).unwrap_or_else(|| panic!("no {name} in {header}"))
}

fn statement(transactions: &str) -> Vec<u8> {
    format!(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1\
         <STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>USD<CCACCTFROM><ACCTID>-4111\
         </CCACCTFROM><BANKTRANLIST>{transactions}</BANKTRANLIST></STMTRS></STMTTRNRS>\
         </BANKMSGSRSV1></OFX>"
    )
    .into_bytes()
}

/// A FITID that is a negative number stays as it is (deduplication across files keeps
/// working); a cell a spreadsheet would run is guarded.
#[test]
fn the_guard_keeps_numbers_and_guards_formulas() {
    let file = statement(
        "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250615<TRNAMT>-1<FITID>-2025061500001\
         <NAME>=cmd|' /C calc'!A0<MEMO>-1+1</STMTTRN>\
         <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250615<TRNAMT>-2<FITID>+44<NAME>@SUM(1)\
         <MEMO>-12.50</STMTTRN>",
    );
    let out = run(&["convert", "--to", "csv", "-"], &file);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let rows = csv_rows(&out.stdout);
    let (fitid, name, memo) =
        (column(&out.stdout, "fitid"), column(&out.stdout, "name"), column(&out.stdout, "memo"));
    assert_eq!(&rows[0][fitid], "-2025061500001");
    assert_eq!(&rows[0][name], "'=cmd|' /C calc'!A0");
    assert_eq!(&rows[0][memo], "'-1+1");
    assert_eq!(&rows[1][fitid], "+44");
    assert_eq!(&rows[1][name], "'@SUM(1)");
    assert_eq!(&rows[1][memo], "-12.50");
    // The account id -4111 is a number too.
    assert_eq!(&rows[0][column(&out.stdout, "account_id")], "-4111");
}

/// `date` is the posted date as the bank wrote it, whatever the offset: a transaction at
/// 23:30 five hours west of Greenwich is on the 1st, not the 2nd.
#[test]
fn the_date_column_is_the_calendar_date_the_bank_wrote() {
    let file = statement(
        "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250601233000.000[-5:EST]<TRNAMT>-1<FITID>A</STMTTRN>\
         <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250602<TRNAMT>-1<FITID>B</STMTTRN>\
         <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250603010000[+13:NZDT]<TRNAMT>-1<FITID>C</STMTTRN>\
         <STMTTRN><TRNTYPE>DEBIT<TRNAMT>-1<FITID>D</STMTTRN>",
    );
    for target in ["csv", "ndjson"] {
        let out = run(&["convert", "--to", target, "-"], &file);
        let dates: Vec<String> = if target == "csv" {
            let at = column(&out.stdout, "date");
            csv_rows(&out.stdout).iter().map(|r| r[at].to_owned()).collect()
        } else {
            out.stdout
                .lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("NDJSON"))
                .map(|r| r["date"].as_str().unwrap_or("").to_owned())
                .collect()
        };
        assert_eq!(dates, ["2025-06-01", "2025-06-02", "2025-06-03", ""], "{target}");
    }
}

/// Counts and flags are JSON numbers and booleans; amounts stay exact decimal strings.
#[test]
fn json_rows_hold_numbers_and_booleans() {
    let out = run(
        &[
            "convert",
            "--to",
            "ndjson",
            "--what",
            "statements",
            &corpus("model/ofx1-bank-and-card.ofx"),
        ],
        b"",
    );
    let first: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().expect("a row")).expect("NDJSON");
    assert_eq!(first["statement"], 1);
    assert_eq!(first["transactions"], 6);
    assert_eq!(first["amount_sum"], "1318.83");
    assert_eq!(first["line"], 36);
    let out = run(
        &["convert", "--to", "ndjson", "--what", "recurring", &corpus("billpay/requests.ofx")],
        b"",
    );
    let rows: Vec<serde_json::Value> =
        out.stdout.lines().map(|l| serde_json::from_str(l).expect("NDJSON")).collect();
    assert_eq!(rows[0]["instalments"], 12);
    assert_eq!(rows[1]["modify_pending"], false);
    assert_eq!(rows[2]["cancel_pending"], true);
    // CSV keeps Y/N.
    let out = run(
        &["convert", "--to", "csv", "--what", "recurring", &corpus("billpay/requests.ofx")],
        b"",
    );
    let rows = csv_rows(&out.stdout);
    assert_eq!(&rows[2][column(&out.stdout, "cancel_pending")], "Y");
}

/// Credit card is `credit_card` in every output.
#[test]
fn one_spelling_of_each_code() {
    let file = corpus("model/ofx1-bank-and-card.ofx");
    let doc = run(&["convert", "--to", "json", &file], b"");
    let rows = run(&["convert", "--to", "csv", &file], b"");
    let statements = run(&["convert", "--to", "csv", "--what", "statements", &file], b"");
    let accounts = run(&["convert", "--to", "csv", "--what", "accounts", &file], b"");
    assert!(doc.stdout.contains("\"credit_card\""), "{}", doc.stdout);
    for out in [&rows, &statements, &accounts] {
        assert!(out.stdout.contains(",credit_card,"), "{}", out.stdout);
        assert!(!out.stdout.contains("creditcard"), "{}", out.stdout);
    }
}

/// An investment statement's row counts and sums the investment transactions its rows hold,
/// and the broker id has a column of its own.
#[test]
fn investment_statements_count_their_investment_transactions() {
    let file = corpus("model/ofx2-investment.ofx");
    let rows = run(&["convert", "--to", "ndjson", &file], b"");
    let transactions: Vec<serde_json::Value> =
        rows.stdout.lines().map(|l| serde_json::from_str(l).expect("NDJSON")).collect();
    let sum: ofxkit::Decimal = transactions
        .iter()
        .filter_map(|r| r["amount"].as_str())
        .map(|a| a.parse::<ofxkit::Decimal>().expect("a decimal"))
        .sum();
    let out = run(&["convert", "--to", "ndjson", "--what", "statements", &file], b"");
    let statement: serde_json::Value = serde_json::from_str(out.stdout.trim()).expect("one row");
    assert_eq!(statement["transactions"], transactions.len());
    assert_eq!(statement["amount_sum"], sum.to_string());
    assert_eq!(statement["broker_id"], "broker.example.com");
    assert_eq!(statement["branch_id"], serde_json::Value::Null);
    assert!(transactions.iter().all(|r| r["broker_id"] == "broker.example.com"));
}
