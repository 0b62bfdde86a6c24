//! Texts are exact: a value split by a comment, a processing instruction or a CDATA
//! boundary is the pieces joined (XML's rule, and the reading of SGML comments); numeric
//! references decode whatever their leading zeros, and one that names no character is a
//! finding with its span. Every shape, and every prefix of it, reads the same from both body
//! sources (`flat_agrees`: the production lexer with its shortcuts and the nom reference
//! lexer's plain events).

mod common;

use common::parse;
use ofxkit_syntax::fuzz::{flat_agrees, parse_any};
use ofxkit_syntax::{Document, Span, parse_streaming};

const XML_HEAD: &str = "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n";
const SGML_HEAD: &str = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n";

/// `<OFX><STMTTRN>{body}<FITID>1</STMTTRN></OFX>` under `head`.
fn file(head: &str, body: &str) -> String {
    format!("{head}<OFX><STMTTRN>{body}<FITID>1</FITID></STMTTRN></OFX>")
}

fn name(doc: &Document<'_>) -> Option<String> {
    let e = doc.root().descendants().find(|e| e.name() == "NAME")?;
    e.text().map(str::to_owned)
}

/// The codes of the findings, but the header's.
fn codes(doc: &Document<'_>) -> Vec<&'static str> {
    doc.diagnostics()
        .iter()
        .map(|d| d.code)
        .filter(|c| !c.starts_with("W-HEADER") && *c != "W-NO-HEADER")
        .collect()
}

/// Reads `text` through every reader, whole and cut anywhere.
fn every_reader(text: &str) {
    flat_agrees(text.as_bytes(), &common::dtd());
    for cut in (0..text.len()).filter(|c| text.is_char_boundary(*c)) {
        flat_agrees(&text.as_bytes()[..cut], &common::dtd());
    }
    parse_any(text.as_bytes(), &common::dtd());
}

#[test]
fn xml_text_split_by_markup_is_joined() {
    for (body, expect, expect_codes) in [
        ("<NAME>LONDON<!-- x --> HOTEL</NAME>", "LONDON HOTEL", &[][..]),
        ("<NAME><![CDATA[AT]]><![CDATA[&T]]></NAME>", "AT&T", &[]),
        ("<NAME>AT&amp;T <![CDATA[Inc]]></NAME>", "AT&T Inc", &[]),
        ("<NAME>LONDON<?x y?> HOTEL</NAME>", "LONDON HOTEL", &["W-PROCESSING-INSTRUCTION"]),
        // Blanks between pieces are inside the text; those around it are not.
        ("<NAME>  A <!--1--> <!--2--> B  </NAME>", "A   B", &[]),
        ("<NAME>A<!--1-->\n</NAME>", "A", &[]),
        ("<NAME>A<![CDATA[ ]]>B</NAME>", "A B", &[]),
        ("<NAME><![CDATA[A ]]>B &amp; C<!-- c --></NAME>", "A B & C", &[]),
        // A reference in a piece is decoded; in a CDATA piece it is text.
        ("<NAME>a<!--x-->&lt;b&gt;<![CDATA[&lt;]]></NAME>", "a<b>&lt;", &[]),
        ("<NAME>R&amp;D<!-- x -->&amp;E</NAME>", "R&D&E", &[]),
        // A bare `&` in a later piece is reported where it is.
        ("<NAME>A<!-- x --> & B</NAME>", "A & B", &["W-BARE-AMPERSAND"]),
        // A comment before any text does not split it.
        ("<NAME><!-- x -->LONDON</NAME>", "LONDON", &[]),
        // A tag ends the text: what follows a stray end tag is not part of it.
        ("<NAME>A</X><!-- x -->B</NAME>", "A", &["W-STRAY-END-TAG", "W-STRAY-TEXT"]),
    ] {
        let text = file(XML_HEAD, body);
        let doc = parse(text.as_bytes()).expect("parses");
        assert_eq!(name(&doc).as_deref(), Some(expect), "{body}");
        assert_eq!(codes(&doc), expect_codes, "{body}");
        // The leaf covers all its pieces.
        let leaf = doc.root().descendants().find(|e| e.name() == "NAME").expect("NAME");
        let start = text.find("<NAME>").expect("start") as u32;
        let end = (text.find("</NAME>").expect("end") + "</NAME>".len()) as u32;
        assert_eq!(leaf.span(), Span::new(start, end), "{body}");
        assert!(leaf.has_end_tag());
        every_reader(&text);
    }
}

#[test]
fn sgml_text_split_by_a_comment_is_joined() {
    // Each case: the element's text, its value, and the element as written (its span).
    for (body, expect, written) in [
        ("<NAME>Land<!-- x -->lord LLC\n", "Landlord LLC", "<NAME>Land<!-- x -->lord LLC"),
        ("<NAME>Land<!-- x -->lord LLC\r\n", "Landlord LLC", "<NAME>Land<!-- x -->lord LLC"),
        ("<NAME>Land <!-- x --> lord\n<MEMO>m\n", "Land  lord", "<NAME>Land <!-- x --> lord"),
        ("<NAME>A<!-- x -->\n", "A", "<NAME>A"),
        (
            "<NAME>Caf\u{e9}<!-- x -->\u{e9} &amp; co\n",
            "Caf\u{e9}\u{e9} & co",
            "<NAME>Caf\u{e9}<!-- x -->\u{e9} &amp; co",
        ),
    ] {
        let text = file(SGML_HEAD, body);
        let doc = parse(text.as_bytes()).expect("parses");
        assert_eq!(name(&doc).as_deref(), Some(expect), "{body:?}");
        // UTF-8 bytes under an OFX 1 header without CHARSET: read as UTF-8, and said.
        let codes: Vec<_> =
            codes(&doc).into_iter().filter(|c| *c != "W-CHARSET-MISMATCH").collect();
        assert_eq!(codes, Vec::<&str>::new(), "{body:?}");
        // An SGML leaf ends at its last character that is not a blank.
        let leaf = doc.root().descendants().find(|e| e.name() == "NAME").expect("NAME");
        let start = text.find(written).expect("written") as u32;
        assert_eq!(leaf.span(), Span::new(start, start + written.len() as u32), "{body:?}");
        every_reader(&text);
    }
    // Windows-1252: the pieces are decoded from the file's encoding.
    let mut latin = SGML_HEAD.replace("VERSION:102\n", "VERSION:102\nCHARSET:1252\n").into_bytes();
    latin.extend_from_slice(b"<OFX><STMTTRN><NAME>Caf\xe9<!-- x -->s\xe9\n</STMTTRN></OFX>");
    let doc = parse(&latin).expect("parses");
    assert_eq!(name(&doc).as_deref(), Some("Caf\u{e9}s\u{e9}"));
    flat_agrees(&latin, &common::dtd());
}

#[test]
fn numeric_references_decode_whatever_their_leading_zeros() {
    for (head, close) in [(XML_HEAD, "</NAME>"), (SGML_HEAD, "\n")] {
        for (value, expect, expect_codes) in [
            ("&#x0000000000000041;", "A", &[][..]),
            ("&#000000000000000000000000000066;", "B", &[]),
            ("X&#xD800;Y", "X\u{fffd}Y", &["W-SURROGATE-CHAR-REF"]),
            ("&#xD83D;&#xDE00;", "\u{1f600}", &["W-SURROGATE-CHAR-REF"]),
            ("&#99999999999999999999999;", "&#99999999999999999999999;", &["E-INVALID-CHAR-REF"]),
            ("&#x110000;", "&#x110000;", &["E-INVALID-CHAR-REF"]),
            ("&#0;", "&#0;", &["E-INVALID-CHAR-REF"]),
        ] {
            let text = file(head, &format!("<NAME>{value}{close}"));
            let doc = parse(text.as_bytes()).expect("parses");
            assert_eq!(name(&doc).as_deref(), Some(expect), "{value}");
            assert_eq!(codes(&doc), expect_codes, "{value}");
            let first = expect_codes.first().copied().unwrap_or("none");
            if let Some(d) = doc.diagnostics().iter().find(|d| d.code == first) {
                // The finding covers the reference, and says what it is.
                let at = text.find("&#").expect("reference") as u32;
                assert_eq!(d.span.start, at, "{value}");
                assert!(!d.message.contains("does not start a reference"), "{}", d.message);
            }
            every_reader(&text);
        }
    }
}

#[test]
fn streaming_leaves_joined_texts_to_the_end_and_reads_them_the_same() {
    let trn = |name: &str| format!("<STMTTRN><TRNAMT>1</TRNAMT><NAME>{name}</NAME></STMTTRN>\n");
    let mut body = String::new();
    for name in ["A", "B", "LON<!-- x -->DON", "C", "<![CDATA[AT]]>&amp;T", "D"] {
        body.push_str(&trn(name));
    }
    let text = format!("{XML_HEAD}<OFX><BANKTRANLIST>\n{body}</BANKTRANLIST></OFX>");
    let names = |doc: &Document<'_>| -> Vec<String> {
        doc.root()
            .descendants()
            .filter(|e| e.name() == "NAME")
            .filter_map(|e| e.text().map(str::to_owned))
            .collect()
    };
    let whole = parse(text.as_bytes()).expect("parses");
    assert_eq!(names(&whole), ["A", "B", "LONDON", "C", "AT&T", "D"]);
    let mut taken = Vec::new();
    let streamed = parse_streaming(text.as_bytes(), &common::dtd(), "STMTTRN", &mut |t| {
        taken.extend(t.element().child_text("NAME").map(str::to_owned));
        true
    })
    .expect("parses");
    // The first two are taken; the one made of pieces stays, and the rest with it.
    assert_eq!(taken, ["A", "B"]);
    assert_eq!(names(&streamed), ["LONDON", "C", "AT&T", "D"]);
    assert_eq!(streamed.diagnostics(), whole.diagnostics());
}

#[test]
fn a_lone_surrogate_in_a_utf16_file_is_replaced_and_reported_where_it_is() {
    let text = file(XML_HEAD, "<NAME>A\u{1F600}B</NAME>");
    // UTF-16LE with a BOM; the high half of the emoji's pair stays, its low half is gone.
    let mut units: Vec<u16> = text.encode_utf16().collect();
    let low = units.iter().position(|u| (0xDC00..0xE000).contains(u)).expect("low surrogate");
    units.remove(low);
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    let doc = parse(&bytes).expect("parses");
    assert_eq!(name(&doc).as_deref(), Some("A\u{fffd}B"));
    let bad: Vec<_> = doc.diagnostics().iter().filter(|d| d.code == "W-INVALID-ENCODING").collect();
    assert_eq!(bad.len(), 1, "{:?}", doc.diagnostics());
    // Positions refer to the UTF-8 text: the U+FFFD right after the `A`.
    let at = text.find("A\u{1F600}").expect("value") as u32 + 1;
    assert_eq!(bad[0].span, Span::new(at, at + 3));
    assert_eq!(&doc.source()[bad[0].span.range()], "\u{fffd}".as_bytes());
    flat_agrees(&bytes, &common::dtd());
}

#[test]
fn a_comment_between_sgml_leaves_changes_nothing() {
    // After a value and before the next tag: the value is as it was, and streaming goes on.
    let trns: String = (0..4)
        .map(|i| {
            format!("<STMTTRN><TRNAMT>-{i}.00 <!-- amount -->\n<NAME>N{i}<!-- x -->\n</STMTTRN>\n")
        })
        .collect();
    let text = format!("{SGML_HEAD}<OFX><BANKTRANLIST>\n{trns}</BANKTRANLIST></OFX>");
    let mut taken = Vec::new();
    let streamed = parse_streaming(text.as_bytes(), &common::dtd(), "STMTTRN", &mut |t| {
        let e = t.element();
        taken.push((
            e.child_text("TRNAMT").map(str::to_owned),
            e.child_text("NAME").map(str::to_owned),
        ));
        true
    })
    .expect("parses");
    assert_eq!(taken.len(), 4, "every transaction is offered");
    assert_eq!(taken[2], (Some("-2.00".to_owned()), Some("N2".to_owned())));
    assert!(streamed.diagnostics().iter().all(|d| d.code.starts_with("W-HEADER")));
    every_reader(&text);
}
