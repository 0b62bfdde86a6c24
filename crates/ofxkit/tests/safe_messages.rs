//! Messages quote the file safely: a file whose dates, amounts, codes, names and status
//! texts hold ESC, BEL, CR (an OSC 52 sequence among them) and 10 MB values gives findings,
//! from the model and from the validator, with no control character and of a sane length.

use ofxkit::syntax::{Limits, Options};
use ofxkit::validate::{ValidateOptions, ValidationProfile, validate};

/// Longest message accepted: the fixed text plus a few quoted values of at most 61
/// characters each, escaped (an escape is at most 8 characters for one).
const SANE: usize = 1_000;

const OSC52: &str = "\u{1b}]52;c;aGk=\u{7}";

fn hostile_file(big: &str) -> String {
    let bad = |v: &str| format!("{v}\u{1b}[31m\u{7}\r{OSC52}");
    let mut s = String::from(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n\
         CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n",
    );
    s.push_str(&format!(
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>{}<SEVERITY>{}<MESSAGE>{}</STATUS>\
         <DTSERVER>{}<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>\n",
        bad("2000"),
        bad("ERROR"),
        bad("failed"),
        bad("20240101"),
    ));
    s.push_str(&format!(
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>{}<SEVERITY>ERROR<MESSAGE>{big}</STATUS>\
         <STMTRS><CURDEF>{}<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>{}</BANKACCTFROM>\
         <BANKTRANLIST><DTSTART>{}<DTEND>20240131\n",
        bad("2000"),
        bad("usd"),
        bad("CHECKING"),
        bad("20240101"),
    ));
    for (date, amount, trntype, fitid) in [
        (bad("20240105"), bad("-1.00"), bad("DEBIT"), bad("F")),
        (big.to_owned(), big.to_owned(), big.to_owned(), bad("F")),
        (bad("20240105120000.000[-5:EST"), bad("+-1"), bad("debit"), big.to_owned()),
        (format!("20240105120000.000[{}]", bad("+5:30")), bad("1,2.3"), "X".into(), big.into()),
    ] {
        s.push_str(&format!(
            "<STMTTRN><TRNTYPE>{trntype}<DTPOSTED>{date}<DTUSER>{big}<TRNAMT>{amount}\
             <FITID>{fitid}<NAME>{}<MEMO>{big}<CORRECTFITID>{}</STMTTRN>\n",
            bad("ACME"),
            bad("G"),
        ));
    }
    s.push_str(&format!(
        "</BANKTRANLIST><LEDGERBAL><BALAMT>{}<DTASOF>{big}</LEDGERBAL></STMTRS></STMTTRNRS>\
         </BANKMSGSRSV1></OFX>\n",
        bad("1")
    ));
    s
}

fn assert_safe(what: &str, text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control()),
        "{what}: a control character in {:?}",
        text.chars().take(200).collect::<String>()
    );
    assert!(text.chars().count() <= SANE, "{what}: {} characters", text.chars().count());
}

#[test]
fn every_message_is_free_of_control_characters_and_short() {
    let big = format!("{}\u{1b}\u{7}", "7".repeat(10 << 20));
    let file = hostile_file(&big);
    let options = Options {
        limits: Limits { max_text_len: 32 << 20, ..Limits::default() },
        ..Options::default()
    };
    let doc = ofxkit::parse_with(file.as_bytes(), &options).expect("parses");

    let diagnostics = doc.diagnostics();
    let model_codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    // The hostile values were reported, not skipped.
    for code in [
        "E-AMOUNT-SYNTAX",
        "E-AMOUNT-TOO-LONG",
        "E-DATE-INVALID",
        "E-DATE-ZONE",
        "W-DATE-TRAILING-TEXT",
        "W-UNKNOWN-CODE",
        "W-STATUS-ERROR",
    ] {
        assert!(model_codes.contains(&code), "{code} in {model_codes:?}");
    }
    for d in diagnostics {
        assert_safe(d.code, &d.message);
        assert_safe(d.code, d.help.as_deref().unwrap_or_default());
        assert_safe(d.code, d.path.as_deref().unwrap_or_default());
    }

    for profile in [ValidationProfile::Auto, ValidationProfile::Ofx220, ValidationProfile::Qfx] {
        let report = validate(&doc, &ValidateOptions { profile, ..ValidateOptions::default() });
        let codes: Vec<&str> = report.findings.iter().map(|d| d.code).collect();
        for code in [
            "OFX-AMT-001",
            "OFX-DT-002",
            "OFX-DT-003",
            "OFX-DT-004",
            "OFX-CODE-001",
            "OFX-CODE-003",
            "OFX-SEM-001",
            "OFX-SEM-005",
            "OFX-SEM-006",
        ] {
            assert!(codes.contains(&code), "{code} in {codes:?}");
        }
        for d in &report.findings {
            assert_safe(d.code, &d.message);
            assert_safe(d.code, d.help.as_deref().unwrap_or_default());
            assert_safe(d.code, d.path.as_deref().unwrap_or_default());
        }
    }
}

/// The replay corpus with control characters and an OSC 52 sequence after every token, id,
/// status code and message: every note of applying it (twice, so tokens are quoted as
/// already applied) is free of control characters.
#[test]
fn sync_notes_quote_tokens_and_ids_safely() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/billpay/replay");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("replay corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ofx"))
        .collect();
    names.sort();
    let mut state = ofxkit::sync::SyncState::new();
    let mut notes = Vec::new();
    let mut codes = std::collections::BTreeSet::new();
    for _ in 0..2 {
        for path in &names {
            let text =
                String::from_utf8_lossy(&std::fs::read(path).expect("readable")).into_owned();
            let mut hostile = String::new();
            for (i, piece) in text.split('<').enumerate() {
                if i > 0 {
                    hostile.push('<');
                }
                let tagged = ["TOKEN>", "PAYEELSTID>", "SRVRTID>", "RECSRVRTID>", "TRNUID>"]
                    .iter()
                    .any(|t| piece.starts_with(t));
                match piece.split_once('\n') {
                    Some((value, rest)) if tagged => {
                        hostile.push_str(&format!("{value}{OSC52}\r\n{rest}"));
                    }
                    _ if tagged => hostile.push_str(&format!("{piece}{OSC52}")),
                    _ => hostile.push_str(piece),
                }
            }
            let doc = ofxkit::parse(hostile.as_bytes()).expect("parses");
            let report = state.apply_model(doc.model());
            for n in report.notes {
                codes.insert(n.code);
                notes.push(n);
            }
        }
    }
    for code in ["I-SYNC-ALREADY-APPLIED", "W-SYNC-UNKNOWN-ID", "W-SYNC-STATUS-ERROR"] {
        assert!(codes.contains(code), "{code} in {codes:?}");
    }
    for n in &notes {
        assert_safe(n.code, &n.message);
    }
}
