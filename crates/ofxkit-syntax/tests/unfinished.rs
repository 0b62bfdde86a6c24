//! Elements the file did not finish: [`Element::cut_by_end_of_input`] and
//! [`Element::closed_by_recovery`], the same from both body sources (the
//! production lexer with its shortcuts and the nom reference lexer's plain events, SGML and
//! XML: `flat_agrees` compares them, flags included), and never on an element `parse_streaming` offers.

mod common;

use common::parse;
use ofxkit_syntax::fuzz::flat_agrees;
use ofxkit_syntax::{Document, Element, parse_streaming};

const XML_HEAD: &str = "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n";

/// Every element with a flag, as `PATH cut` (cut by the end of the input, which is always
/// recovery too) or `PATH recovered`, in document order.
fn flagged(doc: &Document<'_>) -> Vec<String> {
    doc.tree()
        .elements()
        .filter(|e| e.closed_by_recovery() || e.cut_by_end_of_input())
        .map(|e| {
            assert!(
                !e.cut_by_end_of_input() || e.closed_by_recovery(),
                "{} is cut but not recovered",
                e.path()
            );
            let how = if e.cut_by_end_of_input() { "cut" } else { "recovered" };
            format!("{} {how}", e.path())
        })
        .collect()
}

/// Streams `file`, taking every `STMTTRN` offered: none of them, nor anything in them, has
/// a flag, and what is left has the flags the whole tree has there.
fn streams_unflagged(file: &[u8]) {
    let whole = parse(file).expect("parses");
    let mut offered = 0;
    let streamed = parse_streaming(file, &common::dtd(), "STMTTRN", &mut |t| {
        offered += 1;
        let e = t.element();
        for d in std::iter::once(e).chain(e.descendants()) {
            assert!(!d.closed_by_recovery() && !d.cut_by_end_of_input(), "offered {}", d.path());
        }
        true
    })
    .expect("parses");
    let by_span = |e: Element<'_>| (e.span(), e.closed_by_recovery(), e.cut_by_end_of_input());
    let whole_flags: Vec<_> = whole.tree().elements().map(by_span).collect();
    for e in streamed.tree().elements() {
        assert!(whole_flags.contains(&by_span(e)), "{} differs from the whole tree", e.path());
    }
    let _ = offered;
}

fn check(file: &str, expect: &[&str]) {
    let doc = parse(file.as_bytes()).expect("parses");
    assert_eq!(flagged(&doc), expect, "{file}");
    flat_agrees(file.as_bytes(), &common::dtd());
    streams_unflagged(file.as_bytes());
}

#[test]
fn a_value_cut_by_the_end_of_the_input_is_marked() {
    let full =
        std::fs::read_to_string(common::workspace().join("corpus/model/ofx1-bank-and-card.ofx"))
            .expect("corpus file");
    let at = full.find("<TRNAMT>-4").expect("the amount") + "<TRNAMT>-4".len();
    for tail in ["", "\n", "  \r\n\t"] {
        let cut = format!("{}{tail}", &full[..at]);
        let doc = parse(cut.as_bytes()).expect("parses");
        let amount = doc.tree().elements().filter(|e| e.name() == "TRNAMT").last().expect("TRNAMT");
        assert_eq!(amount.text(), Some("-4"));
        assert!(amount.cut_by_end_of_input() && amount.closed_by_recovery(), "{tail:?}");
        // Every element still open: the amount and the aggregates around it, up to the root.
        let open = [
            "OFX",
            "OFX/BANKMSGSRSV1",
            "OFX/BANKMSGSRSV1/STMTTRNRS",
            "OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS",
            "OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST",
            "OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN",
            "OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN/TRNAMT",
        ];
        let expect: Vec<String> = open.iter().map(|p| format!("{p} cut")).collect();
        assert_eq!(flagged(&doc), expect, "{tail:?}");
        flat_agrees(cut.as_bytes(), &common::dtd());
        streams_unflagged(cut.as_bytes());
    }
    // The whole file has no flag.
    check(&full, &[]);
}

#[test]
fn what_recovery_closes_and_what_the_format_closes() {
    for (file, expect) in [
        // SGML leaves ended by the next tag or their parent's end tag: the format.
        ("<OFX><STMTTRN><TRNAMT>1<NAME>a</STMTTRN></OFX>", &[][..]),
        // A repeat of an open aggregate supplies its end tag.
        (
            "<OFX><BANKTRANLIST><STMTTRN><TRNAMT>1<STMTTRN><TRNAMT>2</STMTTRN></BANKTRANLIST></OFX>",
            &["OFX/BANKTRANLIST/STMTTRN recovered"],
        ),
        // OFX requires the end tag of an aggregate: an ancestor's end tag supplies it.
        (
            "<OFX><BANKTRANLIST><STMTTRN><TRNAMT>1</BANKTRANLIST></OFX>",
            &["OFX/BANKTRANLIST/STMTTRN recovered"],
        ),
        ("<OFX><STMTRS><BANKTRANLIST></STMTRS></OFX>", &["OFX/STMTRS/BANKTRANLIST recovered"]),
        // OFC lets it be omitted.
        ("<OFC><ACCTSTMT><STMTRS><DTSTART>1</OFC>", &[]),
        // An unknown element never closed, read as an empty one.
        ("<OFX><X.Y><MEMO>x</OFX>", &["OFX/X.Y recovered"]),
        // The end of the input, inside a text, after it, inside a comment, inside a tag.
        ("<OFX><NAME>abc", &["OFX cut", "OFX/NAME cut"]),
        ("<OFX><NAME>abc<!-- x", &["OFX cut", "OFX/NAME cut"]),
        ("<OFX><NAME>abc</NA", &["OFX cut", "OFX/NAME cut"]),
        ("<OFX><NAME>abc<MEMO>", &["OFX cut", "OFX/MEMO cut"]),
        ("<OFX><STMTTRN><NAME>abc</NAME>", &["OFX cut", "OFX/STMTTRN cut"]),
        (
            "<OFC><ACCTSTMT><STMTRS><DTSTART>1",
            &[
                "OFC cut",
                "OFC/ACCTSTMT cut",
                "OFC/ACCTSTMT/STMTRS cut",
                "OFC/ACCTSTMT/STMTRS/DTSTART cut",
            ],
        ),
        // An empty root, closed: nothing.
        ("<OFX></OFX>", &[]),
        ("<OFX><BALAMT/></OFX>", &[]),
    ] {
        check(file, expect);
    }
}

#[test]
fn an_xml_leaf_closed_by_another_end_tag_is_recovered_unless_the_body_is_sgml() {
    let trn = |t: &str| {
        format!(
            "{XML_HEAD}<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\n{}</BANKTRANLIST>\
             </STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n",
            format!("<STMTTRN>{t}</STMTTRN>\n").repeat(3)
        )
    };
    let list = "OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST";
    // Every leaf closed but the last of each transaction, ended by </STMTTRN>: an XML body
    // whose end tags are missing. Three of them: the second and third are read at once.
    let names: Vec<String> = (0..3).map(|_| format!("{list}/STMTTRN/NAME recovered")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    check(&trn("<TRNTYPE>DEBIT</TRNTYPE><TRNAMT>1</TRNAMT><NAME>a"), &names);
    check(&trn("<TRNTYPE>DEBIT</TRNTYPE><TRNAMT>1</TRNAMT><NAME>a\n"), &names);
    // An empty one, and one ended by an ancestor's end tag further up.
    check(
        &format!("{XML_HEAD}<OFX><STMTTRN><TRNAMT>1</TRNAMT><MEMO></STMTTRN></OFX>"),
        &["OFX/STMTTRN/MEMO recovered"],
    );
    check(
        &format!("{XML_HEAD}<OFX><STMTRS><STMTTRN><TRNAMT>1</TRNAMT><NAME>n</STMTRS></OFX>"),
        &["OFX/STMTRS/STMTTRN recovered", "OFX/STMTRS/STMTTRN/NAME recovered"],
    );
    // An SGML body under the XML header: leaves ended by the next tag, so also by their
    // parent's end tag, as OFX 1.x writes them.
    check(&trn("<TRNTYPE>DEBIT<TRNAMT>1<NAME>a"), &[]);
    check(&trn("<TRNTYPE>DEBIT</TRNTYPE><TRNAMT>1<NAME>a"), &[]);
    // Cut anywhere: every prefix reads the same through every reader.
    let text = trn("<TRNTYPE>DEBIT</TRNTYPE><TRNAMT>1</TRNAMT><NAME>a");
    for cut in 0..text.len() {
        flat_agrees(&text.as_bytes()[..cut], &common::dtd());
    }
}

#[test]
fn an_sgml_body_under_an_xml_header_still_streams() {
    // Leaves ended by the next tag from the start: the body is SGML, and its transactions,
    // whose last leaf their end tag ends, are offered as in any SGML file.
    let trns: String = (0..5)
        .map(|i| format!("<STMTTRN><TRNTYPE>DEBIT<TRNAMT>-{i}.00<FITID>{i}</STMTTRN>\n"))
        .collect();
    let file = format!(
        "{XML_HEAD}<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>\
         </SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\n{trns}\
         </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    );
    let mut offered = 0;
    let streamed = parse_streaming(file.as_bytes(), &common::dtd(), "STMTTRN", &mut |_| {
        offered += 1;
        true
    })
    .expect("parses");
    assert_eq!(offered, 5);
    assert!(streamed.root().descendants().all(|e| e.name() != "STMTTRN"));
    check(&file, &[]);
}
