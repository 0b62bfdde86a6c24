//! `ofxkit ledger …`: the incremental refresh ledger (crate `ofxkit-ledger`).
//!
//! `--db` names the ledger: a path is an SQLite file (created when missing), a
//! `postgres://` URL a PostgreSQL database.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use ofxkit::syntax::escape_controls;
use ofxkit_ledger::{
    ConsentAction, ErrorKind, ExportFilter, Format, ImportOptions, Imported, Ledger, WindowRequest,
};

use crate::destination::Output;
use crate::input::{self, Input};
use crate::output::{Failure, Status};
use crate::report;
use crate::walk::{self, Found};

/// Arguments of `ofxkit ledger`.
#[derive(Debug, Args)]
pub struct LedgerArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: LedgerCommand,
}

/// The `ledger` subcommands.
#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Import downloads, each file one session (one database transaction), in the order of
    /// their server dates (DTSERVER) whatever the order given.
    ///
    /// Transactions are deduplicated per account by FITID (without one, by date, amount,
    /// name, memo and check number, counting repeats); corrections are applied; pending
    /// entries a later file no longer carries in the range it covers are deleted. Rows with
    /// problems are kept out and reported with their line. A file imported before changes
    /// nothing. Nothing is imported when an input cannot be read.
    ///
    /// Exit status: 0 every file imported cleanly; 1 a file had errors (not OFX, rows kept
    /// out) or an account failed; 2 usage or I/O trouble.
    Import(ImportArgs),
    /// Each account's state: syncStatus, lastSyncDate, transactionSyncStatus,
    /// transactionSyncDate, lastTransactionDate, syncError, and the consent's status.
    Status(StatusArgs),
    /// The date range to ask for next for an account, and why.
    Window(WindowArgs),
    /// The deduplicated transactions: the columns of `convert` plus first_session.
    Export(ExportArgs),
    /// The sessions, with what each changed.
    Sessions(SessionsArgs),
    /// Mark the accounts reached through an institution (and user) as revoked or expired.
    Consent(ConsentArgs),
    /// Check the database (SQLite integrity_check, no transaction held twice).
    ///
    /// Exit status: 0 all is well; 1 something is wrong (printed); 2 it cannot be opened.
    Check(DbArg),
}

/// The ledger.
#[derive(Debug, Args)]
pub struct DbArg {
    /// The ledger: an SQLite file (created when missing) or a postgres:// URL.
    #[arg(long, value_name = "DB")]
    pub db: String,
}

/// Arguments of `ledger import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    db: DbArg,
    /// Files and directories (searched for .ofx, .qfx, .qbo and .ofc files); `-` reads
    /// standard input.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The user the accounts are reached as (default: the file's INTU.USERID, else none).
    #[arg(long)]
    user: Option<String>,
}

/// Arguments of `ledger status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    db: DbArg,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Include the accounts whose consent was revoked.
    #[arg(long)]
    all: bool,
    /// Write here instead of standard output (replaced only once complete).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Arguments of `ledger window`.
#[derive(Debug, Args)]
pub struct WindowArgs {
    #[command(flatten)]
    db: DbArg,
    /// The account (its ACCTID).
    #[arg(long)]
    account: String,
    /// How far back the institution lets a download go, in days.
    #[arg(long)]
    days_back: Option<u32>,
    /// The user has just authenticated strongly: with no transaction on file, ask for the
    /// whole --days-back range (otherwise at most 90 days).
    #[arg(long)]
    sca: bool,
    /// Today (YYYY-MM-DD or YYYYMMDD; default: the machine's UTC date).
    #[arg(long, value_parser = day_arg)]
    today: Option<chrono::NaiveDate>,
    /// A paged download: the first call records the range under this id, later calls
    /// return it unchanged.
    #[arg(long, value_name = "ID")]
    download: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `ledger export --to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTo {
    /// CSV with a header line (text cells guarded against spreadsheet formulas).
    Csv,
    /// One JSON object per line.
    Ndjson,
    /// A JSON array.
    Json,
    /// A beancount file, with a balance assertion from each ledger balance kept.
    Beancount,
    /// A ledger-cli / hledger journal.
    Ledger,
    /// QIF.
    Qif,
}

/// Arguments of `ledger export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbArg,
    /// Only this account (its ACCTID).
    #[arg(long)]
    account: Option<String>,
    /// Posted on or after this day.
    #[arg(long, value_parser = day_arg)]
    from: Option<chrono::NaiveDate>,
    /// Posted on or before this day.
    #[arg(long, value_parser = day_arg)]
    until: Option<chrono::NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv", ignore_case = true)]
    to: ExportTo,
    /// beancount, ledger, qif: account names and payee rules (a TOML file, as for
    /// `convert --accounts`).
    #[arg(long, value_name = "MAP.toml")]
    accounts: Option<PathBuf>,
    /// beancount, ledger: leave out the transactions whose ofxid this journal holds.
    #[arg(long, value_name = "JOURNAL")]
    existing: Option<PathBuf>,
    /// qif: how dates are written (default mdy).
    #[arg(long, value_enum, ignore_case = true)]
    qif_date: Option<crate::cli::QifDateArg>,
    /// Include the accounts whose consent was revoked.
    #[arg(long)]
    all: bool,
    /// Write here instead of standard output (replaced only once complete).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Arguments of `ledger sessions`.
#[derive(Debug, Args)]
pub struct SessionsArgs {
    #[command(flatten)]
    db: DbArg,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Write here instead of standard output (replaced only once complete).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// `ledger consent` actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConsentArg {
    /// The user withdrew the consent: the accounts become inactive (hidden from status and
    /// export unless --all).
    Revoke,
    /// The consent ran out: the accounts show status invalid, invalidationReason Expired.
    Expire,
}

/// Arguments of `ledger consent`.
#[derive(Debug, Args)]
pub struct ConsentArgs {
    /// What happened to the consent.
    #[arg(value_enum)]
    action: ConsentArg,
    #[command(flatten)]
    db: DbArg,
    /// The institution: its FI ORG or FID.
    #[arg(long)]
    fi: String,
    /// Only the accounts of this user.
    #[arg(long)]
    user: Option<String>,
}

/// The machine's date in UTC (the only read of the clock; `--today` replaces it).
fn utc_today() -> chrono::NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .map_or(chrono::NaiveDate::MIN, |d| d.date_naive())
}

fn day_arg(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%Y%m%d"))
        .map_err(|_| format!("\"{s}\" is not a date (YYYY-MM-DD or YYYYMMDD)"))
}

/// A ledger error as the CLI reports it (exit status 2).
fn failure(e: ofxkit_ledger::Error) -> Failure {
    match e.kind() {
        ErrorKind::Usage(m) => Failure::Usage(escape_controls(m).into_owned()),
        _ => Failure::Io(io::Error::other(e.to_string())),
    }
}

fn open(db: &DbArg) -> Result<Ledger, Failure> {
    Ledger::open(&db.db).map_err(|e| {
        let shown = if db.db.contains("://") { "the database".to_owned() } else { db.db.clone() };
        Failure::Io(io::Error::other(format!("{}: {e}", escape_controls(&shown))))
    })
}

/// Runs `ofxkit ledger …`.
pub fn run(args: &LedgerArgs) -> Result<Status, Failure> {
    match &args.command {
        LedgerCommand::Import(a) => import(a),
        LedgerCommand::Status(a) => status(a),
        LedgerCommand::Window(a) => window(a),
        LedgerCommand::Export(a) => export(a),
        LedgerCommand::Sessions(a) => sessions(a),
        LedgerCommand::Consent(a) => consent(a),
        LedgerCommand::Check(a) => check(a),
    }
}

/// A file to import: where to read it again, and what ordered it.
struct Queued {
    path: PathBuf,
    /// The bytes of an input that cannot be read twice (standard input, a FIFO).
    kept: Option<Input>,
    date: Option<ofxkit_ledger::ServerDate>,
}

fn import(args: &ImportArgs) -> Result<Status, Failure> {
    input::stdin_once(&args.files)?;
    let limit = ofxkit::syntax::Options::default().limits.max_input_size;
    // Every input is read (and its server date taken) before anything is imported.
    let mut queue = Vec::new();
    let mut unreadable = 0;
    let mut skipped = Vec::new();
    for found in walk::expand(&args.files, &walk::Extensions::with(&[])) {
        match found {
            Found::File(path) => match input::read(&path, limit) {
                Ok(i) => {
                    let date = ofxkit_ledger::server_date(i.bytes());
                    let kept = (!i.regular).then_some(i);
                    queue.push(Queued { path, kept, date });
                }
                Err(e) => {
                    e.report();
                    unreadable += 1;
                }
            },
            Found::Error(path, e) => {
                crate::input::ReadError { path, error: e }.report();
                unreadable += 1;
            }
            Found::Skipped(path) => skipped.push(path),
            // Other files in a directory are not downloads.
            Found::OtherExtension(_) => {}
        }
    }
    walk::report_skipped(&skipped);
    if unreadable > 0 {
        return Err(Failure::Io(io::Error::other(format!(
            "{unreadable} input(s) could not be read; nothing imported"
        ))));
    }
    if queue.is_empty() {
        return Err(Failure::Usage("no OFX, QFX, QBO or OFC file to import".to_owned()));
    }
    // By server date; ties (and files without one, first) in the order given.
    let dates: Vec<_> = queue.iter().map(|q| q.date.clone()).collect();
    let mut slots: Vec<Option<Queued>> = queue.into_iter().map(Some).collect();
    let queue: Vec<Queued> = ofxkit_ledger::import_order(&dates)
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect();
    let mut ledger = open(&args.db)?;
    let options = ImportOptions { user: args.user.clone() };
    let mut status = Status::Ok;
    for q in queue {
        let reread;
        let input = match &q.kept {
            Some(i) => i,
            None => {
                reread = input::read(&q.path, limit)?;
                &reread
            }
        };
        let name = input.shown_name().into_owned();
        let result = ledger.import(&input.name, input.bytes(), &options);
        let mut err = io::stderr().lock();
        match result {
            Ok(Imported::Already { session }) => {
                let _ =
                    writeln!(err, "{name}: already imported as session {session}; nothing changed");
            }
            Ok(Imported::Session(r)) => {
                if let Some(refused) = &r.signon_refused {
                    let _ = writeln!(
                        err,
                        "{name}: error: the sign-on was refused (status {}: {})",
                        escape_controls(&refused.code),
                        escape_controls(&refused.message)
                    );
                }
                for f in &r.findings {
                    let d = &f.diagnostic;
                    let line = report::line(
                        &input.name,
                        f.at,
                        d.severity,
                        d.code,
                        &d.message,
                        d.path.as_deref(),
                    );
                    let _ = writeln!(err, "{line}");
                }
                for rej in &r.rejected {
                    let _ = writeln!(
                        err,
                        "{name}:{}: error: transaction kept out of the ledger (problems: {})",
                        rej.line,
                        escape_controls(&rej.problems.join(", "))
                    );
                }
                for a in &r.accounts {
                    if let Some((kind, message)) = &a.error {
                        let level = if a.outcome == "failed" { "error" } else { "warning" };
                        let _ = writeln!(
                            err,
                            "{name}: {level}: account {}: {kind}: {}",
                            escape_controls(&a.account.to_string()),
                            escape_controls(message)
                        );
                    }
                    if a.outcome == "older" {
                        let _ = writeln!(
                            err,
                            "{name}: note: account {}: the ledger holds a newer session; only \
                             booked transactions added",
                            escape_controls(&a.account.to_string())
                        );
                    }
                }
                let c = r.counts;
                let _ = writeln!(
                    err,
                    "{name}: session {} ({}): {} added, {} updated, {} replaced, {} deleted, {} \
                     pending deleted, {} unchanged, {} kept out",
                    r.session,
                    r.server_date
                        .as_deref()
                        .map_or("no server date".to_owned(), |d| escape_controls(d).into_owned()),
                    c.added,
                    c.updated,
                    c.replaced,
                    c.deleted,
                    c.deleted_pending,
                    c.unchanged,
                    c.rejected
                );
                if r.has_errors() {
                    status = Status::FileErrors;
                }
            }
            Err(e) => match e.kind() {
                ErrorKind::Parse(pe) => {
                    report::fatal(&input.name, input.bytes(), pe);
                    let _ = writeln!(err, "{name}: nothing imported");
                    status = Status::FileErrors;
                }
                _ => return Err(failure(e)),
            },
        }
    }
    Ok(status)
}

fn status(args: &StatusArgs) -> Result<Status, Failure> {
    let mut ledger = open(&args.db)?;
    let accounts = ledger.status(args.all).map_err(failure)?;
    let mut out = Output::open(args.output.as_deref())?;
    if args.json {
        serde_json::to_writer_pretty(&mut out, &accounts).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    } else {
        for a in &accounts {
            let k = &a.account;
            let mut line = format!(
                "{} {} {}: {}",
                escape_controls(&k.org),
                escape_controls(&k.fid),
                escape_controls(&k.to_string()),
                a.status
            );
            if let Some(r) = a.invalidation_reason {
                line.push_str(&format!(
                    " ({r}, previously {})",
                    a.previous_status.as_deref().unwrap_or("?")
                ));
            }
            let or_none = |v: &Option<String>| {
                v.as_deref().map_or("-".to_owned(), |s| escape_controls(s).into_owned())
            };
            line.push_str(&format!(
                "; sync {} (last {}); transactions {} (last sync {}, last posted {})",
                or_none(&a.sync_status),
                or_none(&a.last_sync_date),
                or_none(&a.transaction_sync_status),
                or_none(&a.transaction_sync_date),
                or_none(&a.last_transaction_date),
            ));
            if let Some(e) = &a.sync_error {
                line.push_str(&format!(
                    "\n  error: {} (session {}): {}",
                    e.error_type,
                    e.execution_id.map_or("-".to_owned(), |s| s.to_string()),
                    escape_controls(&e.message)
                ));
            }
            writeln!(out, "{line}")?;
        }
    }
    out.commit()?;
    Ok(Status::Ok)
}

fn window(args: &WindowArgs) -> Result<Status, Failure> {
    let mut ledger = open(&args.db)?;
    let today = args.today.unwrap_or_else(utc_today);
    let w = ledger
        .window(&WindowRequest {
            account: args.account.clone(),
            days_back: args.days_back,
            sca: args.sca,
            today,
            download: args.download.clone(),
        })
        .map_err(failure)?;
    let text = if args.json {
        let mut s = serde_json::to_string_pretty(&w).map_err(io::Error::from)?;
        s.push('\n');
        s
    } else {
        format!("{} {} ({})\n", w.from, w.until, escape_controls(&w.reason))
    };
    print(&text)?;
    Ok(Status::Ok)
}

fn export(args: &ExportArgs) -> Result<Status, Failure> {
    let mut ledger = open(&args.db)?;
    let filter = ExportFilter {
        account: args.account.clone(),
        from: args.from,
        until: args.until,
        all: args.all,
    };
    let format = match args.to {
        ExportTo::Csv => Format::Csv,
        ExportTo::Ndjson => Format::Ndjson,
        ExportTo::Json => Format::Json,
        ExportTo::Beancount | ExportTo::Ledger | ExportTo::Qif => {
            return export_journal(args, &mut ledger, &filter);
        }
    };
    if args.accounts.is_some() || args.existing.is_some() || args.qif_date.is_some() {
        return Err(Failure::Usage(
            "--accounts, --existing and --qif-date go with --to beancount, ledger or qif".into(),
        ));
    }
    let mut out = Output::open(args.output.as_deref())?;
    ledger.export(&filter, format, &mut out).map_err(failure)?;
    out.commit()?;
    Ok(Status::Ok)
}

/// `ledger export --to beancount|ledger|qif`.
fn export_journal(
    args: &ExportArgs,
    ledger: &mut Ledger,
    filter: &ExportFilter,
) -> Result<Status, Failure> {
    use ofxkit::export::{Existing, FinishOptions};
    if args.existing.is_some() && args.to == ExportTo::Qif {
        return Err(Failure::Usage("--existing goes with --to beancount or ledger".into()));
    }
    if args.qif_date.is_some() && args.to != ExportTo::Qif {
        return Err(Failure::Usage("--qif-date goes with --to qif".into()));
    }
    let read = |p: &std::path::Path, what: &str| -> Result<String, Failure> {
        std::fs::read_to_string(p).map_err(|e| {
            Failure::Usage(format!(
                "{what} {}: {}",
                input::shown_path(p),
                escape_controls(&e.to_string())
            ))
        })
    };
    let map = match &args.accounts {
        Some(p) => ofxkit::export::accounts::AccountMap::from_toml(&read(p, "--accounts")?)
            .map_err(|e| Failure::Usage(format!("--accounts {}: {e}", input::shown_path(p))))?,
        None => Default::default(),
    };
    let existing = match &args.existing {
        Some(p) => Some(Existing::read(&read(p, "--existing")?)),
        None => None,
    };
    if let (Some(o), Some(x)) = (&args.output, &args.existing) {
        crate::destination::refuse_overwriting_inputs(Some(o), [x.as_path()])?;
    }
    let mut rows = Vec::new();
    ledger.export(filter, Format::Ndjson, &mut rows).map_err(failure)?;
    let institutions = ledger.institutions().map_err(failure)?;
    let balances = ledger.balances(filter).map_err(failure)?;
    let securities = ledger.securities().map_err(failure)?;
    let text = String::from_utf8_lossy(&rows);
    let kept = super::ledger_journal::Kept {
        institutions: &institutions,
        balances: &balances,
        securities: &securities,
    };
    let journal = super::ledger_journal::journal_of_rows(&text, &kept)
        .finish(&FinishOptions { existing: existing.as_ref() });
    let mut out = Output::open(args.output.as_deref())?;
    match args.to {
        ExportTo::Beancount => ofxkit::export::beancount::write(&journal, &map, &mut out)?,
        ExportTo::Ledger => ofxkit::export::ledger::write(&journal, &map, &mut out)?,
        _ => {
            use crate::cli::QifDateArg;
            use ofxkit::export::qif::DateOrder;
            let order = match args.qif_date {
                None | Some(QifDateArg::Mdy) => DateOrder::Mdy,
                Some(QifDateArg::Dmy) => DateOrder::Dmy,
                Some(QifDateArg::Ymd) => DateOrder::Ymd,
            };
            ofxkit::export::qif::write(&journal, &map, order, &mut out)?
        }
    }
    out.commit()?;
    super::convert_export::notes(&journal.totals(), args.existing.as_deref());
    Ok(Status::Ok)
}

fn sessions(args: &SessionsArgs) -> Result<Status, Failure> {
    let mut ledger = open(&args.db)?;
    let list = ledger.sessions().map_err(failure)?;
    let mut out = Output::open(args.output.as_deref())?;
    if args.json {
        serde_json::to_writer_pretty(&mut out, &list).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    } else {
        for s in &list {
            let c = s.counts;
            writeln!(
                out,
                "{} {} {} {}: {} added, {} updated, {} replaced, {} deleted, {} pending deleted, \
                 {} unchanged, {} kept out, {} account(s) failed",
                s.id,
                s.server_date
                    .as_deref()
                    .map_or("-".to_owned(), |d| escape_controls(d).into_owned()),
                escape_controls(&s.source),
                s.hash.get(..12).unwrap_or(&s.hash),
                c.added,
                c.updated,
                c.replaced,
                c.deleted,
                c.deleted_pending,
                c.unchanged,
                c.rejected,
                s.failed_accounts
            )?;
        }
    }
    out.commit()?;
    Ok(Status::Ok)
}

fn consent(args: &ConsentArgs) -> Result<Status, Failure> {
    let mut ledger = open(&args.db)?;
    let action = match args.action {
        ConsentArg::Revoke => ConsentAction::Revoke,
        ConsentArg::Expire => ConsentAction::Expire,
    };
    let n = ledger.consent(action, &args.fi, args.user.as_deref()).map_err(failure)?;
    if n == 0 {
        return Err(Failure::Usage(format!(
            "no account of institution {} in the ledger",
            ofxkit::syntax::shown(&args.fi)
        )));
    }
    eprintln!("ofxkit: {n} account(s) marked");
    Ok(Status::Ok)
}

fn check(args: &DbArg) -> Result<Status, Failure> {
    let mut ledger = open(args)?;
    let problems = ledger.check().map_err(failure)?;
    if problems.is_empty() {
        print("ok\n")?;
        return Ok(Status::Ok);
    }
    let mut text = String::new();
    for p in problems {
        text.push_str(&p);
        text.push('\n');
    }
    print(&text)?;
    Ok(Status::FileErrors)
}

/// Writes `text` to standard output.
fn print(text: &str) -> Result<(), Failure> {
    use std::io::Write as _;
    let mut out = crate::destination::Output::open(None)?;
    out.write_all(text.as_bytes())?;
    out.commit()
}
