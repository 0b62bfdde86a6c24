//! The download sequences of `corpus/ledger/`: each scenario's steps replayed on a fresh
//! ledger (SQLite in memory, and PostgreSQL when `OFXKIT_TEST_POSTGRES` names a server),
//! the report of each step and the final status, export and sessions compared with the
//! scenario's `expected.txt`. Regenerate with `OFXKIT_BLESS=1` and read the diff.

mod common;

use std::path::Path;

use common::{postgres_ledger, scenarios};
use ofxkit_ledger::Ledger;

#[test]
fn scenarios_on_sqlite() {
    let mut failures = Vec::new();
    for dir in scenarios() {
        let mut ledger = Ledger::in_memory().expect("an in-memory ledger");
        if let Err(e) = compare(&dir, &mut ledger) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn scenarios_on_postgres() {
    let mut failures = Vec::new();
    for dir in scenarios() {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("x").replace('-', "_");
        let Some((mut ledger, _schema)) = postgres_ledger(&format!("scenario_{name}")) else {
            return;
        };
        if let Err(e) = compare(&dir, &mut ledger) {
            failures.push(format!("(PostgreSQL) {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn compare(dir: &Path, ledger: &mut Ledger) -> Result<(), String> {
    let got = common::replay(dir, ledger);
    let expected_path = dir.join("expected.txt");
    if std::env::var_os("OFXKIT_BLESS").is_some() {
        std::fs::write(&expected_path, &got).expect("write expected.txt");
        return Ok(());
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if got == expected {
        return Ok(());
    }
    let first = got.lines().zip(expected.lines()).position(|(a, b)| a != b);
    Err(format!(
        "{}: differs from expected.txt (first at line {}):\n--- got\n{got}",
        dir.display(),
        first.map_or("end".to_owned(), |l| (l + 1).to_string())
    ))
}
