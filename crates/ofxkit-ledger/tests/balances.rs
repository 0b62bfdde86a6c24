//! The ledger balances and securities kept for `ledger export`: a correction drops the
//! balances it makes wrong, on SQLite and PostgreSQL; and a ledger made by the schema before
//! them (version 1) is brought up to date with its transactions kept.

mod common;

use std::path::Path;

use common::postgres_ledger;
use ofxkit_ledger::store::{Owned, Value};
use ofxkit_ledger::{ExportFilter, Format, ImportOptions, Ledger, schema};

fn corpus(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn import(ledger: &mut Ledger, name: &str) {
    let bytes = corpus(name);
    ledger.import(name, &bytes, &ImportOptions::default()).expect("imported");
}

/// `(day, amount)` of each balance kept.
fn days(ledger: &mut Ledger, filter: &ExportFilter) -> Vec<(String, String)> {
    let kept = ledger.balances(filter).expect("balances");
    kept.into_iter().map(|b| (b.as_of, b.amount)).collect()
}

fn corrected_downloads(ledger: &mut Ledger) {
    import(ledger, "export/ledger/01-jan-10.ofx");
    let all = ExportFilter { all: true, ..Default::default() };
    assert_eq!(days(ledger, &all), [("2025-01-10".to_owned(), "100.00".to_owned())]);
    let b = &ledger.balances(&all).expect("balances")[0];
    assert_eq!(
        (b.org.as_str(), b.fid.as_str(), b.kind.as_str(), b.account_id.as_str()),
        ("Example Bank", "1001", "bank", "1111")
    );
    assert_eq!(b.currency.as_deref(), Some("USD"));
    import(ledger, "export/ledger/02-jan-12.ofx");
    import(ledger, "export/ledger/03-jan-14.ofx");
    // The first download's balance counted the charges the second corrected.
    assert_eq!(
        days(ledger, &all),
        [("2025-01-12".to_owned(), "119.01".to_owned()), ("2025-01-14".into(), "118.02".into())]
    );
    let until = ExportFilter { until: chrono::NaiveDate::from_ymd_opt(2025, 1, 13), ..all };
    assert_eq!(days(ledger, &until).len(), 1);
    let mut out = Vec::new();
    ledger.export(&ExportFilter::default(), Format::Csv, &mut out).expect("export");
    let text = String::from_utf8(out).expect("UTF-8");
    let fitids: Vec<&str> = text.lines().skip(1).filter_map(|l| l.split(',').nth(15)).collect();
    assert_eq!(fitids, ["A-FIX", "C", "D", "E"], "{text}");
}

#[test]
fn corrections_drop_the_balances_they_make_wrong_on_sqlite() {
    let mut ledger = Ledger::in_memory().expect("a ledger");
    corrected_downloads(&mut ledger);
}

#[test]
fn corrections_drop_the_balances_they_make_wrong_on_postgres() {
    let Some((mut ledger, _schema)) = postgres_ledger("balances") else { return };
    corrected_downloads(&mut ledger);
}

#[test]
fn securities_keep_their_tickers() {
    let mut ledger = Ledger::in_memory().expect("a ledger");
    import(&mut ledger, "model/ofx2-investment.ofx");
    let kept = ledger.securities().expect("securities");
    assert!(!kept.is_empty());
    assert!(kept.iter().any(|s| s.ticker.as_deref() == Some("ACME")), "{kept:?}");
}

#[test]
fn a_ledger_of_the_first_schema_is_migrated_with_its_transactions() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("old.db");
    // A ledger at version 1 holding a download, as the code before balances left it: made
    // now, then the later migrations' tables dropped (version 1's tables are unchanged).
    {
        let mut ledger = Ledger::open_sqlite(&path).expect("created");
        import(&mut ledger, "export/ledger/01-jan-10.ofx");
        ledger
            .store()
            .batch(
                "DROP TABLE balances; DROP TABLE securities; DROP TABLE corrections; \
                 DELETE FROM schema_version WHERE version > 1",
            )
            .expect("back to version 1");
    }
    let mut ledger = Ledger::open_sqlite(&path).expect("opened and migrated");
    let mut versions = Vec::new();
    ledger
        .store()
        .query("SELECT version FROM schema_version ORDER BY version", &[], &mut |r| {
            versions.extend(r.first().and_then(Owned::int));
            Ok(())
        })
        .expect("versions");
    assert_eq!(versions, (1..=schema::VERSION).collect::<Vec<_>>());
    const { assert!(schema::VERSION >= 2) };
    let all = ExportFilter { all: true, ..Default::default() };
    assert!(days(&mut ledger, &all).is_empty(), "version 1 kept no balance");
    let mut out = Vec::new();
    ledger.export(&all, Format::Csv, &mut out).expect("export");
    assert_eq!(String::from_utf8(out).expect("UTF-8").lines().count(), 1 + 3, "A, B, C kept");
    // The next downloads correct the old one's transactions and keep their balances.
    import(&mut ledger, "export/ledger/02-jan-12.ofx");
    import(&mut ledger, "export/ledger/03-jan-14.ofx");
    assert_eq!(days(&mut ledger, &all).len(), 2);
    let mut out = Vec::new();
    ledger.export(&all, Format::Csv, &mut out).expect("export");
    let text = String::from_utf8(out).expect("UTF-8");
    let fitids: Vec<&str> = text.lines().skip(1).filter_map(|l| l.split(',').nth(15)).collect();
    assert_eq!(fitids, ["A-FIX", "C", "D", "E"], "{text}");
    let mut n = 0;
    ledger
        .store()
        .query("SELECT COUNT(*) FROM balances WHERE account > ?", &[Value::Int(0)], &mut |r| {
            n = r.first().and_then(Owned::int).unwrap_or(0);
            Ok(())
        })
        .expect("count");
    assert_eq!(n, 2);
    assert!(ledger.check().expect("check").is_empty());
}

/// The balances and the FITIDs exported after importing the three downloads in `order`.
fn imported_in(ledger: &mut Ledger, order: [&str; 3]) -> (Vec<(String, String)>, Vec<String>) {
    for name in order {
        import(ledger, &format!("export/ledger/{name}"));
    }
    let all = ExportFilter { all: true, ..Default::default() };
    let balances = days(ledger, &all);
    let mut out = Vec::new();
    ledger.export(&all, Format::Csv, &mut out).expect("export");
    let text = String::from_utf8(out).expect("UTF-8");
    let fitids = text.lines().skip(1).filter_map(|l| l.split(',').nth(15)).map(str::to_owned);
    (balances, fitids.collect())
}

/// Each order of the three downloads, with a new ledger `open` gives for each.
fn every_order(mut open: impl FnMut(usize) -> Option<Ledger>) {
    // An old download imported after the one that corrects it must not bring back the
    // balance the correction made wrong, and a correction must not drop the balance of a
    // newer download, which already counts it.
    let (a, b, c) = ("01-jan-10.ofx", "02-jan-12.ofx", "03-jan-14.ofx");
    let expected = (
        vec![
            ("2025-01-12".to_owned(), "119.01".to_owned()),
            ("2025-01-14".into(), "118.02".into()),
        ],
        ["A-FIX", "C", "D", "E"].map(str::to_owned).to_vec(),
    );
    let orders = [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]];
    for (i, order) in orders.into_iter().enumerate() {
        let Some(mut ledger) = open(i) else { return };
        assert_eq!(imported_in(&mut ledger, order), expected, "imported in the order {order:?}");
    }
}

#[test]
fn the_order_downloads_are_imported_in_does_not_change_what_is_kept_on_sqlite() {
    every_order(|_| Some(Ledger::in_memory().expect("a ledger")));
}

#[test]
fn the_order_downloads_are_imported_in_does_not_change_what_is_kept_on_postgres() {
    let mut schemas = Vec::new();
    every_order(|i| {
        let (ledger, schema) = postgres_ledger(&format!("order{i}"))?;
        schemas.push(schema);
        Some(ledger)
    });
}

#[test]
fn a_delete_that_names_its_own_fitid_keeps_the_transaction_out() {
    // The second download deletes B with a correction whose own FITID is B.
    let fixed = String::from_utf8(corpus("export/ledger/02-jan-12.ofx"))
        .expect("UTF-8")
        .replace("<FITID>B-DEL\n", "<FITID>B\n");
    for second_first in [false, true] {
        let mut ledger = Ledger::in_memory().expect("a ledger");
        if second_first {
            ledger.import("02", fixed.as_bytes(), &ImportOptions::default()).expect("imported");
        }
        import(&mut ledger, "export/ledger/01-jan-10.ofx");
        if !second_first {
            ledger.import("02", fixed.as_bytes(), &ImportOptions::default()).expect("imported");
        }
        import(&mut ledger, "export/ledger/03-jan-14.ofx");
        let all = ExportFilter { all: true, ..Default::default() };
        let mut out = Vec::new();
        ledger.export(&all, Format::Csv, &mut out).expect("export");
        let text = String::from_utf8(out).expect("UTF-8");
        let fitids: Vec<&str> = text.lines().skip(1).filter_map(|l| l.split(',').nth(15)).collect();
        assert_eq!(fitids, ["A-FIX", "C", "D", "E"], "second first: {second_first}\n{text}");
    }
}
