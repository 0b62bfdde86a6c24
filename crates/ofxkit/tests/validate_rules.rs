//! Every validation rule has a failing and a passing file in `corpus/validate/`: the failing
//! file gives a finding of that rule at the line and column listed here; the passing file
//! gives none of that rule and no error at all.

use std::path::PathBuf;

use ofxkit::syntax::Severity;
use ofxkit::validate::rules::RULES;
use ofxkit::validate::{ValidateOptions, validate};

/// (rule, file extension, line, column of the finding in `RULE.fail.EXT`).
const CASES: &[(&str, &str, u32, u32)] = &[
    ("OFC-AMT-001", "ofc", 17, 9),
    ("OFC-AMT-002", "ofc", 17, 9),
    ("OFC-AMT-003", "ofc", 17, 9),
    ("OFC-CODE-001", "ofc", 15, 10),
    ("OFC-CODE-002", "ofc", 3, 8),
    ("OFC-DT-001", "ofc", 16, 11),
    ("OFC-DT-004", "ofc", 16, 11),
    ("OFC-SEM-001", "ofc", 25, 8),
    ("OFC-SEM-002", "ofc", 16, 11),
    ("OFC-SEM-003", "ofc", 20, 2),
    ("OFC-SEM-004", "ofc", 10, 1),
    ("OFC-SEM-006", "ofc", 7, 2),
    ("OFC-SEM-007", "ofc", 5, 9),
    ("OFC-SEM-011", "ofc", 21, 1),
    ("OFC-STR-001", "ofc", 5, 1),
    ("OFC-STR-002", "ofc", 20, 2),
    ("OFC-STR-003", "ofc", 12, 2),
    ("OFC-STR-004", "ofc", 18, 2),
    ("OFC-STR-005", "ofc", 20, 2),
    ("OFC-STR-006", "ofc", 5, 1),
    ("OFX-AMT-001", "ofx", 42, 9),
    ("OFX-AMT-003", "ofx", 42, 9),
    ("OFX-CODE-001", "ofx", 40, 10),
    ("OFX-CODE-002", "ofx", 40, 10),
    ("OFX-CODE-003", "ofx", 30, 9),
    ("OFX-DT-001", "ofx", 41, 11),
    ("OFX-DT-002", "ofx", 41, 11),
    ("OFX-DT-003", "ofx", 41, 11),
    ("OFX-DT-004", "ofx", 41, 11),
    ("OFX-DT-005", "ofx", 41, 11),
    ("OFX-SEM-001", "ofx", 50, 8),
    ("OFX-SEM-002", "ofx", 41, 11),
    ("OFX-SEM-003", "ofx", 45, 2),
    ("OFX-SEM-004", "ofx", 29, 1),
    ("OFX-SEM-005", "ofx", 15, 7),
    ("OFX-SEM-006", "ofx", 14, 2),
    ("OFX-SEM-007", "ofx", 16, 11),
    ("OFX-SEM-008", "ofx", 23, 1),
    ("OFX-SEM-009", "ofx", 40, 1),
    ("OFX-SEM-010", "ofx", 51, 15),
    ("OFX-STR-001", "ofx", 29, 1),
    ("OFX-STR-002", "ofx", 45, 2),
    ("OFX-STR-003", "ofx", 45, 2),
    ("OFX-STR-004", "ofx", 46, 2),
    ("OFX-STR-005", "ofx", 45, 2),
    ("OFX-STR-006", "ofx", 44, 1),
    ("OFX-STR-007", "ofx", 45, 2),
    ("OFX-STR-009", "ofx", 45, 2),
];

fn corpus(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/validate").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every finding of a file as `(code, severity, line, column)`.
fn findings(name: &str) -> Vec<(&'static str, Severity, u32, u32)> {
    let bytes = corpus(name);
    let doc = ofxkit::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let report = validate(&doc, &ValidateOptions::default());
    let index = doc.syntax().line_index();
    report
        .findings
        .iter()
        .map(|f| {
            let lc = index.line_col(f.span.start);
            (f.code, f.severity, lc.line, lc.column)
        })
        .collect()
}

#[test]
fn failing_files_give_the_rule_at_its_position() {
    for &(rule, ext, line, column) in CASES {
        let name = format!("{rule}.fail.{ext}");
        let found = findings(&name);
        assert!(
            found.iter().any(|&(c, _, l, col)| c == rule && (l, col) == (line, column)),
            "{name}: expected {rule} at {line}:{column}, got {found:?}"
        );
        let severity = ofxkit::validate::rules::rule(rule).map(|r| r.severity);
        assert!(
            found.iter().any(|&(c, s, _, _)| c == rule && Some(s) == severity),
            "{name}: {rule} with its catalog severity"
        );
    }
}

#[test]
fn passing_files_give_neither_the_rule_nor_any_error() {
    for &(rule, ext, _, _) in CASES {
        let name = format!("{rule}.pass.{ext}");
        let found = findings(&name);
        assert!(!found.iter().any(|&(c, ..)| c == rule), "{name}: {found:?}");
        assert!(!found.iter().any(|&(_, s, ..)| s == Severity::Error), "{name}: {found:?}");
    }
}

#[test]
fn every_rule_has_its_cases() {
    for r in RULES {
        assert_eq!(
            CASES.iter().filter(|c| c.0 == r.id).count(),
            1,
            "{} needs exactly one line in CASES",
            r.id
        );
    }
    for c in CASES {
        assert!(RULES.iter().any(|r| r.id == c.0), "{} is not in the catalog", c.0);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/validate");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus/validate") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        let known = CASES.iter().any(|(rule, ext, ..)| {
            name == format!("{rule}.fail.{ext}") || name == format!("{rule}.pass.{ext}")
        });
        assert!(known, "corpus/validate/{name} belongs to no case");
        files += 1;
    }
    assert_eq!(files, CASES.len() * 2);
}

#[test]
fn allow_deny_and_strict_tune_the_findings() {
    let bytes = corpus("OFX-DT-005.fail.ofx");
    let doc = ofxkit::parse(&bytes).expect("parse");
    let default = validate(&doc, &ValidateOptions::default());
    let dt005 = |r: &ofxkit::validate::Report| {
        r.findings.iter().filter(|f| f.code == "OFX-DT-005").map(|f| f.severity).collect::<Vec<_>>()
    };
    assert_eq!(dt005(&default), [Severity::Warning]);
    assert!(!default.has_errors());

    let mut deny = ValidateOptions::default();
    deny.deny.insert("OFX-DT-*".to_owned());
    let denied = validate(&doc, &deny);
    assert_eq!(dt005(&denied), [Severity::Error]);
    assert!(denied.has_errors());

    let strict = ValidateOptions { strict: true, ..ValidateOptions::default() };
    assert!(validate(&doc, &strict).has_errors());

    let mut allow = ValidateOptions::default();
    allow.allow.insert("OFX-DT-005".to_owned());
    allow.strict = true;
    let allowed = validate(&doc, &allow);
    assert!(dt005(&allowed).is_empty());
    assert!(!allowed.has_errors());
}

#[test]
fn profiles_change_what_is_checked() {
    use ofxkit::validate::ValidationProfile;
    // HOLD is a TRNTYPE of OFX 2.2 only.
    let bytes = corpus("OFX-STR-009.pass.ofx");
    let text = String::from_utf8(bytes).expect("utf-8").replace(">DEBIT<", ">HOLD<");
    let doc = ofxkit::parse(text.as_bytes()).expect("parse");
    let auto = validate(&doc, &ValidateOptions::default());
    assert_eq!(auto.profile, ValidationProfile::Ofx220);
    assert!(!auto.findings.iter().any(|f| f.code == "OFX-CODE-001"), "{:?}", auto.findings);
    let options =
        ValidateOptions { profile: ValidationProfile::Ofx211, ..ValidateOptions::default() };
    let old = validate(&doc, &options);
    assert!(old.findings.iter().any(|f| f.code == "OFX-CODE-001"), "{:?}", old.findings);

    // Intuit elements are expected in QFX, a vendor extension otherwise.
    let qfx = b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n\
CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0\
<SEVERITY>INFO</STATUS><DTSERVER>20240101<LANGUAGE>ENG<INTU.BID>3000</SONRS></SIGNONMSGSRSV1></OFX>";
    let doc = ofxkit::parse(qfx).expect("parse");
    let auto = validate(&doc, &ValidateOptions::default());
    assert!(auto.qfx);
    assert!(auto.findings.is_empty(), "{:?}", auto.findings);
    let options =
        ValidateOptions { profile: ValidationProfile::Ofx102, ..ValidateOptions::default() };
    let plain = validate(&doc, &options);
    assert_eq!(plain.findings.iter().map(|f| f.code).collect::<Vec<_>>(), ["OFX-STR-007"]);
}

#[test]
fn no_prefix_or_mangling_of_a_corpus_file_makes_the_validator_panic() {
    // Every prefix of every rule file (truncated input), and each with its bytes around the
    // cut shuffled: the validator must return a report, whatever the tree looks like.
    for &(rule, ext, ..) in CASES {
        for kind in ["fail", "pass"] {
            let bytes = corpus(&format!("{rule}.{kind}.{ext}"));
            for cut in (0..bytes.len()).step_by(29) {
                let mut variants = vec![bytes[..cut].to_vec()];
                let mut swapped = bytes.clone();
                swapped.swap(cut, (cut * 31 + 5) % bytes.len());
                variants.push(swapped);
                for input in variants {
                    if let Ok(doc) = ofxkit::parse(&input) {
                        use ofxkit::validate::ValidationProfile as P;
                        for profile in [P::Auto, P::Ofc, P::Ofx160, P::Ofx220] {
                            let options = ValidateOptions { profile, ..ValidateOptions::default() };
                            let report = validate(&doc, &options);
                            assert!(
                                report.findings.iter().all(|f| f.span.end as usize <= input.len())
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn deep_and_wide_trees_are_validated() {
    // 200 nested unknown aggregates and 20 000 transactions: linear, no recursion.
    let mut deep = String::from("<OFX>");
    for i in 0..200 {
        deep.push_str(&format!("<X{i}>"));
    }
    deep.push_str("<A>1</A>");
    for i in (0..200).rev() {
        deep.push_str(&format!("</X{i}>"));
    }
    deep.push_str("</OFX>");
    let doc = ofxkit::parse(deep.as_bytes()).expect("parse");
    let report = validate(&doc, &ValidateOptions::default());
    assert_eq!(report.findings.iter().filter(|f| f.code == "OFX-STR-005").count(), 1);

    let mut wide = String::from_utf8(corpus("OFX-SEM-001.pass.ofx")).expect("utf-8");
    let at = wide.find("</BANKTRANLIST>").expect("list");
    let mut trns = String::new();
    for i in 0..20_000 {
        trns.push_str(&format!(
            "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-1.00<FITID>{}<NAME>X</STMTTRN>\n",
            match i {
                12_345 => 10_500, // a repeat while FITIDs still arrive in order
                15_000 => 5,      // out of order: from here on a hash set
                18_000 => 10_700, // a repeat found by the hash set
                _ => 10_000 + i,
            }
        ));
    }
    wide.insert_str(at, &trns);
    let doc = ofxkit::parse(wide.as_bytes()).expect("parse");
    let report = validate(&doc, &ValidateOptions::default());
    let dups: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.code == "OFX-SEM-001")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        dups,
        [
            "FITID \"10500\" is used by an earlier transaction of this statement",
            "FITID \"10700\" is used by an earlier transaction of this statement"
        ]
    );
}

#[test]
fn finding_paths_are_the_paths_of_the_elements_they_point_at() {
    for &(rule, ext, ..) in CASES {
        let name = format!("{rule}.fail.{ext}");
        let bytes = corpus(&name);
        let doc = ofxkit::parse(&bytes).expect("parse");
        let report = validate(&doc, &ValidateOptions::default());
        let tree = doc.syntax().tree();
        for f in report.findings.iter().filter(|f| f.code == rule) {
            let path = f.path.as_deref().unwrap_or_else(|| panic!("{name}: {rule} has no path"));
            // The innermost element whose span holds the finding's start.
            let innermost = tree
                .elements()
                .filter(|e| {
                    e.span().start <= f.span.start
                        && f.span.start < e.span().end.max(e.span().start + 1)
                })
                .last()
                .map(|e| e.path())
                .unwrap_or_default();
            assert!(
                innermost == path || innermost.starts_with(&format!("{path}/")),
                "{name}: {rule} at {path}, but the element there is {innermost}"
            );
        }
    }
}

/// A file cut short: `E-UNEXPECTED-EOF` comes first, and the missing elements it caused say
/// they follow from it; a missing element the cut did not cause does not.
#[test]
fn the_root_cause_of_a_truncated_file_comes_first() {
    let whole = corpus("OFX-SEM-001.pass.ofx");
    // Cut inside the second transaction, after its DTPOSTED; and drop CURDEF, which the cut
    // did not cause.
    let cut = whole.windows(8).position(|w| w == b"<TRNAMT>").and_then(|first| {
        let rest = whole.get(first + 1..)?;
        Some(first + 1 + rest.windows(8).position(|w| w == b"<TRNAMT>")?)
    });
    let cut = cut.expect("two amounts");
    let text = String::from_utf8_lossy(&whole[..cut]).replace("<CURDEF>USD\n", "");
    let doc = ofxkit::parse(text.as_bytes()).expect("read");
    let report = validate(&doc, &ValidateOptions::default());
    let first = &report.findings[0];
    assert_eq!(first.code, "E-UNEXPECTED-EOF");
    let at = doc.syntax().line_col(first.span.start);
    let note = format!(" (follows from the end of the input at {at})");
    let caused: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.message.ends_with(&note))
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        caused,
        [
            format!("<STMTRS> has no <LEDGERBAL>: the statement gives no ledger balance{note}"),
            format!("<STMTTRN> lacks <TRNAMT>, which is required at its end{note}"),
            format!("<STMTTRN> lacks <FITID>, which is required at its end{note}"),
        ]
    );
    let curdef = report.findings.iter().find(|f| f.message.contains("<CURDEF>")).expect("CURDEF");
    assert_eq!(curdef.message, "<STMTRS> lacks <CURDEF>, which is required at its start");
    // The rest stays in position order.
    let rest: Vec<u32> = report.findings[1..].iter().map(|f| f.span.start).collect();
    assert!(rest.windows(2).all(|w| w[0] <= w[1]), "{rest:?}");
    // A whole file has no such note, and its findings are in position order from the first.
    let whole = validate(
        &ofxkit::parse(&corpus("OFX-STR-001.fail.ofx")).expect("read"),
        &ValidateOptions::default(),
    );
    assert!(whole.findings.iter().all(|f| !f.message.contains("follows from")));
}
