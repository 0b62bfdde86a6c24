//! `ofxkit convert --to ofx1|ofx2`: complete OFX files, errors that write nothing.

use crate::util::{corpus, run, scratch};

/// A small OFX 1.6 statement in UTF-8 with `name` as the transaction's NAME (on line 5).
fn statement(name: &str) -> String {
    format!(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:160\nENCODING:UTF-8\n\n\
         <OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
         <STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
         <BANKTRANLIST><DTSTART>20240101<DTEND>20240131\n\
         <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105120000[-3:BRT]<TRNAMT>-12,50<FITID>1<NAME>{name}</STMTTRN>\n\
         </BANKTRANLIST><LEDGERBAL><BALAMT>100<DTASOF>20240131</LEDGERBAL></STMTRS>\
         </STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    )
}

#[test]
fn an_ofx1_file_becomes_ofx2_that_reads_back_and_validates() {
    let dir = scratch("write_ofx_to_ofx2");
    let out_path = dir.join("out.ofx");
    let out_name = out_path.display().to_string();
    let src = corpus("model/ofx1-bank-and-card.ofx");
    let out = run(&["convert", &src, "--to", "ofx2", "-o", &out_name], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let bytes = std::fs::read(&out_path).expect("written");
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    assert!(
        text.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<?OFX OFXHEADER=\"200\" \
             VERSION=\"211\""
        ),
        "{text}"
    );
    let source_bytes = std::fs::read(&src).expect("source");
    let source = ofxkit::parse(&source_bytes).expect("reads");
    let again = ofxkit::parse(&bytes).expect("the output reads");
    assert_eq!(again.syntax().format(), ofxkit::syntax::Format::Ofx2);
    let amounts = |d: &ofxkit::Document<'_>| -> Vec<String> {
        d.transactions().map(|t| t.amount.as_ref().unwrap().value.to_string()).collect()
    };
    assert_eq!(amounts(&again), amounts(&source));
    assert!(!amounts(&again).is_empty());
    let checked = run(&["validate", "--profile", "ofx211", &out_name], b"");
    assert_eq!(checked.status, 0, "{}{}", checked.stdout, checked.stderr);
}

#[test]
fn ofx1_leaves_stay_open_unless_close_all() {
    let src = corpus("model/ofx2-creditcard.ofx");
    let open = run(&["convert", &src, "--to", "ofx1"], b"");
    assert_eq!(open.status, 0, "{}", open.stderr);
    assert!(open.stdout.starts_with("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:160\r\n"));
    assert!(open.stdout.contains("<TRNTYPE>POS\r\n"), "{}", open.stdout);
    assert!(open.stdout.contains("</STMTTRN>\r\n"));
    let closed = run(&["convert", &src, "--to", "ofx1", "--close-all", "--version", "103"], b"");
    assert_eq!(closed.status, 0, "{}", closed.stderr);
    assert!(closed.stdout.contains("VERSION:103\r\n"));
    assert!(closed.stdout.contains("<TRNTYPE>POS</TRNTYPE>\r\n"), "{}", closed.stdout);
}

#[test]
fn values_are_canonical_and_keep_their_offset() {
    let dir = scratch("write_ofx_values");
    let src = dir.join("in.ofx");
    std::fs::write(&src, statement("AT&amp;T")).expect("write");
    let out = run(&["convert", &src.display().to_string(), "--to", "ofx2"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("<TRNAMT>-12.50</TRNAMT>"), "{}", out.stdout);
    assert!(out.stdout.contains("<DTPOSTED>20240105120000.000[-3:BRT]</DTPOSTED>"));
    assert!(out.stdout.contains("<NAME>AT&amp;T</NAME>"));
    assert!(out.stdout.contains(ofxkit::write::SYNTHESIZED_SIGNON));
}

#[test]
fn a_character_the_target_cannot_hold_is_an_error_that_writes_nothing() {
    let dir = scratch("write_ofx_charset");
    let src = dir.join("in.ofx");
    std::fs::write(&src, statement("CAFÉ → BAR")).expect("write");
    let src = src.display().to_string();
    let target = dir.join("out.ofx");
    let target_name = target.display().to_string();
    let out = run(&["convert", &src, "--to", "ofx1", "-o", &target_name], b"");
    assert_eq!(out.status, 1);
    // `→` is the 6th character of the NAME's value: its own line and column.
    let text = statement("");
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find("<NAME>").map(|c| (i + 1, c + 7)))
        .expect("a NAME");
    let expected = format!(
        "{src}:{line}:{}: error[E-WRITE-CHARSET]: <NAME> holds '→' (U+2192), which windows-1252 cannot hold",
        col + 5
    );
    assert!(out.stderr.contains(&expected), "{}\n{expected}", out.stderr);
    assert!(!target.exists(), "nothing written");
    let ascii = run(&["convert", &src, "--to", "ofx1", "--charset", "usascii"], b"");
    assert_eq!(ascii.status, 1);
    assert!(ascii.stdout.is_empty(), "nothing on standard output: {}", ascii.stdout);
    assert!(ascii.stderr.contains("holds 'É' (U+00C9), which US-ASCII cannot hold"));
    let lossy = run(&["convert", &src, "--to", "ofx1", "--charset", "usascii", "--lossy"], b"");
    assert_eq!(lossy.status, 0, "{}", lossy.stderr);
    assert!(lossy.stdout.contains("<NAME>CAF? ? BAR\r\n"), "{}", lossy.stdout);
    assert!(lossy.stdout.contains("ENCODING:USASCII\r\nCHARSET:NONE\r\n"));
    assert!(lossy.stderr.contains("2 character(s) that US-ASCII cannot hold written as ?"));
    // UTF-8 holds everything.
    let utf8 = run(&["convert", &src, "--to", "ofx2"], b"");
    assert_eq!(utf8.status, 0, "{}", utf8.stderr);
    assert!(utf8.stdout.contains("<NAME>CAFÉ → BAR</NAME>"));
}

#[test]
fn ofc_statements_and_payees_are_upgraded_and_transfers_refused() {
    let src = corpus("model/ofc-statement.ofc");
    let out = run(&["convert", &src, "--to", "ofx2", "--currency", "BRL", "--warnings"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("<CURDEF>BRL</CURDEF>"));
    assert!(out.stdout.contains("<TRNTYPE>PAYMENT</TRNTYPE>"));
    assert!(out.stdout.contains("<CHECKNUM>000123</CHECKNUM>"));
    assert!(out.stderr.contains("one was synthesized and marked so"), "{}", out.stderr);
    let doc = ofxkit::parse(out.stdout.as_bytes()).expect("reads");
    assert_eq!(doc.statements()[0].transactions.len(), 5);
    // Payees become bill-pay messages, their extra names vendor elements (a warning).
    let payees = corpus("model/ofc-payees.ofc");
    let written = run(&["convert", &payees, "--to", "ofx1"], b"");
    assert_eq!(written.status, 0, "{}", written.stderr);
    assert!(written.stdout.contains("<PAYEETRNRS>"));
    assert!(written.stderr.contains("7 OFC element(s) with no OFX counterpart kept as OFC.*"));
    // A transfer is refused, at its place, and nothing is written.
    let requests = corpus("billpay/ofc-requests.ofc");
    let refused = run(&["convert", &requests, "--to", "ofx2"], b"");
    assert_eq!(refused.status, 1);
    assert!(refused.stdout.is_empty());
    let says = ":82:1: error[E-WRITE-NO-COUNTERPART]: OFC <INTERRQ> has no OFX counterpart";
    assert!(refused.stderr.contains(says), "{}", refused.stderr);
}

#[test]
fn a_truncated_file_is_refused_unless_lossy() {
    let src = corpus("syntax/cut-amount.ofx");
    let out = run(&["convert", &src, "--to", "ofx2"], b"");
    assert_eq!(out.status, 1);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("error[E-WRITE-TRUNCATED]"), "{}", out.stderr);
    let lossy = run(&["convert", &src, "--to", "ofx2", "--lossy"], b"");
    // The source's own error (the cut value) still makes exit status 1, but a file is written
    // without the cut amount.
    assert_eq!(lossy.status, 1, "{}", lossy.stderr);
    assert!(lossy.stderr.contains("unfinished value(s) left out"), "{}", lossy.stderr);
    assert!(lossy.stdout.ends_with("</OFX>\n"));
    assert!(!lossy.stdout.contains("<TRNAMT>-4</TRNAMT>"), "{}", lossy.stdout);
}

#[test]
fn secrets_are_written_only_when_asked() {
    let src = corpus("secrets/response-with-secrets.ofx");
    let out = run(&["convert", &src, "--to", "ofx2"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("S3CR3T"), "{}", out.stdout);
    assert!(out.stdout.contains("<USERKEY>***</USERKEY>"));
    let shown = run(&["convert", &src, "--to", "ofx2", "--show-secrets"], b"");
    assert!(shown.stdout.contains("<USERKEY>S3CR3T-USERKEY-RS</USERKEY>"), "{}", shown.stdout);
}

#[test]
fn usage_mistakes_exit_2() {
    let a = corpus("model/ofx1-bank-and-card.ofx");
    let b = corpus("model/ofx2-creditcard.ofx");
    for (args, says) in [
        (vec!["convert", &a, &b, "--to", "ofx2"], "exactly one input"),
        (vec!["convert", &a, "--to", "ofx1", "--version", "211"], "not an ofx1 version"),
        (vec!["convert", &a, "--to", "ofx2", "--charset", "cp1252"], "UTF-8"),
        (vec!["convert", &a, "--to", "csv", "--close-all"], "--close-all goes with --to ofx1"),
        (vec!["convert", &a, "--to", "ofx2", "--version", "104"], "not an OFX version"),
        (vec!["convert", &a, "--to", "ofx2", "--what", "payees"], "--what does not go"),
    ] {
        let out = run(&args, b"");
        assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
}
