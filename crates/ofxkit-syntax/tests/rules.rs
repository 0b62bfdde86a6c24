//! One case per reading rule and per hostile input: the tree that results, the diagnostic
//! codes and their positions.

mod common;

use common::parse;
use ofxkit_syntax::{
    Code, DumpOptions, Leniency, Limits, Options, Severity, dump_text, parse_with,
};

fn codes(bytes: &[u8]) -> Vec<&'static str> {
    match parse(bytes) {
        Ok(doc) => doc.diagnostics().iter().map(|d| d.code).collect(),
        Err(e) => vec![e.code().as_str()],
    }
}

fn tree(bytes: &[u8]) -> String {
    dump_text(&parse(bytes).expect("parses"), DumpOptions::default())
}

#[test]
fn codes_are_unique_and_prefixed() {
    let mut seen = std::collections::HashSet::new();
    for code in Code::ALL {
        assert!(seen.insert(code.as_str()), "duplicate {code}");
        assert!(code.as_str().starts_with("E-") || code.as_str().starts_with("W-"));
    }
}

#[test]
fn leaf_rules() {
    for (input, expect_tree, expect_codes) in [
        // A leaf ends at the next tag.
        ("<OFX><A>1<B>2</OFX>", "OFX\n  A = \"1\"\n  B = \"2\"\n", &[][..]),
        // An explicit end tag is fine too.
        ("<OFX><A>1</A><B>2</B></OFX>", "OFX\n  A = \"1\"\n  B = \"2\"\n", &[]),
        // A DTD leaf with no value is an empty leaf, not a parent of what follows.
        ("<OFX><NAME><MEMO>x</OFX>", "OFX\n  NAME = \"\"\n  MEMO = \"x\"\n", &["W-EMPTY-ELEMENT"]),
        // An unknown empty element, never closed: its followers are its siblings.
        (
            "<OFX><X.Y><MEMO>x</OFX>",
            "OFX\n  X.Y = \"\"\n  MEMO = \"x\"\n",
            &["W-EMPTY-ELEMENT-INFERRED"],
        ),
        // `<X></X>` is an empty leaf.
        ("<OFX><TRNUID></TRNUID></OFX>", "OFX\n  TRNUID = \"\"\n", &["W-EMPTY-ELEMENT"]),
        // Whitespace around values is trimmed; inside it is kept.
        ("<OFX><NAME>  A  B \t\r\n</OFX>", "OFX\n  NAME = \"A  B\"\n", &[]),
        // A leaf's end tag written after the next leaf (the Amex pattern).
        (
            "<OFX><STATUS><CODE>0<SEVERITY>INFO</SEVERITY></CODE></STATUS></OFX>",
            "OFX\n  STATUS\n    CODE = \"0\"\n    SEVERITY = \"INFO\"\n",
            &["W-REDUNDANT-END-TAG"],
        ),
        // A stray end tag is ignored.
        ("<OFX><A>1</NOPE></OFX>", "OFX\n  A = \"1\"\n", &["W-STRAY-END-TAG"]),
        // A missing </STMTTRN> before the next <STMTTRN>.
        (
            "<OFX><BANKTRANLIST><STMTTRN><FITID>1<STMTTRN><FITID>2</STMTTRN></BANKTRANLIST></OFX>",
            "OFX\n  BANKTRANLIST\n    STMTTRN\n      FITID = \"1\"\n    STMTTRN\n      FITID = \"2\"\n",
            &["W-REOPENED-ELEMENT"],
        ),
        // Self-closing tags in SGML.
        ("<OFX><BALAMT/></OFX>", "OFX\n  BALAMT = \"\"\n", &["W-SELF-CLOSING-TAG"]),
        // Lower-case tags fold.
        (
            "<ofx><Code>0</ofx>",
            "OFX\n  CODE = \"0\"\n",
            &["W-LOWERCASE-TAG", "W-LOWERCASE-TAG", "W-LOWERCASE-TAG"],
        ),
        // Attributes are dropped, values kept.
        (
            "<OFX><TRNAMT x=\"1\">5</OFX>",
            "OFX\n  TRNAMT = \"5\"\n",
            &["W-ATTRIBUTES-IGNORED", "W-NO-HEADER"],
        ),
    ] {
        assert_eq!(tree(input.as_bytes()), expect_tree, "tree of {input}");
        let mut got: Vec<&str> =
            codes(input.as_bytes()).into_iter().filter(|c| *c != "W-NO-HEADER").collect();
        let mut want: Vec<&str> =
            expect_codes.iter().copied().filter(|c| *c != "W-NO-HEADER").collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "codes of {input}");
    }
}

#[test]
fn aggregates_left_open() {
    // OFX requires aggregate end tags. Where the DTDs show where one ended, a warning.
    let doc = parse(b"<OFX><STMTRS><BANKACCTFROM><ACCTID>1</STMTRS></OFX>").expect("tree");
    let d = doc.diagnostics().iter().find(|d| d.code == Code::MissingEndTag).expect("reported");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(doc.line_col(d.span.start).to_string(), "1:14");
    // `</BANKTRANLIST>` missing before `<LEDGERBAL>`: the balance goes back to the statement.
    let doc = parse(
        b"<OFX><CCSTMTRS><BANKTRANLIST><DTSTART>1<STMTTRN><FITID>1</STMTTRN>\
          <LEDGERBAL><BALAMT>1</LEDGERBAL></CCSTMTRS></OFX>",
    )
    .expect("tree");
    assert_eq!(
        dump_text(&doc, DumpOptions::default()),
        "OFX\n  CCSTMTRS\n    BANKTRANLIST\n      DTSTART = \"1\"\n      STMTTRN\n        FITID = \"1\"\n    LEDGERBAL\n      BALAMT = \"1\"\n"
    );
    assert!(!doc.has_errors());
    // Otherwise an error, and the tree is still there.
    let doc = parse(b"<OFX><STMTRS><BANKACCTFROM><ACCTID>1<FOO>2</STMTRS></OFX>").expect("tree");
    let d = doc.diagnostics().iter().find(|d| d.code == Code::UnclosedAggregate).expect("reported");
    assert_eq!(d.severity, Severity::Error);
    // OFC lets them be omitted: a warning.
    let doc = parse(b"<OFC><DTD>2<CPAGE>1252<ACCTSTMT><STMTRS><LEDGER>1.00</OFC>").expect("tree");
    assert!(doc.diagnostics().iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(doc.diagnostics().iter().filter(|d| d.code == Code::OmittedEndTag).count(), 2);
    // End of input with open elements.
    let doc = parse(b"<OFX><STMTRS><CURDEF>USD").expect("tree");
    let d = doc.diagnostics().iter().find(|d| d.code == Code::UnexpectedEof).expect("reported");
    assert_eq!(d.span.start, 24);
}

#[test]
fn entities() {
    let doc = parse(b"<OFX><NAME>A&amp;B &lt;&gt;&quot;&apos; &#65;&#x42; AT&T &copy; &#0;</OFX>")
        .expect("ok");
    assert_eq!(doc.root().child_text("NAME"), Some("A&B <>\"' AB AT&T &copy; &#0;"));
    let mut c: Vec<&str> = doc.diagnostics().iter().map(|d| d.code).collect();
    c.retain(|c| *c != "W-NO-HEADER");
    assert_eq!(c, ["W-BARE-AMPERSAND", "W-UNKNOWN-ENTITY", "E-INVALID-CHAR-REF"]);
    let bare = doc.diagnostics().iter().find(|d| d.code == Code::BareAmpersand).expect("bare");
    assert_eq!(bare.span.start, 54);
}

#[test]
fn line_ends_give_identical_trees() {
    let dir = common::workspace().join("corpus/syntax");
    let read = |n: &str| std::fs::read(dir.join(n)).expect("corpus file");
    let crlf = tree(&read("unclosed-leaves.ofx"));
    assert_eq!(crlf, tree(&read("lf-line-ends.ofx")));
    assert_eq!(crlf, tree(&read("cr-line-ends.ofx")));
    // Same line numbers for the same element whatever the line ends.
    let mut lines = Vec::new();
    for name in ["unclosed-leaves.ofx", "lf-line-ends.ofx", "cr-line-ends.ofx"] {
        let bytes = read(name);
        let doc = parse(&bytes).expect("ok");
        let trn = doc.root().descendants().find(|e| e.name() == "STMTTRN").expect("trn");
        lines.push(doc.line_col(trn.span().start));
    }
    assert_eq!(lines[0].line, 26);
    assert!(lines.iter().all(|l| *l == lines[0]), "{lines:?}");
    // CR inside a value becomes LF.
    let doc = parse(b"<OFX><MEMO>a\r\nb\rc</OFX>").expect("ok");
    assert_eq!(doc.root().child_text("MEMO"), Some("a\nb\nc"));
}

#[test]
fn encodings() {
    let dir = common::workspace().join("corpus/syntax");
    let doc_of = |n: &str| std::fs::read(dir.join(n)).expect("corpus file");
    let name_of = |bytes: &[u8]| {
        let doc = parse(bytes).expect("ok");
        let n = doc
            .root()
            .descendants()
            .find(|e| e.name() == "NAME")
            .and_then(|e| e.text())
            .map(str::to_owned);
        (n, doc.encoding().name(), doc.diagnostics().iter().map(|d| d.code).collect::<Vec<_>>())
    };
    let (n, enc, c) = name_of(&doc_of("cp1252.ofx"));
    assert_eq!(
        (n.as_deref(), enc, c.is_empty()),
        (Some("CAF\u{c9} S\u{c3}O PAULO"), "windows-1252", true)
    );
    let (n, enc, c) = name_of(&doc_of("lying-charset.ofx"));
    assert_eq!((n.as_deref(), enc), (Some("CAF\u{c9} S\u{c3}O PAULO"), "UTF-8"));
    assert_eq!(c, ["W-CHARSET-MISMATCH"]);
    let (n, enc, _) = name_of(&doc_of("utf8-declared-latin1.ofx"));
    assert_eq!((n.as_deref(), enc), (Some("A\u{c7}\u{da}CAR"), "windows-1252"));
    let (n, enc, c) = name_of(&doc_of("utf8-bom.ofx"));
    assert_eq!((n.as_deref(), enc, c.is_empty()), (Some("M\u{dc}NCHEN"), "UTF-8", true));
    let utf16 = doc_of("utf16le-bom.ofx");
    let doc = parse(&utf16).expect("utf-16");
    assert_eq!(
        doc.root().descendants().find(|e| e.name() == "LANGUAGE").and_then(|e| e.text()),
        Some("ENG")
    );
    // OFC's CPAGE chooses the code page.
    let doc = parse(b"<OFC><DTD>2<CPAGE>1251<NAME>\xcf\xf0\xe8\xe2\xe5\xf2</OFC>").expect("ofc");
    assert_eq!(doc.root().child_text("NAME"), Some("\u{41f}\u{440}\u{438}\u{432}\u{435}\u{442}"));
    // Damaged UTF-8: replacement characters and a warning at the bad byte.
    let good =
        "<?OFX OFXHEADER=\"200\" VERSION=\"220\"?><OFX><NAME>\u{e9}t\u{e9}<MEMO>a\u{e9}b</OFX>";
    let doc = parse(good.as_bytes()).expect("ok");
    assert!(doc.diagnostics().iter().all(|d| d.code != Code::InvalidEncoding));
    let mut bytes =
        b"<?OFX OFXHEADER=\"200\" VERSION=\"220\"?><OFX><NAME>\xc3\xa9t\xc3\xa9<MEMO>a\xffb</OFX>"
            .to_vec();
    let doc = parse(&bytes).expect("ok");
    let bad = doc.diagnostics().iter().find(|d| d.code == Code::InvalidEncoding).expect("reported");
    assert_eq!(bad.span.start as usize, bytes.iter().position(|&b| b == 0xff).expect("ff"));
    assert_eq!(doc.root().child_text("MEMO"), Some("a\u{fffd}b"));
    bytes.clear();
}

#[test]
fn headers() {
    for (input, style, version, want) in [
        (
            "OFXHEADER:100\nDATA:OFXSGML\nVERSION:103\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX></OFX>",
            "Colon",
            Some("103"),
            &[][..],
        ),
        (
            "OFXHEADER : 100\nDATA:OFXSGML\n\n<OFX></OFX>",
            "Colon",
            None,
            &["W-HEADER-MISSING-FIELD"],
        ),
        (
            "\n\n  OFXHEADER:100\nFOO:BAR\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n<OFX></OFX>",
            "Colon",
            Some("102"),
            &["W-HEADER-UNKNOWN-FIELD", "W-HEADER-NO-BLANK-LINE"],
        ),
        (
            "<?xml version='1.0'?><?OFX OFXHEADER=\"200\" VERSION=\"211\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?><OFX></OFX>",
            "Xml",
            Some("211"),
            &[],
        ),
        (
            "<!--\nOFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n-->\n<OFX></OFX>",
            "Comment",
            Some("102"),
            &["W-HEADER-ODD-FORM", "W-HEADER-MISSING-FIELD"],
        ),
        (
            "OFXHEADER:100\nVERSION:999\n\n<OFX></OFX>",
            "Colon",
            Some("999"),
            &["W-HEADER-MISSING-FIELD", "W-HEADER-BAD-VALUE"],
        ),
    ] {
        let doc = parse(input.as_bytes()).expect(input);
        let h = doc.header().expect("header");
        assert_eq!(format!("{:?}", h.style), style, "{input}");
        assert_eq!(h.version.as_deref(), version, "{input}");
        let mut got: Vec<&str> =
            doc.diagnostics().iter().map(|d| d.code).filter(|c| *c != "W-EMPTY-ELEMENT").collect();
        let mut want = want.to_vec();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{input}");
    }
    let doc = parse(b"OFXHEADER:100\nFOO:BAR\n\n<OFX></OFX>").expect("ok");
    assert_eq!(doc.header().expect("h").other, [("FOO".to_owned(), "BAR".to_owned())]);
}

#[test]
fn fatal_errors_name_the_problem_and_place() {
    for (input, code, at) in [
        ("", "E-NO-ROOT", 0),
        ("   \n ", "E-NO-ROOT", 5),
        ("OFXHEADER:100\nDATA:OFXSGML\n", "E-HEADER-UNTERMINATED", 27),
        ("hello world", "E-NO-ROOT", 0),
        ("<html><body>x</body></html>", "E-NO-ROOT", 0),
    ] {
        let e = parse(input.as_bytes()).expect_err(input);
        assert_eq!((e.code().as_str(), e.span().start), (code, at), "{input:?}");
    }
}

#[test]
fn hostile_inputs_stay_bounded() {
    // Depth: the 257th nested element is refused, at its position.
    let mut deep = String::from("<OFX>");
    for i in 0..1000 {
        deep.push_str(&format!("<E{i}>"));
    }
    let e = parse(deep.as_bytes()).expect_err("too deep");
    assert_eq!(e.code(), Code::DepthLimit);
    let expected_at = deep.match_indices('<').nth(256).map(|(i, _)| i).expect("256th");
    assert_eq!(e.span().start as usize, expected_at);

    // The same name nested a million times cannot nest (each closes the last), so it is flat.
    let flat = format!("<OFX>{}</OFX>", "<STMTTRN>".repeat(100_000));
    let doc = parse(flat.as_bytes()).expect("flat");
    assert_eq!(doc.tree().len(), 100_001);

    // Element count, text length, name length, distinct names, input size.
    let small =
        Options { limits: Limits { max_elements: 10, ..Limits::default() }, ..common::dtd() };
    let many = format!("<OFX>{}</OFX>", "<A>1".repeat(100));
    assert_eq!(parse_with(many.as_bytes(), &small).expect_err("count").code(), Code::ElementLimit);
    let long = format!("<OFX><NAME>{}</OFX>", "x".repeat(2 << 20));
    assert_eq!(parse(long.as_bytes()).expect_err("text").code(), Code::TextLimit);
    let name = format!("<OFX><{}>1</OFX>", "N".repeat(1 << 20));
    assert_eq!(parse(name.as_bytes()).expect_err("name").code(), Code::NameLimit);
    let names: String = (0..5000).map(|i| format!("<N{i}>1")).collect();
    assert_eq!(
        parse(format!("<OFX>{names}</OFX>").as_bytes()).expect_err("names").code(),
        Code::NameLimit
    );
    let tiny =
        Options { limits: Limits { max_input_size: 16, ..Limits::default() }, ..common::dtd() };
    assert_eq!(parse_with(&[b' '; 17], &tiny).expect_err("size").code(), Code::InputTooLarge);

    // Billion laughs: the DTD is never read.
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><OFX><NAME>&lol2;</NAME></OFX>";
    let doc = parse(laughs.as_bytes()).expect("laughs");
    assert_eq!(doc.root().child_text("NAME"), Some("&lol2;"));

    // NUL bytes, junk, malformed tags: diagnostics, never a panic.
    for input in [
        &b"<OFX><NAME>a\0b</OFX>"[..],
        b"<OFX>\0\0\0\0",
        b"<OFX><<<<>>>></></ ><1><A<B><C",
        b"<OFX><!-- unclosed",
        b"<OFX><![CDATA[ unclosed",
        b"<OFX><NAME>\xff\xfe\xfd</OFX>",
        b"<OFX>&#99999999999999999999;&#xD800;&",
        b"\xff\xfe<\0O\0F\0X\0>\0",
        b"\xfe\xff\0<\0O\0F\0X\0>",
        b"\xef\xbb\xbf",
        b"<OFC>",
        b"<OFX></OFX></OFX><OFX>",
    ] {
        if let Ok(doc) = parse(input) {
            for d in doc.diagnostics() {
                assert!(d.span.end as usize <= doc.source().len(), "{input:?}: {d}");
            }
        }
    }
    let doc = parse(b"<OFX><NAME>a\0b</OFX>").expect("nul");
    assert!(
        doc.diagnostics().iter().any(|d| d.code == Code::NulByte && d.severity == Severity::Error)
    );
}

#[test]
fn malformed_tags_are_errors_with_spans() {
    for (input, at) in [
        ("<OFX>< A>", 5),
        ("<OFX><>", 5),
        ("<OFX></>", 5),
        ("<OFX><<A>", 5),
        ("<OFX><A<B>", 5),
        ("<OFX><NAME", 5),
    ] {
        let doc = parse(input.as_bytes()).expect(input);
        let d = doc.diagnostics().iter().find(|d| d.code == Code::MalformedTag).expect(input);
        assert_eq!(d.span.start, at, "{input}");
    }
}

#[test]
fn strict_leniency_turns_warnings_into_errors() {
    let input = b"<ofx><NAME>AT&T<X/></ofx>";
    let lenient = parse(input).expect("ok");
    assert!(!lenient.has_errors());
    let strict =
        parse_with(input, &Options { leniency: Leniency::strict(), ..common::dtd() }).expect("ok");
    assert!(strict.has_errors());
    assert_eq!(
        dump_text(&lenient, DumpOptions::default()),
        dump_text(&strict, DumpOptions::default()),
        "the tree does not depend on leniency"
    );
}

#[test]
fn spans_and_paths() {
    let input = b"<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS><CODE>0</CODE>\n</STATUS>\n</SONRS></SIGNONMSGSRSV1></OFX>";
    let doc = parse(input).expect("ok");
    let code = doc.root().descendants().find(|e| e.name() == "CODE").expect("code");
    assert_eq!(&input[code.span().range()], b"<CODE>0</CODE>");
    assert_eq!(code.path(), "OFX/SIGNONMSGSRSV1/SONRS/STATUS/CODE");
    assert_eq!(doc.line_col(code.span().start).to_string(), "4:9");
    assert_eq!(code.text_span().map(|s| &input[s.range()]), Some(&b"0"[..]));
    let status = code.tree().ancestors_of(code.id());
    assert_eq!(status.len(), 4);
}

#[test]
fn every_element_lies_under_the_root() {
    // Found by the round-trip fuzzer: text in the root once closed it like a leaf, and what
    // followed landed outside the root.
    for input in [&b"<OFC>TEXT<CCSTMTRS><X>"[..], b"<OFX/><A>1</A>", b"<OFX>x</OFX><B>"] {
        let doc = parse(input).expect("tree");
        let root_end = doc.root().descendants().count() + 1;
        assert_eq!(root_end, doc.tree().len(), "{:?}", String::from_utf8_lossy(input));
    }
}
