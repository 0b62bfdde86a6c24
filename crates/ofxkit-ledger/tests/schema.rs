//! Opening a ledger: WAL mode, the schema version, a newer database refused untouched.

use ofxkit_ledger::store::{Owned, Value};
use ofxkit_ledger::{ErrorKind, Ledger, schema};

fn version(ledger: &mut Ledger) -> Vec<i64> {
    let mut out = Vec::new();
    ledger
        .store()
        .query("SELECT version FROM schema_version ORDER BY version", &[], &mut |r| {
            out.extend(r.first().and_then(Owned::int));
            Ok(())
        })
        .expect("schema_version");
    out
}

#[test]
fn a_new_file_is_in_wal_mode_at_the_current_version_and_reopens_unchanged() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("l.db");
    let mut ledger = Ledger::open(&path.display().to_string()).expect("created");
    let mut mode = String::new();
    ledger
        .store()
        .query("PRAGMA journal_mode", &[], &mut |r| {
            mode = r.first().and_then(Owned::text).unwrap_or_default().to_owned();
            Ok(())
        })
        .expect("pragma");
    assert_eq!(mode, "wal");
    let expected: Vec<i64> = (1..=schema::VERSION).collect();
    assert_eq!(version(&mut ledger), expected);
    drop(ledger);
    let mut again = Ledger::open(&path.display().to_string()).expect("reopened");
    assert_eq!(version(&mut again), expected, "no migration applied twice");
    assert!(again.check().expect("check").is_empty());
}

#[test]
fn a_newer_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("l.db");
    let mut ledger = Ledger::open_sqlite(&path).expect("created");
    ledger
        .store()
        .execute("INSERT INTO schema_version (version) VALUES (?)", &[Value::Int(99)])
        .expect("a newer version");
    drop(ledger);
    let err = Ledger::open_sqlite(&path).err().expect("refused");
    assert!(matches!(err.kind(), ErrorKind::Schema(_)), "{err}");
    assert!(err.to_string().contains("version 99"), "{err}");
}
