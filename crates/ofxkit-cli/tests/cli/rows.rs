//! Every row carries `line` and `problems`; `--on-error mark|skip|fail`.

use crate::util::{corpus, root, run};

/// `corpus/model/ofx1-bank-and-card.ofx` cut right after `<TRNAMT>-4` (the real amount is
/// -42.00), given on standard input.
fn cut_statement() -> Vec<u8> {
    let whole = std::fs::read(root().join("corpus/model/ofx1-bank-and-card.ofx")).expect("corpus");
    let at = whole.windows(14).position(|w| w == b"<TRNAMT>-42.00").expect("the amount");
    whole.get(..at + "<TRNAMT>-4".len()).expect("a prefix").to_vec()
}

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes()).records().map(|r| r.expect("valid CSV")).collect()
}

fn column(text: &str, name: &str) -> usize {
    let header = text.lines().next().expect("a header");
    header.split(',').position(|c| c == name).unwrap_or_else(|| panic!("no {name} in {header}"))
}

#[test]
fn a_row_cut_by_the_end_of_the_input_is_marked_with_its_line() {
    let out = run(&["convert", "--to", "csv", "-"], &cut_statement());
    assert_eq!(out.status, 1, "{}", out.stderr);
    let rows = csv_rows(&out.stdout);
    assert_eq!(rows.len(), 4, "{}", out.stdout);
    let (line, problems) = (column(&out.stdout, "line"), column(&out.stdout, "problems"));
    let lines: Vec<&str> = rows.iter().map(|r| &r[line]).collect();
    assert_eq!(lines, ["47", "57", "66", "85"], "where each STMTTRN starts");
    for r in &rows[..3] {
        assert_eq!(&r[problems], "", "complete rows have no problems: {r:?}");
    }
    // The amount ran into the end of the input: its cell is empty, not "-4", and the row
    // says why.
    let amount = column(&out.stdout, "amount");
    assert_eq!(&rows[3][amount], "", "{:?}", rows[3]);
    assert_eq!(&rows[3][problems], "E-UNFINISHED-VALUE E-UNEXPECTED-EOF", "{:?}", rows[3]);
    assert!(!out.stdout.contains(",-4,"), "{}", out.stdout);
    // The finding on standard error names the row's file and a line inside it.
    assert!(out.stderr.contains("<stdin>:88:"), "{}", out.stderr);
}

#[test]
fn skip_leaves_rows_with_problems_out_and_fail_stops() {
    let out = run(&["convert", "--to", "csv", "--on-error", "skip", "-"], &cut_statement());
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert_eq!(csv_rows(&out.stdout).len(), 3, "{}", out.stdout);
    assert!(out.stderr.contains("1 row(s) with problems left out"), "{}", out.stderr);

    let out = run(&["convert", "--to", "ndjson", "--on-error", "fail", "-"], &cut_statement());
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("<stdin>:85: error: the row has problems (E-UNFINISHED-VALUE"),
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("\"line\":85"), "the row is not written: {}", out.stdout);
}

#[test]
fn json_rows_hold_the_line_as_a_number_and_the_problems_as_a_list() {
    let out = run(&["convert", "--to", "ndjson", "-"], &cut_statement());
    let rows: Vec<serde_json::Value> =
        out.stdout.lines().map(|l| serde_json::from_str(l).expect("NDJSON")).collect();
    assert_eq!(rows[0]["line"], 47);
    assert_eq!(rows[0]["problems"], serde_json::json!([]));
    let last = rows.last().expect("rows");
    assert_eq!(last["line"], 85);
    assert_eq!(last["problems"], serde_json::json!(["E-UNFINISHED-VALUE", "E-UNEXPECTED-EOF"]));
    assert_eq!(last["amount"], serde_json::Value::Null);
}

#[test]
fn every_kind_of_row_ends_with_line_and_problems() {
    for (what, file) in [
        ("transactions", "model/ofx2-investment.ofx"),
        ("statements", "model/ofx1-bank-and-card.ofx"),
        ("accounts", "model/ofx1-bank-and-card.ofx"),
        ("payees", "model/ofx1-payees.ofx"),
        ("payments", "billpay/responses.ofx"),
        ("recurring", "billpay/responses.ofx"),
    ] {
        let out = run(&["convert", "--to", "csv", "--what", what, &corpus(file)], b"");
        assert_eq!(out.status, 0, "{what}: {}", out.stderr);
        let header = out.stdout.lines().next().unwrap_or_default();
        assert!(header.ends_with(",line,problems"), "{what}: {header}");
        let rows = csv_rows(&out.stdout);
        assert!(!rows.is_empty(), "{what}: no row");
        let line = column(&out.stdout, "line");
        let text = std::fs::read_to_string(corpus(file)).expect("corpus");
        for r in &rows {
            let n: usize = r[line].parse().unwrap_or_else(|_| panic!("{what}: {r:?}"));
            assert!(n >= 1 && n <= text.lines().count(), "{what}: line {n}");
            // The line holds the start tag of an element (a row's element starts there).
            let at = text.lines().nth(n - 1).unwrap_or_default();
            assert!(at.contains('<'), "{what}: line {n} is {at:?}");
        }
    }
}
