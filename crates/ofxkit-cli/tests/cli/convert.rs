//! `ofxkit convert`.

use crate::util::{corpus, root, run};

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn many_files_make_one_csv_stream_with_the_source_in_each_row() {
    let a = corpus("model/ofc-statement.ofc");
    let b = corpus("model/ofx1-bank-and-card.ofx");
    let out = run(&["convert", "--to", "csv", &a, &b], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout.matches("source,statement,").count(), 1, "one header");
    let rows = csv_rows(&out.stdout);
    assert_eq!(rows.len(), 5 + 8);
    assert!(rows[..5].iter().all(|r| r[0] == a));
    assert!(rows[5..].iter().all(|r| r[0] == b));
}

#[test]
fn a_file_that_is_not_ofx_is_reported_and_skipped_and_the_others_converted() {
    let good = corpus("model/ofx2-creditcard.ofx");
    let bad = corpus("syntax/not-ofx.txt");
    let out = run(&["convert", "--to", "ndjson", &bad, &good], b"");
    assert_eq!(out.status, 1, "a file that is not OFX makes exit status 1");
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
    for line in out.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("NDJSON line");
        assert_eq!(v["source"], good.as_str());
    }
    assert!(out.stderr.contains("not-ofx.txt:1:1: error[E-NO-ROOT]"), "{}", out.stderr);
    // A missing one is I/O trouble: named, exit status 2, nothing converted.
    let out = run(&["convert", "--to", "ndjson", &bad, &good, "/nonexistent/x.ofx"], b"");
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("/nonexistent/x.ofx: error:"), "{}", out.stderr);
}

#[test]
fn csv_is_formula_guarded_unless_asked_not_to() {
    let file = corpus("model/ofx1-bank-and-card.ofx");
    let out = run(&["convert", "--to", "csv", &file], b"").stdout;
    let guarded = csv_rows(&out);
    let raw = csv_rows(&run(&["convert", "--to", "csv", "--no-formula-guard", &file], b"").stdout);
    let name = column(&out, "name");
    assert_eq!(guarded[3][name], "'=SUM(A1:A9)");
    assert_eq!(raw[3][name], "=SUM(A1:A9)");
    assert_eq!(guarded[3][column(&out, "amount")], "-42.00", "amounts are not text cells");
    assert_eq!(guarded[6][name], "'@STREAMING SERVICE");
    assert_eq!(guarded[7][name], "'+PAYMENT THANK YOU");
}

#[test]
fn json_documents_stdin_and_output_file() {
    let bytes = std::fs::read(corpus("model/ofc-payees.ofc")).expect("corpus file");
    let dir = root().join("target/cli-convert-test");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join("out.json");
    let out = run(&["convert", "-", "-o", &path.display().to_string()], &bytes);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("written")).expect("JSON");
    assert_eq!(v[0]["source"], "<stdin>");
    assert_eq!(v[0]["format"], "OFC");
    assert_eq!(v[0]["payees"][0]["payee"]["names"][1], "Attn: Accounts");
}

#[test]
fn payees_accounts_and_statements_rows() {
    let payees =
        run(&["convert", "--to", "csv", "--what", "payees", &corpus("model/ofx1-payees.ofx")], b"");
    let rows = csv_rows(&payees.stdout);
    assert_eq!(rows.len(), 3, "two payees and the failed request");
    assert_eq!(rows[0][column(&payees.stdout, "name")], "City Power & Light");
    let status = column(&payees.stdout, "status_code");
    assert_eq!(rows[2][status], "10501", "status code of the failed request");
    let statements = run(
        &[
            "convert",
            "--to",
            "csv",
            "--what",
            "statements",
            &corpus("model/ofx1-bank-and-card.ofx"),
        ],
        b"",
    );
    let rows = csv_rows(&statements.stdout);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][column(&statements.stdout, "ledger_balance")], "2318.83");
    let accounts = run(
        &[
            "convert",
            "--to",
            "ndjson",
            "--what",
            "accounts",
            &corpus("model/ofx1-bank-and-card.ofx"),
        ],
        b"",
    );
    assert_eq!(accounts.stdout.lines().count(), 2, "{}", accounts.stdout);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["convert"], b"").status, 2);
    assert_eq!(run(&["convert", "--to", "xml", "x.ofx"], b"").status, 2);
}

/// The index of the column `name` in a CSV output's header.
fn column(csv: &str, name: &str) -> usize {
    let header = csv.lines().next().unwrap_or_default();
    header.split(',').position(|c| c == name).unwrap_or_else(|| panic!("no {name} in {header}"))
}

#[test]
fn directories_are_walked_as_validate_walks_them_and_skipped_files_counted() {
    let dir = crate::util::scratch("convert-walk");
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let copy = |from: &str, to: &std::path::Path| {
        std::fs::copy(corpus(from), to).expect("copy");
    };
    copy("model/ofx2-creditcard.ofx", &dir.join("b.OFX"));
    copy("model/ofc-statement.ofc", &dir.join("a.ofc"));
    copy("model/ofx2-creditcard.ofx", &sub.join("c.qfx"));
    copy("model/ofx2-creditcard.ofx", &dir.join("notes.txt"));
    std::fs::write(dir.join("README"), "not a statement").expect("write");
    let d = dir.display().to_string();
    let out = run(&["convert", "--to", "csv", &d], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let sources: Vec<String> = csv_rows(&out.stdout).into_iter().map(|r| r[0].clone()).collect();
    let mut files = sources.clone();
    files.dedup();
    let name = |p: &std::path::Path| p.display().to_string();
    assert_eq!(
        files,
        [name(&dir.join("a.ofc")), name(&dir.join("b.OFX")), name(&sub.join("c.qfx"))]
    );
    assert_eq!(
        out.stderr,
        "ofxkit: skipped 2 file(s) in the directories whose extension is not .ofx, .qfx, .qbo \
         or .ofc (--ext adds one)\n"
    );
    // --ext widens the set; validate says the same count.
    let wider = run(&["convert", "--to", "csv", "--ext", ".TXT", &d], b"");
    assert_eq!(wider.status, 0, "{}", wider.stderr);
    assert!(wider.stdout.contains(&name(&dir.join("notes.txt"))), "{}", wider.stdout);
    assert!(wider.stderr.contains("skipped 1 file(s)"), "{}", wider.stderr);
    assert!(wider.stderr.contains("not .ofx, .qfx, .qbo, .ofc or .txt"), "{}", wider.stderr);
    let validate = run(&["validate", &d], b"");
    assert!(validate.stdout.contains("\n3 files checked: "), "{}", validate.stdout);
    assert!(
        validate.stderr.contains("skipped 2 file(s) in the directories"),
        "{}",
        validate.stderr
    );
    let validate = run(&["validate", "--ext", "txt", &d], b"");
    assert!(validate.stdout.contains("\n4 files checked: "), "{}", validate.stdout);
    // A directory with nothing to convert: exit 2, nothing written.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let none = run(&["convert", "--to", "csv", &empty.display().to_string()], b"");
    assert_eq!((none.status, none.stdout.as_str()), (2, ""));
    assert!(none.stderr.contains("no .ofx, .qfx, .qbo or .ofc file found"), "{}", none.stderr);
}
