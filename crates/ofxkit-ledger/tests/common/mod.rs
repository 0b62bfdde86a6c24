//! Shared by the ledger's integration tests: the scenarios of `corpus/ledger/`, their
//! replay, and PostgreSQL ledgers in schemas of their own.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ofxkit_ledger::Store;
use ofxkit_ledger::postgres::PostgresStore;
use ofxkit_ledger::{
    ConsentAction, ExportFilter, Format, ImportOptions, Imported, Ledger, WindowRequest,
};

/// The scenario directories, in name order.
pub fn scenarios() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/ledger");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus/ledger")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("steps").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 11, "the scenarios are missing");
    dirs
}

/// Drops its schema when dropped.
pub struct Schema {
    url: String,
    name: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut admin) = PostgresStore::connect(&self.url) {
            let _ = admin.batch(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// A PostgreSQL ledger in a new schema `NAME_PID` (dropped first if it exists, and when
/// the returned [`Schema`] is dropped), or `None` (with a note) when `OFXKIT_TEST_POSTGRES`
/// is not set.
pub fn postgres_ledger(name: &str) -> Option<(Ledger, Schema)> {
    let Some(url) = std::env::var_os("OFXKIT_TEST_POSTGRES") else {
        eprintln!("SKIPPED (no OFXKIT_TEST_POSTGRES): {name} on PostgreSQL");
        return None;
    };
    let url = url.to_string_lossy().into_owned();
    let schema = format!("{name}_{}", std::process::id());
    let mut admin = PostgresStore::connect(&url).expect("PostgreSQL reachable");
    admin
        .batch(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
        .expect("a schema");
    let sep = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{sep}options=-csearch_path%3D{schema}");
    Some((Ledger::open(&scoped).expect("the schema"), Schema { url, name: schema }))
}

/// Replays a scenario's `steps` on `ledger`; returns the report.
pub fn replay(dir: &Path, ledger: &mut Ledger) -> String {
    let steps = std::fs::read_to_string(dir.join("steps")).expect("steps");
    let mut out = String::new();
    for line in steps.lines().filter(|l| !l.trim().is_empty()) {
        let _ = writeln!(out, "> {line}");
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().copied() {
            Some("import") => import(dir, ledger, words.get(1..).unwrap_or_default(), &mut out),
            Some("window") => window(ledger, words.get(1..).unwrap_or_default(), &mut out),
            Some("consent") => {
                let action = match words.get(1).copied() {
                    Some("revoke") => ConsentAction::Revoke,
                    _ => ConsentAction::Expire,
                };
                let fi = words.get(2..).unwrap_or_default().join(" ");
                let n = ledger.consent(action, &fi, None).expect("consent");
                let _ = writeln!(out, "{n} account(s) marked");
            }
            Some("status") => out.push_str(&status(ledger, false)),
            Some("export") => out.push_str(&export(ledger, false)),
            other => panic!("unknown step {other:?}"),
        }
    }
    out.push_str("== status (all)\n");
    out.push_str(&status(ledger, true));
    out.push_str("== export (all, csv)\n");
    out.push_str(&export(ledger, true));
    out.push_str("== sessions\n");
    for s in ledger.sessions().expect("sessions") {
        let _ = writeln!(out, "{}", serde_json::to_string(&s).expect("JSON"));
    }
    out
}

/// Reads the files, orders them by server date and imports each.
pub fn import(dir: &Path, ledger: &mut Ledger, names: &[&str], out: &mut String) {
    let files: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|n| ((*n).to_owned(), std::fs::read(dir.join(n)).expect("a scenario file")))
        .collect();
    let dates: Vec<_> = files.iter().map(|(_, b)| ofxkit_ledger::server_date(b)).collect();
    for i in ofxkit_ledger::import_order(&dates) {
        let (name, bytes) = &files[i];
        let imported = ledger.import(name, bytes, &ImportOptions::default()).expect("import");
        out.push_str(&describe(name, &imported));
    }
}

/// One import's report as text.
pub fn describe(name: &str, imported: &Imported) -> String {
    let mut out = String::new();
    match imported {
        Imported::Already { session } => {
            let _ = writeln!(out, "{name}: already imported as session {session}");
        }
        Imported::Session(r) => {
            let _ = writeln!(
                out,
                "{name}: session {} ({}): {}",
                r.session,
                r.server_date.as_deref().unwrap_or("-"),
                serde_json::to_string(&r.counts).expect("JSON")
            );
            for f in &r.findings {
                let _ = writeln!(out, "  finding {}: {}", f.at, f.diagnostic.code);
            }
            for rej in &r.rejected {
                let _ = writeln!(out, "  kept out: line {}: {}", rej.line, rej.problems.join(" "));
            }
            for a in &r.accounts {
                let _ = writeln!(
                    out,
                    "  {}: {}",
                    serde_json::to_string(&a.account).expect("JSON"),
                    a.outcome
                );
                if let Some((kind, message)) = &a.error {
                    let _ = writeln!(out, "    {kind}: {message}");
                }
            }
        }
    }
    out
}

fn window(ledger: &mut Ledger, args: &[&str], out: &mut String) {
    let mut request = WindowRequest {
        account: args.first().expect("an account").to_string(),
        days_back: None,
        sca: false,
        today: chrono::NaiveDate::parse_from_str(args.get(1).expect("today"), "%Y-%m-%d")
            .expect("a date"),
        download: None,
    };
    let mut rest = args.get(2..).unwrap_or_default().iter();
    while let Some(a) = rest.next() {
        match *a {
            "--sca" => request.sca = true,
            "--days-back" => request.days_back = rest.next().and_then(|n| n.parse().ok()),
            "--download" => request.download = rest.next().map(|s| s.to_string()),
            other => panic!("unknown window option {other}"),
        }
    }
    let w = ledger.window(&request).expect("window");
    let _ = writeln!(out, "{} {} ({})", w.from, w.until, w.reason);
}

/// The status as JSON.
pub fn status(ledger: &mut Ledger, all: bool) -> String {
    let s = ledger.status(all).expect("status");
    let mut text = serde_json::to_string_pretty(&s).expect("JSON");
    text.push('\n');
    text
}

/// The export as CSV.
pub fn export(ledger: &mut Ledger, all: bool) -> String {
    let mut buf = Vec::new();
    let filter = ExportFilter { all, ..ExportFilter::default() };
    ledger.export(&filter, Format::Csv, &mut buf).expect("export");
    String::from_utf8(buf).expect("UTF-8")
}
