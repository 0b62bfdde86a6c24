//! `validate` never lets the file drive the terminal: values holding ESC, BEL, CR, C1 and an
//! OSC 52 sequence, and a file name with a newline, come out escaped in every format.

use crate::util::run;

const OSC52: &str = "\u{1b}]52;c;aGk=\u{7}";

fn hostile_file() -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("ofxkit-quoting-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join("bank\nfile.ofx:1:1: error[FORGED]: x.ofx");
    let bad = |v: &str| format!("{v}\u{1b}[2J\u{7}\r\u{85}{OSC52}");
    let mut text = String::from("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>");
    text.push_str(&format!(
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>{}<SEVERITY>ERROR<MESSAGE>{}</STATUS>\
         <STMTRS><CURDEF>{}<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>{}</BANKACCTFROM>\
         <BANKTRANLIST><DTSTART>{}<DTEND>20240131",
        bad("2000"),
        bad("failed"),
        bad("usd"),
        bad("CHECKING"),
        bad("20240101")
    ));
    for i in 0..2 {
        text.push_str(&format!(
            "<STMTTRN><TRNTYPE>{}<DTPOSTED>{}<TRNAMT>{}<FITID>{}<NAME>{}</STMTTRN>",
            bad("DEBIT"),
            bad(&format!("2024010{i}")),
            bad("+-1"),
            bad("F"),
            bad("ACME")
        ));
    }
    text.push_str("</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n");
    std::fs::write(&path, text.as_bytes()).expect("write");
    let shown = path.display().to_string().replace('\n', "\\n");
    (path, shown)
}

/// No C0 control but the line feed, no DEL, no C1 control.
fn clean(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() && c != '\n')
}

#[test]
fn validate_escapes_values_and_names_in_every_format() {
    let (path, shown) = hostile_file();
    let file = path.display().to_string();

    let human = run(&["validate", "--color", "never", &file], b"");
    assert_eq!(human.status, 1, "{}", human.stderr);
    assert!(clean(&human.stdout), "{:?}", human.stdout);
    assert!(clean(&human.stderr), "{:?}", human.stderr);
    // (The reader turns the CR inside the value into a line feed.)
    assert!(human.stdout.contains("\"+-1\\u{1b}[2J\\u{7}\\n\\u{85}"), "{}", human.stdout);
    // Every finding line starts with the escaped name: the newline forged nothing.
    let heads: Vec<&str> = human.stdout.lines().filter(|l| l.contains(": error[")).collect();
    assert!(heads.len() >= 5, "{}", human.stdout);
    for line in heads {
        assert!(line.starts_with(&shown), "{line}");
    }
    assert!(!human.stdout.lines().any(|l| l.starts_with("file.ofx:1:1: error[FORGED]")));

    for format in ["ndjson", "json", "sarif"] {
        let out = run(&["validate", "--format", format, &file], b"");
        assert!(clean(&out.stdout), "{format}: raw control characters");
        let values: Vec<serde_json::Value> = if format == "ndjson" {
            out.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
        } else {
            vec![serde_json::from_str(&out.stdout).expect("one JSON document")]
        };
        // Decoded, the messages and snippets hold no control character either.
        let mut strings = Vec::new();
        for v in &values {
            collect_strings(v, &mut strings);
        }
        let file_name = path.display().to_string();
        for s in strings.iter().filter(|s| **s != file_name) {
            assert!(!s.chars().any(char::is_control), "{format}: {s:?}");
        }
    }
    if let Some(dir) = path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn collect_strings<'v>(v: &'v serde_json::Value, out: &mut Vec<&'v str>) {
    match v {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}
