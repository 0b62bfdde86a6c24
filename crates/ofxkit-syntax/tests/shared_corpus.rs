//! Every file of `../shared/corpus` that its MANIFEST does not mark as hopeless parses to a
//! tree whose root is OFX or OFC and in which the statements the MANIFEST lists are found;
//! every hopeless file yields an error with a position. Failures are listed by name.

mod common;

use common::parse;
use ofxkit_syntax::Severity;

/// How many statement aggregates the MANIFEST's `msgs=` field promises
/// (`bank stmt x2, cc stmt` → 3).
fn expected_statements(note: &str) -> usize {
    let Some(msgs) = note.split('|').find_map(|f| f.trim().strip_prefix("msgs=")) else {
        return 0;
    };
    msgs.split(',')
        .map(str::trim)
        .filter(|item| item.contains("stmt") && !item.contains("stmtend"))
        .map(|item| {
            item.rsplit_once(" x").and_then(|(_, n)| n.trim().parse::<usize>().ok()).unwrap_or(1)
        })
        .sum()
}

#[test]
fn manifest_statement_counts_are_read_right() {
    assert_eq!(expected_statements("msgs=bank stmt x2, cc stmt | header=x"), 3);
    assert_eq!(expected_statements("msgs=invstmt, seclist | enc=ascii"), 1);
    assert_eq!(expected_statements("msgs=signon-only | x"), 0);
    assert_eq!(
        expected_statements("msgs=bank msgset (no STMTRS), error response (STATUS 2000)"),
        0
    );
}

#[test]
fn shared_corpus_reads_as_its_manifest_says() {
    let Some(dir) = common::shared_corpus() else {
        eprintln!("SKIPPED: ../shared/corpus is absent (CI always has it)");
        return;
    };
    let rows = common::manifest(&dir);
    assert!(rows.len() > 100, "MANIFEST has {} rows", rows.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in rows.iter().filter(|r| r.expect != "reference") {
        checked += 1;
        let bytes = match std::fs::read(dir.join(&row.file)) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{}: cannot read: {e}", row.file));
                continue;
            }
        };
        let result = parse(&bytes);
        if row.expect == "reject" {
            match result {
                Err(e) if (e.span().start as usize) <= bytes.len() => {}
                Err(e) => {
                    failures.push(format!("{}: error position {} past the end", row.file, e.span()))
                }
                Ok(doc) => {
                    let positioned = doc.diagnostics().iter().any(|d| {
                        d.severity == Severity::Error
                            && (d.span.start as usize) <= doc.source().len()
                    });
                    if !positioned {
                        failures.push(format!("{}: hopeless file read without an error", row.file));
                    }
                }
            }
            continue;
        }
        let doc = match result {
            Ok(doc) => doc,
            Err(e) => {
                failures.push(format!("{}: {} {}", row.file, e.code(), e.message()));
                continue;
            }
        };
        let root = doc.root().name();
        if root != "OFX" && root != "OFC" {
            failures.push(format!("{}: root is {root}", row.file));
        }
        let found = doc
            .tree()
            .elements()
            .filter(|e| matches!(e.name(), "STMTRS" | "CCSTMTRS" | "INVSTMTRS" | "ACCTSTMT"))
            .count();
        let expected = expected_statements(&row.note);
        if found < expected {
            failures
                .push(format!("{}: {found} statements found, MANIFEST lists {expected}", row.file));
        }
    }
    assert!(checked > 100);
    assert!(
        failures.is_empty(),
        "{} of {checked} files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
