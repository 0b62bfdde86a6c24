//! `ofxkit ledger`: the scenarios through the binary, exit codes, the killed import, and
//! concurrent importers on PostgreSQL (when `OFXKIT_TEST_POSTGRES` names a server).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Output, bin, root, run_with_timeout, scratch};

/// Runs `ofxkit ledger ARGS` in `dir`.
fn ledger(dir: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(bin());
    c.arg("ledger").args(args).current_dir(dir).stdin(Stdio::null());
    run_with_timeout(&mut c, 120)
}

fn scenario(name: &str) -> PathBuf {
    root().join("corpus/ledger").join(name)
}

/// The part of a scenario's `expected.txt` after `== export (all, csv)`.
fn expected_export(name: &str) -> String {
    let text = std::fs::read_to_string(scenario(name).join("expected.txt")).expect("expected.txt");
    let start = text.find("== export (all, csv)\n").expect("an export") + 21;
    let end = text.find("== sessions\n").expect("sessions");
    text[start..end].to_owned()
}

fn db(dir: &Path) -> String {
    dir.join("ledger.db").display().to_string()
}

#[test]
fn files_given_newest_first_are_applied_by_server_date() {
    let tmp = scratch("ledger-order");
    let db = db(&tmp);
    let out =
        ledger(&scenario("overlap"), &["import", "--db", &db, "02-jan-15.ofx", "01-jan-10.ofx"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let first = out.stderr.find("01-jan-10.ofx: session 1 ").expect("01 first");
    let second = out.stderr.find("02-jan-15.ofx: session 2 ").expect("02 second");
    assert!(first < second, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("2 added, 0 updated, 0 replaced, 0 deleted, 0 pending deleted, 5 unchanged"),
        "{}",
        out.stderr
    );
    // The same export as the scenario replayed through the library.
    let export = ledger(&scenario("overlap"), &["export", "--db", &db, "--all"]);
    assert_eq!(export.status, 0, "{}", export.stderr);
    assert_eq!(export.stdout, expected_export("overlap"));
    let check = ledger(&tmp, &["check", "--db", &db]);
    assert_eq!((check.status, check.stdout.as_str()), (0, "ok\n"), "{}", check.stderr);
}

#[test]
fn a_missing_input_names_its_path_and_nothing_is_imported() {
    let tmp = scratch("ledger-missing");
    let db = db(&tmp);
    let out =
        ledger(&scenario("overlap"), &["import", "--db", &db, "01-jan-10.ofx", "no-such.ofx"]);
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no-such.ofx"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing imported"), "{}", out.stderr);
    assert!(!Path::new(&db).exists(), "no ledger was created");
}

#[test]
fn one_failed_account_of_three_exits_1_and_only_it_fails() {
    let tmp = scratch("ledger-error-status");
    let db = db(&tmp);
    let dir = scenario("error-status");
    assert_eq!(ledger(&dir, &["import", "--db", &db, "01-jan-10.ofx"]).status, 0);
    let out = ledger(&dir, &["import", "--db", &db, "02-jan-15.ofx"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(out.stderr.contains("error: account bank 2222"), "{}", out.stderr);
    assert!(out.stderr.contains("aspspResponse: status 2000"), "{}", out.stderr);
    let status = ledger(&tmp, &["status", "--db", &db, "--json"]);
    let accounts: serde_json::Value = serde_json::from_str(&status.stdout).expect("JSON");
    let by_id = |id: &str| {
        accounts
            .as_array()
            .and_then(|a| a.iter().find(|x| x["account"]["accountId"] == id))
            .cloned()
            .expect("the account")
    };
    assert_eq!(by_id("2222")["syncStatus"], "failed");
    assert_eq!(by_id("2222")["lastSyncDate"], "2025-01-10T12:00:00.000-05:00");
    assert_eq!(by_id("2222")["syncError"]["aspspResponse"]["status"], "2000");
    for ok in ["1111", "3333"] {
        assert_eq!(by_id(ok)["syncStatus"], "active");
        assert_eq!(by_id(ok)["lastSyncDate"], "2025-01-15T12:00:00.000-05:00");
    }
    let text = ledger(&tmp, &["status", "--db", &db]);
    assert!(text.stdout.contains("error: aspspResponse (session 2)"), "{}", text.stdout);
}

#[test]
fn a_file_that_is_not_ofx_imports_nothing() {
    let tmp = scratch("ledger-not-ofx");
    let db = db(&tmp);
    std::fs::write(tmp.join("rows.csv"), "date,amount\n2025-01-01,3\n").expect("write");
    let dir = scenario("same-file-twice");
    let out = ledger(
        &tmp,
        &["import", "--db", &db, "rows.csv", &dir.join("01-jan-10.ofx").display().to_string()],
    );
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(out.stderr.contains("rows.csv:1:1: error["), "{}", out.stderr);
    assert!(out.stderr.contains("rows.csv: nothing imported"), "{}", out.stderr);
    // The other file was imported: one session.
    let sessions = ledger(&tmp, &["sessions", "--db", &db]);
    assert_eq!(sessions.stdout.lines().count(), 1, "{}", sessions.stdout);
    assert!(sessions.stdout.contains("01-jan-10.ofx"), "{}", sessions.stdout);
}

/// Files that name no institution (OFC; an FI-less sign-on) are not taken for the same
/// institution: neither makes the other's account missing.
#[test]
fn files_without_an_institution_miss_no_account() {
    let tmp = scratch("ledger-no-fi");
    let db = db(&tmp);
    let model = root().join("corpus/model");
    let out = ledger(&model, &["import", "--db", &db, "ofc-statement.ofc", "ofx2-investment.ofx"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("missingAccount"), "{}", out.stderr);
    let status = ledger(&tmp, &["status", "--db", &db, "--json"]);
    let accounts: serde_json::Value = serde_json::from_str(&status.stdout).expect("JSON");
    let all = accounts.as_array().expect("an array");
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|a| a["syncStatus"] == "active"), "{}", status.stdout);
    let export = ledger(&tmp, &["export", "--db", &db]);
    let records = csv::Reader::from_reader(export.stdout.as_bytes()).records().count();
    assert_eq!(records, 10, "five transactions of each file: {}", export.stdout);
}

#[test]
fn a_refused_signon_exits_1() {
    let tmp = scratch("ledger-refused");
    let db = db(&tmp);
    // Refused before any account is known, and after.
    let dir = scenario("refused-signon");
    let first = ledger(&dir, &["import", "--db", &db, "02-jan-15.ofx"]);
    assert_eq!(first.status, 1, "{}", first.stderr);
    assert!(
        first
            .stderr
            .contains("error: the sign-on was refused (status 15500: Invalid user ID or password)"),
        "{}",
        first.stderr
    );
    let tmp2 = scratch("ledger-refused-2");
    let db2 = self::db(&tmp2);
    assert_eq!(ledger(&dir, &["import", "--db", &db2, "01-jan-10.ofx"]).status, 0);
    let second = ledger(&dir, &["import", "--db", &db2, "02-jan-15.ofx"]);
    assert_eq!(second.status, 1, "{}", second.stderr);
    assert!(
        second
            .stderr
            .contains("error: account bank 1111 (bank 021000021): signature: status 15500"),
        "{}",
        second.stderr
    );
}

#[test]
fn the_same_file_twice_changes_nothing() {
    let tmp = scratch("ledger-twice");
    let db = db(&tmp);
    let dir = scenario("same-file-twice");
    assert_eq!(ledger(&dir, &["import", "--db", &db, "01-jan-10.ofx"]).status, 0);
    let before = ledger(&tmp, &["export", "--db", &db, "--to", "ndjson"]).stdout;
    let out = ledger(&dir, &["import", "--db", &db, "01-jan-10.ofx"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("already imported as session 1; nothing changed"),
        "{}",
        out.stderr
    );
    assert_eq!(ledger(&tmp, &["export", "--db", &db, "--to", "ndjson"]).stdout, before);
    assert_eq!(ledger(&tmp, &["sessions", "--db", &db]).stdout.lines().count(), 1);
}

#[test]
fn rows_with_problems_are_kept_out_with_their_line() {
    let tmp = scratch("ledger-problems");
    let db = db(&tmp);
    let out = ledger(&scenario("problems"), &["import", "--db", &db, "01-jan-10.ofx"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "01-jan-10.ofx:50: error: transaction kept out of the ledger (problems: E-AMOUNT-AMBIGUOUS)"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("01-jan-10.ofx:59:1: error[E-DATE-INVALID]"), "{}", out.stderr);
    let export = ledger(&tmp, &["export", "--db", &db]);
    assert_eq!(export.stdout.lines().count(), 2, "the header and the clean row: {}", export.stdout);
}

const FORMULAS: &str = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><SIGNONMSGSRSV1><SONRS>\
<STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20250110<LANGUAGE>ENG<FI><ORG>B<FID>9</FI>\
</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO\
</STATUS><STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>-42<ACCTTYPE>CHECKING\
</BANKACCTFROM><BANKTRANLIST><DTSTART>20250101<DTEND>20250110\n\
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250102<TRNAMT>-12.50<FITID>=1+1<NAME>@SUM(A1)\
<MEMO>+44 call</STMTTRN>\n\
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250103<TRNAMT>+3<FITID>-5<NAME>Plain &amp; \"quoted\"\
<MEMO>-minus</STMTTRN>\n\
<STMTTRN><TRNTYPE>XFERX<DTPOSTED>20250104120000[-3:BRT]<TRNAMT>1,50<FITID>Z<NAME>=HYPERLINK(\"x\")\
</STMTTRN>\n\
</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";

/// The ledger's export is `convert`'s rows plus `first_session`, guarded the same way.
#[test]
fn export_has_the_columns_and_cells_of_convert() {
    let tmp = scratch("ledger-convert");
    let db = db(&tmp);
    std::fs::write(tmp.join("f.ofx"), FORMULAS).expect("write");
    let imported = ledger(&tmp, &["import", "--db", &db, "f.ofx"]);
    assert_eq!(imported.status, 0, "{}", imported.stderr);
    for (to, convert_to) in [("csv", "csv"), ("ndjson", "ndjson")] {
        let mut c = Command::new(bin());
        c.args(["convert", "--to", convert_to, "f.ofx"]).current_dir(&tmp).stdin(Stdio::null());
        let converted = run_with_timeout(&mut c, 60);
        assert_eq!(converted.status, 0, "{}", converted.stderr);
        let exported = ledger(&tmp, &["export", "--db", &db, "--to", to]);
        assert_eq!(exported.status, 0, "{}", exported.stderr);
        let ours: Vec<String> = exported
            .stdout
            .lines()
            .map(|l| match to {
                "csv" => l.rsplit_once(',').expect("a last column").0.to_owned(),
                _ => {
                    let cut = l.rfind(",\"first_session\":1}").expect("first_session");
                    format!("{}}}", &l[..cut])
                }
            })
            .collect();
        let theirs: Vec<&str> = converted.stdout.lines().collect();
        assert_eq!(ours, theirs, "--to {to}");
    }
    let csv = ledger(&tmp, &["export", "--db", &db]).stdout;
    assert!(csv.contains(",-12.50,DEBIT,,'=1+1,'@SUM(A1),'+44 call,"), "{csv}");
    assert!(
        csv.contains(",-42,CHECKING,"),
        "an account id that is a number stays as written: {csv}"
    );
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    let json = ledger(&tmp, &["export", "--db", &db, "--to", "json"]).stdout;
    let rows: serde_json::Value = serde_json::from_str(&json).expect("a JSON array");
    assert_eq!(rows.as_array().map(Vec::len), Some(3));
    assert_eq!(rows[0]["name"], "@SUM(A1)");
    assert_eq!(rows[0]["first_session"], 1);
}

#[test]
fn windows_consent_and_output_files() {
    let tmp = scratch("ledger-window");
    let db = db(&tmp);
    let dir = scenario("paged");
    assert_eq!(ledger(&dir, &["import", "--db", &db, "00-history.ofx"]).status, 0);
    let args =
        ["window", "--db", &db, "--account", "1111", "--today", "2025-01-20", "--download", "d1"];
    let pinned = ledger(&tmp, &args);
    assert_eq!(
        pinned.stdout,
        "2025-01-06 2025-01-20 (transactions on file: the last is dated 2025-01-10; from 4 days before it)\n"
    );
    assert_eq!(ledger(&dir, &["import", "--db", &db, "page-1.ofx", "page-2.ofx"]).status, 0);
    assert_eq!(ledger(&tmp, &args).stdout, pinned.stdout, "the same range for every page");
    let fresh = ledger(
        &tmp,
        &["window", "--db", &db, "--account", "1111", "--today", "20250120", "--json"],
    );
    let w: serde_json::Value = serde_json::from_str(&fresh.stdout).expect("JSON");
    assert_eq!((w["from"].as_str(), w["until"].as_str()), (Some("2025-01-15"), Some("2025-01-20")));
    let unknown =
        ledger(&tmp, &["window", "--db", &db, "--account", "9\u{1b}[31m", "--today", "2025-01-20"]);
    assert_eq!(unknown.status, 2);
    assert!(unknown.stderr.contains("no account 9\\u{1b}[31m"), "{}", unknown.stderr);

    let some = ledger(
        &tmp,
        &[
            "export",
            "--db",
            &db,
            "--account",
            "1111",
            "--from",
            "2025-01-11",
            "--until",
            "20250116",
        ],
    );
    let header = some.stdout.lines().next().unwrap_or_default();
    let fitid = header.split(',').position(|c| c == "fitid").expect("a fitid column");
    let fitids: Vec<&str> =
        some.stdout.lines().skip(1).filter_map(|l| l.split(',').nth(fitid)).collect();
    assert_eq!(fitids, ["A3", "A4", "A5"], "{}", some.stdout);
    let other = ledger(&tmp, &["export", "--db", &db, "--account", "9999"]);
    assert_eq!(other.stdout.lines().count(), 1, "only the header: {}", other.stdout);

    let revoked = ledger(&tmp, &["consent", "revoke", "--db", &db, "--fi", "1001"]);
    assert_eq!(revoked.status, 0, "{}", revoked.stderr);
    assert_eq!(ledger(&tmp, &["status", "--db", &db]).stdout, "", "revoked accounts are hidden");
    assert_eq!(ledger(&tmp, &["export", "--db", &db]).stdout.lines().count(), 1);
    let out = tmp.join("all.csv");
    let all = ledger(&tmp, &["export", "--db", &db, "--all", "-o", &out.display().to_string()]);
    assert_eq!((all.status, all.stdout.as_str()), (0, ""), "{}", all.stderr);
    assert_eq!(std::fs::read_to_string(&out).expect("written").lines().count(), 7);
    let status = ledger(&tmp, &["status", "--db", &db, "--all"]);
    assert!(status.stdout.contains("bank 1111 (bank 021000021): inactive;"), "{}", status.stdout);
    let nobody = ledger(&tmp, &["consent", "expire", "--db", &db, "--fi", "nobody"]);
    assert_eq!(nobody.status, 2, "{}", nobody.stderr);
}

/// A statement of `n` transactions, the first ones those of the base file, and a pending
/// hold of the base file left out (so the import deletes it at its very end).
fn big_file(n: usize) -> String {
    let mut s = String::from(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n\
         <STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n<DTSERVER>20250301\n<LANGUAGE>ENG\n<FI>\n\
         <ORG>Example Bank\n<FID>1001\n</FI>\n</SONRS>\n</SIGNONMSGSRSV1>\n<BANKMSGSRSV1>\n\
         <STMTTRNRS>\n<TRNUID>1\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n<STMTRS>\n\
         <CURDEF>USD\n<BANKACCTFROM>\n<BANKID>021000021\n<ACCTID>1111\n<ACCTTYPE>CHECKING\n\
         </BANKACCTFROM>\n<BANKTRANLIST>\n<DTSTART>20250101\n<DTEND>20250301\n",
    );
    for i in 0..n {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 2;
        s.push_str(&format!(
            "<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>2025{month:02}{day:02}\n<TRNAMT>-{}.{:02}\n\
             <FITID>K{i}\n<NAME>SHOP {}\n<MEMO>CARD PURCHASE {i}\n</STMTTRN>\n",
            1 + i % 500,
            i % 100,
            i % 97
        ));
    }
    s.push_str("</BANKTRANLIST>\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n");
    s
}

/// The base: a few of the big file's transactions (one with other content) and a hold.
fn base_file() -> String {
    let big = big_file(3);
    let body_start = big.find("<STMTTRN>").expect("a transaction");
    let end = big.find("</BANKTRANLIST>").expect("the list end");
    let mut s = big[..body_start].replace("<DTSERVER>20250301", "<DTSERVER>20250115");
    s.push_str(&big[body_start..end].replace("<NAME>SHOP 1\n", "<NAME>SHOP ONE\n"));
    s.push_str(
        "<STMTTRN>\n<TRNTYPE>HOLD\n<DTPOSTED>20250110\n<TRNAMT>-50.00\n<FITID>HOLD1\n\
         <NAME>DEPOSIT\n</STMTTRN>\n",
    );
    s.push_str(&big[end..]);
    s
}

/// What a ledger shows: its export, status and sessions.
fn snapshot(dir: &Path, db: &str) -> (String, String, String) {
    let get = |args: &[&str]| {
        let out = ledger(dir, args);
        assert_eq!(out.status, 0, "{args:?}: {}", out.stderr);
        out.stdout
    };
    (
        get(&["export", "--db", db, "--to", "ndjson", "--all"]),
        get(&["status", "--db", db, "--json", "--all"]),
        get(&["sessions", "--db", db, "--json"]),
    )
}

/// A small pseudo-random generator (the seed is printed, to replay a failure).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// `kill -9` at random points of an import leaves the ledger exactly as before, and it
/// opens cleanly; an uninterrupted import then gives the expected result.
#[test]
fn killed_imports_leave_the_ledger_as_it_was() {
    let tmp = scratch("ledger-kill");
    let db = db(&tmp);
    std::fs::write(tmp.join("base.ofx"), base_file()).expect("write");
    let n = 30_000;
    std::fs::write(tmp.join("big.ofx"), big_file(n)).expect("write");
    let base = ledger(&tmp, &["import", "--db", &db, "base.ofx"]);
    assert_eq!(base.status, 0, "{}", base.stderr);
    let before = snapshot(&tmp, &db);

    // How long an import takes here, on a copy of the ledger.
    let copy = tmp.join("timing.db");
    std::fs::copy(&db, &copy).expect("copy");
    let started = Instant::now();
    let timed = ledger(&tmp, &["import", "--db", &copy.display().to_string(), "big.ofx"]);
    assert_eq!(timed.status, 0, "{}", timed.stderr);
    let full = started.elapsed();
    // What a completed import shows.
    let after = snapshot(&tmp, &copy.display().to_string());
    assert_ne!(after, before);
    let reset = || {
        std::fs::remove_file(&db).ok();
        for suffix in ["-wal", "-shm"] {
            std::fs::remove_file(format!("{db}{suffix}")).ok();
        }
        assert_eq!(ledger(&tmp, &["import", "--db", &db, "base.ofx"]).status, 0);
        assert_eq!(snapshot(&tmp, &db), before);
    };

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    eprintln!("killed imports: seed {seed}, an import takes {full:?}");
    let mut rng = Lcg(seed);
    let mut killed = 0;
    for attempt in 0..40 {
        if killed >= 20 {
            break;
        }
        // Anywhere from the start to the end (the last moments commit).
        let at = full.mul_f64((rng.next() % 1000) as f64 / 1000.0);
        let mut child = Command::new(bin())
            .args(["ledger", "import", "--db", &db, "big.ofx"])
            .current_dir(&tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(at);
        let finished = child.try_wait().expect("wait").is_some();
        if finished {
            // It ended before the kill: the ledger has the session; start again.
            eprintln!("attempt {attempt}: the import ended before {at:?}");
            reset();
            continue;
        }
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let check = ledger(&tmp, &["check", "--db", &db]);
        assert_eq!(
            (check.status, check.stdout.as_str()),
            (0, "ok\n"),
            "after a kill at {at:?} (seed {seed}): {}",
            check.stderr
        );
        // Exactly as before, or (killed between its commit and its exit) exactly as a
        // completed import leaves it: never anything in between.
        let now = snapshot(&tmp, &db);
        if now == after {
            eprintln!("attempt {attempt}: killed at {at:?}, after the commit");
            reset();
            continue;
        }
        assert!(now == before, "the ledger changed after a kill at {at:?} (seed {seed})");
        killed += 1;
    }
    assert!(killed >= 20, "only {killed} imports were killed part-way");

    let done = ledger(&tmp, &["import", "--db", &db, "big.ofx"]);
    assert_eq!(done.status, 0, "{}", done.stderr);
    assert!(
        done.stderr.contains(&format!(
            "{} added, 1 updated, 0 replaced, 0 deleted, 1 pending deleted, 2 unchanged",
            n - 3
        )),
        "{}",
        done.stderr
    );
    let export = ledger(&tmp, &["export", "--db", &db, "--to", "ndjson"]).stdout;
    assert_eq!(export.lines().count(), n);
    assert!(!export.contains("HOLD1"));
    assert_eq!(ledger(&tmp, &["check", "--db", &db]).stdout, "ok\n");
}

/// A PostgreSQL URL for a new schema `NAME_PID` (created; dropped by the guard), or `None`.
fn postgres_schema(name: &str) -> Option<(String, SchemaGuard)> {
    let Some(url) = std::env::var_os("OFXKIT_TEST_POSTGRES") else {
        eprintln!("SKIPPED (no OFXKIT_TEST_POSTGRES): {name}");
        return None;
    };
    let url = url.to_string_lossy().into_owned();
    let schema = format!("cli_{name}_{}", std::process::id());
    psql(&url, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"));
    let sep = if url.contains('?') { '&' } else { '?' };
    Some((format!("{url}{sep}options=-csearch_path%3D{schema}"), SchemaGuard { url, schema }))
}

/// Runs SQL on the server through the ledger's own driver (the CLI's `check` opens it).
fn psql(url: &str, sql: &str) {
    use ofxkit_ledger::Store;
    let mut store = ofxkit_ledger::postgres::PostgresStore::connect(url).expect("PostgreSQL");
    store.batch(sql).expect("SQL");
}

struct SchemaGuard {
    url: String,
    schema: String,
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        psql(&self.url, &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

/// Overlapping downloads of one account, each newer than the one before.
fn download(server: &str, first: usize, last: usize) -> String {
    let big = big_file(last);
    let body_start = big.find("<STMTTRN>").expect("a transaction");
    let end = big.find("</BANKTRANLIST>").expect("the list end");
    let skip: usize = big[body_start..end]
        .match_indices("<STMTTRN>")
        .nth(first)
        .map_or(end - body_start, |(i, _)| i);
    let mut s = big[..body_start].replace("<DTSERVER>20250301", &format!("<DTSERVER>{server}"));
    s.push_str(&big[body_start + skip..end]);
    s.push_str(&big[end..]);
    s
}

/// The export without `first_session` (which session first brought a row depends on who
/// ran first), sorted.
fn comparable(export: &str) -> Vec<String> {
    let mut rows: Vec<String> = export
        .lines()
        .map(|l| l.rsplit_once(",\"first_session\":").map_or(l, |(a, _)| a).to_owned())
        .collect();
    rows.sort();
    rows
}

/// Four importers at once (two of them on the same file) give what importing the files one
/// by one gives; a reader sees a running import's account as `inProgress`.
#[test]
fn concurrent_importers_on_postgres_agree_with_one_by_one() {
    let Some((serial, _g1)) = postgres_schema("serial") else { return };
    let Some((parallel, _g2)) = postgres_schema("parallel") else { return };
    let tmp = scratch("ledger-postgres");
    let files = [
        ("a.ofx", download("20250201", 0, 4000)),
        ("b.ofx", download("20250202", 2000, 7000)),
        ("c.ofx", download("20250203", 5000, 9000)),
    ];
    for (name, text) in &files {
        std::fs::write(tmp.join(name), text).expect("write");
    }
    for name in ["a.ofx", "b.ofx", "c.ofx"] {
        let out = ledger(&tmp, &["import", "--db", &serial, name]);
        assert_eq!(out.status, 0, "{}", out.stderr);
    }
    // The schema exists before the importers race to create the tables.
    assert_eq!(ledger(&tmp, &["check", "--db", &parallel]).stdout, "ok\n");
    let children: Vec<_> = ["c.ofx", "a.ofx", "c.ofx", "b.ofx"]
        .iter()
        .map(|name| {
            Command::new(bin())
                .args(["ledger", "import", "--db", &parallel, name])
                .current_dir(&tmp)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut already = 0;
    for child in children {
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        already += stderr.matches("already imported as session").count();
    }
    assert_eq!(already, 1, "one of the two importers of c.ofx found it done");
    let get = |db: &str, args: &[&str]| {
        let mut a = args.to_vec();
        a.extend(["--db", db]);
        ledger(&tmp, &a).stdout
    };
    let export = |db: &str| comparable(&get(db, &["export", "--to", "ndjson"]));
    let serial_export = export(&serial);
    assert_eq!(serial_export.len(), 9000);
    let parallel_export = export(&parallel);
    let differ: Vec<(&String, &String)> =
        parallel_export.iter().zip(&serial_export).filter(|(a, b)| a != b).take(2).collect();
    assert!(
        parallel_export.len() == serial_export.len() && differ.is_empty(),
        "{} rows against {}; first differences (concurrent, one by one): {differ:#?}",
        parallel_export.len(),
        serial_export.len()
    );
    assert_eq!(get(&parallel, &["status", "--json"]), get(&serial, &["status", "--json"]));
    assert_eq!(get(&parallel, &["check"]), "ok\n");

    // While a session runs, another connection sees the account in progress.
    std::fs::write(tmp.join("d.ofx"), download("20250204", 0, 60_000)).expect("write");
    let mut child = Command::new(bin())
        .args(["ledger", "import", "--db", &parallel, "d.ofx"])
        .current_dir(&tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = false;
    while Instant::now() < deadline && child.try_wait().expect("wait").is_none() {
        if get(&parallel, &["status", "--json"])
            .contains("\"transactionSyncStatus\": \"inProgress\"")
        {
            seen = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.wait();
    assert!(seen, "no reader saw the import in progress");
    let after = get(&parallel, &["status", "--json"]);
    assert!(after.contains("\"transactionSyncStatus\": \"completed\""), "{after}");
    assert!(!after.contains("inProgress"), "{after}");

    // An importer killed while it holds the account: its lock and its work go with it.
    let before = get(&parallel, &["export", "--to", "ndjson"]);
    std::fs::write(
        tmp.join("e.ofx"),
        download("20250205", 0, 60_000).replace("<NAME>SHOP", "<NAME>STORE"),
    )
    .expect("write");
    let mut child = Command::new(bin())
        .args(["ledger", "import", "--db", &parallel, "e.ofx"])
        .current_dir(&tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut running = false;
    while Instant::now() < deadline && child.try_wait().expect("wait").is_none() {
        if get(&parallel, &["status", "--json"]).contains("inProgress") {
            running = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(running, "the import was not seen running");
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let mut released = false;
    for _ in 0..250 {
        if !get(&parallel, &["status", "--json"]).contains("inProgress") {
            released = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(released, "the killed importer's lock stayed");
    assert_eq!(get(&parallel, &["export", "--to", "ndjson"]), before);
    assert_eq!(get(&parallel, &["check"]), "ok\n");
}
