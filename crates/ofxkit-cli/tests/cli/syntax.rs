//! The syntax layer through the binary (`ofxkit dump`): texts split by markup read whole,
//! references decode whatever their leading zeros, findings beyond the cap are counted in
//! one line, and quoted values are escaped and cut.

use crate::util::run;

const XML_HEAD: &str = "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n";

#[test]
fn texts_split_by_markup_read_whole() {
    let file = format!(
        "{XML_HEAD}<OFX><STMTTRN><NAME>LONDON<!-- x --> HOTEL</NAME>\
         <MEMO><![CDATA[AT]]><![CDATA[&T]]></MEMO></STMTTRN>\
         <STMTTRN><NAME>AT&amp;T <![CDATA[Inc]]></NAME><MEMO>LONDON<?x y?> HOTEL</MEMO>\
         <FITID>&#x0000000000000041;</FITID></STMTTRN></OFX>"
    );
    let out = run(&["dump", "-"], file.as_bytes());
    assert_eq!(out.status, 0, "{}", out.stderr);
    for value in [
        "NAME = \"LONDON HOTEL\"",
        "MEMO = \"AT&T\"",
        "NAME = \"AT&T Inc\"",
        "MEMO = \"LONDON HOTEL\"",
        "FITID = \"A\"",
    ] {
        assert!(out.stdout.contains(value), "{value} in {}", out.stdout);
    }
    assert!(!out.stderr.contains("W-STRAY-TEXT"), "{}", out.stderr);
    assert!(!out.stderr.contains("W-BARE-AMPERSAND"), "{}", out.stderr);

    let sgml = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><STMTTRN><NAME>Land<!-- x -->lord LLC\n</STMTTRN></OFX>";
    let out = run(&["dump", "-"], sgml.as_bytes());
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("NAME = \"Landlord LLC\""), "{}", out.stdout);
    assert!(!out.stderr.contains("W-STRAY-TEXT"), "{}", out.stderr);
}

#[test]
fn a_reference_that_is_no_character_is_its_own_finding() {
    let file = format!("{XML_HEAD}<OFX><NAME>x&#{};</NAME></OFX>", "9".repeat(40));
    let out = run(&["dump", "-"], file.as_bytes());
    assert_eq!(out.status, 1, "an error: {}", out.stderr);
    let column = file.lines().last().map_or(0, |l| l.find("&#").unwrap_or(0) + 1);
    let expect = format!("<stdin>:3:{column}: error[E-INVALID-CHAR-REF]: &#9999");
    assert!(out.stderr.contains(&expect), "{expect} in {}", out.stderr);
    assert!(out.stderr.contains("is not a character"), "{}", out.stderr);
    assert!(!out.stderr.contains("W-BARE-AMPERSAND"), "{}", out.stderr);
}

#[test]
fn findings_beyond_the_cap_are_counted_in_one_line() {
    let file = format!("<OFX>{}</OFX>", "<MEMO></MEMO>".repeat(1_234));
    let out = run(&["dump", "-"], file.as_bytes());
    assert_eq!(out.status, 0, "warnings only");
    let empty: Vec<&str> = out.stderr.lines().filter(|l| l.contains("[W-EMPTY-ELEMENT]")).collect();
    assert_eq!(empty.len(), 1_001, "the first 1,000 and the summary");
    // The summary comes last, at the first one left out (the 1,001st `<MEMO>`).
    let last = out.stderr.lines().last().unwrap_or_default();
    assert_eq!(
        last,
        format!(
            "<stdin>:1:{}: warning[W-EMPTY-ELEMENT]: … and 234 more W-EMPTY-ELEMENT findings in \
             this file were not kept",
            6 + 1_000 * 13
        )
    );
}

#[test]
fn quoted_values_are_escaped_and_cut() {
    let mut file = b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:1\x1b]52;c;aGk=\x07".to_vec();
    file.extend_from_slice(&[b'9'; 100_000]);
    file.extend_from_slice(b"\n\n\x1b[2J junk\n<OFX><SONRS></SONRS>\x1b[31m stray</OFX>");
    let out = run(&["dump", "-"], &file);
    assert_eq!(out.status, 0, "{}", out.stderr);
    for code in ["W-HEADER-BAD-VALUE", "W-LEADING-JUNK", "W-STRAY-TEXT"] {
        assert!(out.stderr.contains(code), "{code} in {}", out.stderr);
    }
    assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
    for line in out.stderr.lines() {
        assert!(line.len() < 400, "{} bytes: {line}", line.len());
    }
}
