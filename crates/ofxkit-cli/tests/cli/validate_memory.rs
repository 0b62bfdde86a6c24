//! `validate` checks a statement's transactions as it reads them (issue 17): the tree of a
//! long statement is never built, so memory grows with the input read (held whole) and a
//! few bytes per transaction kept (its FITID, its place among its list's children), not with
//! a tree of the whole file.

use std::path::Path;

use crate::util::{peak_memory, scratch};

/// An OFX 1.x statement of `n` transactions, SGML (leaves without end tags) or XML; one
/// name in five has a reference (`&amp;`), whose transaction is read into a small tree.
fn statement(n: usize, xml: bool) -> Vec<u8> {
    let mut s = if xml {
        "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"211\"?>\n".to_owned()
    } else {
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n\
         CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
            .to_owned()
    };
    let leaf = |name: &str, value: &str| {
        if xml { format!("<{name}>{value}</{name}>\n") } else { format!("<{name}>{value}\n") }
    };
    s.push_str("<OFX><SIGNONMSGSRSV1><SONRS><STATUS>");
    s.push_str(&leaf("CODE", "0"));
    s.push_str(&leaf("SEVERITY", "INFO"));
    s.push_str("</STATUS>");
    s.push_str(&leaf("DTSERVER", "20241231"));
    s.push_str(&leaf("LANGUAGE", "ENG"));
    s.push_str("</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS>");
    s.push_str(&leaf("TRNUID", "1"));
    s.push_str("<STATUS>");
    s.push_str(&leaf("CODE", "0"));
    s.push_str(&leaf("SEVERITY", "INFO"));
    s.push_str("</STATUS><STMTRS>");
    s.push_str(&leaf("CURDEF", "USD"));
    s.push_str("<BANKACCTFROM>");
    s.push_str(&leaf("BANKID", "121000248"));
    s.push_str(&leaf("ACCTID", "000123"));
    s.push_str(&leaf("ACCTTYPE", "CHECKING"));
    s.push_str("</BANKACCTFROM><BANKTRANLIST>\n");
    s.push_str(&leaf("DTSTART", "20240101"));
    s.push_str(&leaf("DTEND", "20241231"));
    for i in 0..n {
        s.push_str("<STMTTRN>\n");
        s.push_str(&leaf("TRNTYPE", "DEBIT"));
        s.push_str(&leaf("DTPOSTED", &format!("2024{:02}{:02}", 1 + i % 12, 1 + i % 28)));
        s.push_str(&leaf("TRNAMT", &format!("-{}.{:02}", i % 1000, i % 100)));
        s.push_str(&leaf("FITID", &format!("T{i:08}")));
        let name = if i % 5 == 0 { "SHOP &amp; CO" } else { "SHOP AND CO" };
        s.push_str(&leaf("NAME", &format!("{name} {}", i % 97)));
        s.push_str("</STMTTRN>\n");
    }
    s.push_str("</BANKTRANLIST><LEDGERBAL>");
    s.push_str(&leaf("BALAMT", "10.00"));
    s.push_str(&leaf("DTASOF", "20241231"));
    s.push_str("</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n");
    s.into_bytes()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path.to_str().expect("utf-8 path").to_owned()
}

#[test]
fn memory_grows_with_the_input_not_with_a_tree_of_it() {
    let dir = scratch("validate-memory");
    for xml in [false, true] {
        let (small_n, large_n) = (30_000, 300_000);
        let small = write(&dir, "small.ofx", &statement(small_n, xml));
        let large = write(&dir, "large.ofx", &statement(large_n, xml));
        let len = |p: &str| std::fs::metadata(p).expect("written").len() / 1024;
        let input_growth = len(&large) - len(&small);
        assert!(input_growth > 24 << 10, "{input_growth} KiB");
        let mut peaks = Vec::new();
        let mut lines = Vec::new();
        for path in [&small, &large] {
            let p = peak_memory(&["validate", "--no-summary", path]);
            assert_eq!(p.status, 0, "xml={xml}: {}", p.stderr);
            peaks.push(p.kib);
            lines.push(p.stdout_lines);
        }
        // A clean statement: the same findings (none about a transaction), whatever its size.
        assert_eq!(lines[0], lines[1], "xml={xml}: findings");
        let growth = peaks[1].saturating_sub(peaks[0]);
        // The input is read whole (it grows by `input_growth`); a tree of the whole file
        // would add about as much again (1.8 times the input in all). What is kept per
        // transaction is a fraction of its bytes.
        assert!(
            growth < input_growth * 3 / 2,
            "xml={xml}: peak {} KiB, then {} KiB (the input grew by {input_growth} KiB)",
            peaks[0],
            peaks[1]
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
