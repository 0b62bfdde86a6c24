//! `ofxkit rules`: every rule id and reader code with its severity and help.

use ofxkit::validate::rules::RULES;

use crate::util::run;

#[test]
fn every_rule_and_reader_code_is_listed_with_severity_and_help() {
    let out = run(&["rules"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    for r in RULES {
        let line = out
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(r.id))
            .unwrap_or_else(|| panic!("{} listed: {}", r.id, out.stdout));
        assert!(line.contains(&format!(" {} ", r.severity)), "{line}");
        assert!(line.ends_with(r.summary), "{line}");
        if let Some(help) = r.help {
            assert!(out.stdout.contains(&format!("help: {help}\n")), "{}", r.id);
        }
    }
    for code in ofxkit::syntax::Code::ALL {
        assert!(
            out.stdout.lines().any(|l| l.split_whitespace().next() == Some(code.as_str())),
            "{}",
            code.as_str()
        );
    }
}

#[test]
fn json_lists_the_same_as_the_catalog() {
    let out = run(&["rules", "--format", "json"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).expect("a JSON array");
    let rules: Vec<&serde_json::Value> = list.iter().filter(|e| e["kind"] == "rule").collect();
    assert_eq!(rules.len(), RULES.len());
    for (entry, r) in rules.iter().zip(RULES) {
        assert_eq!(entry["id"], r.id);
        assert_eq!(entry["severity"], r.severity.to_string());
        assert_eq!(entry["help"].as_str(), r.help);
        assert_eq!(entry["summary"], r.summary);
    }
    let readers = list.iter().filter(|e| e["kind"] == "reader").count();
    assert_eq!(readers, ofxkit::syntax::Code::ALL.len());
    let eof = list.iter().find(|e| e["id"] == "E-UNEXPECTED-EOF").expect("listed");
    assert_eq!(eof["severity"], "error");
}
