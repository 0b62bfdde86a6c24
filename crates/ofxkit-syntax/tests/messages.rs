//! Every syntax message that quotes the file quotes it through `shown`: control characters
//! escaped, at most 60 characters. A header value of megabytes, an ESC in a charset, text
//! inside an aggregate, an unknown encoding: none reaches a message whole or raw.

mod common;

use common::parse;
use ofxkit_syntax::{Document, SHOWN_CHARS};

/// A value with a terminal escape in it, and half a megabyte after (within the text limit),
/// on one line.
fn hostile() -> String {
    format!("X\u{1b}]52;c;aGk=\u{7}{}", "9".repeat(1 << 19))
}

fn check(what: &str, doc: &Document<'_>, expect_code: &str) {
    assert!(
        doc.diagnostics().iter().any(|d| d.code == expect_code),
        "{what}: no {expect_code} in {:?}",
        doc.diagnostics().iter().map(|d| d.code).collect::<Vec<_>>()
    );
    for d in doc.diagnostics() {
        let m = &d.message;
        assert!(!m.chars().any(char::is_control), "{what}: {} quotes raw: {m:?}", d.code);
        // The message's own words, and a quoted value of at most SHOWN_CHARS characters
        // (each control escaped as at most 8).
        assert!(
            m.chars().count() < 200 + 8 * SHOWN_CHARS,
            "{what}: {} is {} long",
            d.code,
            m.len()
        );
    }
}

#[test]
fn quoted_values_are_escaped_and_cut() {
    let v = hostile();
    let body = "<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>";
    let colon = |fields: &str| format!("{fields}\n\n{body}");
    for (what, file, code) in [
        (
            "header value",
            colon(&format!("OFXHEADER:100\nDATA:OFXSGML\nVERSION:{v}")),
            "W-HEADER-BAD-VALUE",
        ),
        (
            "header key",
            colon(&format!("OFXHEADER:100\nX{}:1", "K".repeat(1 << 20))),
            "W-HEADER-UNKNOWN-FIELD",
        ),
        ("charset", colon(&format!("OFXHEADER:100\nCHARSET:{v}")), "W-UNKNOWN-CHARSET"),
        (
            "xml encoding",
            format!("<?xml version=\"1.0\" encoding=\"{v}\"?><?OFX OFXHEADER=\"200\"?>{body}"),
            "W-UNKNOWN-CHARSET",
        ),
        (
            "cpage",
            format!("<OFC><DTD>2<CPAGE>{}\u{1b}</OFC>", "7".repeat(1 << 19)),
            "W-UNKNOWN-CHARSET",
        ),
        ("leading junk", format!("{v}\n{body}"), "W-LEADING-JUNK"),
        (
            "stray text",
            format!("<OFX><SIGNONMSGSRSV1><SONRS></SONRS>\r\n{v}</SIGNONMSGSRSV1></OFX>"),
            "W-STRAY-TEXT",
        ),
        (
            "closer",
            format!(
                "<OFX><BANKTRANLIST><STMTTRN><TRNAMT>1</BANKTRANLIST {}\u{1b}></OFX>",
                " ".repeat(1 << 20)
            ),
            "W-MISSING-END-TAG",
        ),
        ("reference", format!("<OFX><NAME>&#{};</OFX>", "9".repeat(1 << 19)), "E-INVALID-CHAR-REF"),
    ] {
        match parse(file.as_bytes()) {
            Ok(doc) => check(what, &doc, code),
            Err(e) => panic!("{what}: {e}"),
        }
    }
}
