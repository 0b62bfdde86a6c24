//! # ofxkit-ledger
//!
//! A ledger that merges repeated OFX downloads without losing or doubling a transaction,
//! and knows how fresh each account is.
//!
//! Each file imported is one session, applied in one database transaction (a killed import
//! leaves the ledger as it was). Transactions are deduplicated per account by FITID, or
//! without one by a content key that counts repeats; corrections (`CORRECTACTION`) are
//! applied; pending entries that a later file covering their dates no longer carries are
//! deleted; files are meant to be applied in the order of their server date (see
//! [`server_date`]), and a file older than what the ledger holds for an account adds its
//! booked transactions and moves nothing back. Each account's status reads like an
//! account-information service's (`syncStatus`, `lastSyncDate`, `transactionSyncStatus`, …).
//!
//! Storage: SQLite by default (compiled in, WAL mode), PostgreSQL for several processes or
//! machines; both behind one small [`Store`] trait, with the same schema ([`schema`]) and
//! the uniqueness of transactions and sessions in the database's own constraints.
//!
//! ```
//! use ofxkit_ledger::{ImportOptions, Imported, Ledger};
//! let file = |server: &str, fitids: &[&str]| {
//!     let mut s = format!("<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>\
//!         <DTSERVER>{server}<LANGUAGE>ENG<FI><ORG>BANK<FID>1</FI></SONRS></SIGNONMSGSRSV1>\
//!         <BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS>\
//!         <CURDEF>USD<BANKACCTFROM><BANKID>9<ACCTID>42<ACCTTYPE>CHECKING</BANKACCTFROM>\
//!         <BANKTRANLIST><DTSTART>20240101<DTEND>{server}");
//!     for f in fitids {
//!         s += &format!("<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>2024010{f}<TRNAMT>-1.00<FITID>{f}\
//!             <NAME>SHOP</STMTTRN>");
//!     }
//!     s + "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
//! };
//! let mut ledger = Ledger::in_memory()?;
//! let options = ImportOptions::default();
//! ledger.import("jan-1.ofx", file("20240103", &["1", "2"]).as_bytes(), &options)?;
//! // The second download overlaps the first: only transaction 3 is new.
//! let Imported::Session(second) =
//!     ledger.import("jan-2.ofx", file("20240105", &["2", "3"]).as_bytes(), &options)?
//! else { unreachable!("a new file") };
//! assert_eq!((second.counts.added, second.counts.unchanged), (1, 1));
//! let status = ledger.status(false)?;
//! assert_eq!(status[0].sync_status.as_deref(), Some("active"));
//! assert_eq!(status[0].last_sync_date.as_deref(), Some("2024-01-05"));
//! assert_eq!(status[0].last_transaction_date.as_deref(), Some("2024-01-03"));
//! # Ok::<(), ofxkit_ledger::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod balances;
mod consent;
mod error;
mod export;
mod import;
pub mod postgres;
mod row;
pub mod schema;
mod sessions;
mod signon;
pub mod sqlite;
mod status;
pub mod store;
mod window;

use std::io::Write;
use std::path::Path;

pub use balances::{KeptBalance, KeptSecurity};
pub use consent::ConsentAction;
pub use error::{Error, ErrorKind, Result};
pub use export::{ExportFilter, Format, VALUE_COLUMNS};
pub use import::{
    AccountKey, AccountOutcome, Counts, Finding, ImportOptions, Imported, Rejected, SessionReport,
    file_hash,
};
pub use sessions::SessionSummary;
pub use signon::{Refusal, ServerDate, Signon, head_signon, server_date};
pub use status::{AccountStatus, AspspResponse, SyncError};
pub use store::{Backend, Store};
pub use window::{OVERLAP_DAYS, WITHOUT_SCA_DAYS, Window, WindowRequest};

/// The order to import files in: by server date, files without one first, ties in the
/// order given. `dates[i]` is file `i`'s ([`server_date`]); returns the indices in order.
///
/// ```
/// let day = |key| Some(ofxkit_ledger::ServerDate { text: String::new(), key });
/// assert_eq!(ofxkit_ledger::import_order(&[day(5), None, day(3), day(3)]), [1, 2, 3, 0]);
/// ```
pub fn import_order(dates: &[Option<ServerDate>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..dates.len()).collect();
    order.sort_by_key(|&i| dates.get(i).and_then(|d| d.as_ref().map(|d| d.key)));
    order
}

/// How many times a session that met a concurrent importer (a deadlock, or the same file
/// committed first) is tried again.
const RETRIES: usize = 8;

/// A ledger in a database.
pub struct Ledger {
    store: Box<dyn Store>,
}

impl Ledger {
    /// Opens `db`: a `postgres://` or `postgresql://` URL, or the path of an SQLite file
    /// (created when missing). The schema is created or migrated.
    pub fn open(db: &str) -> Result<Ledger> {
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            Ledger::open_postgres(db)
        } else {
            Ledger::open_sqlite(Path::new(db))
        }
    }

    /// Opens (or creates) an SQLite ledger.
    pub fn open_sqlite(path: &Path) -> Result<Ledger> {
        Ledger::with_store(Box::new(sqlite::SqliteStore::open(path)?))
    }

    /// A ledger in memory (SQLite), for tests and examples.
    pub fn in_memory() -> Result<Ledger> {
        Ledger::with_store(Box::new(sqlite::SqliteStore::in_memory()?))
    }

    /// Opens a PostgreSQL ledger.
    pub fn open_postgres(url: &str) -> Result<Ledger> {
        Ledger::with_store(Box::new(postgres::PostgresStore::connect(url)?))
    }

    /// A ledger in `store`, migrated to the current schema.
    pub fn with_store(mut store: Box<dyn Store>) -> Result<Ledger> {
        schema::migrate(store.as_mut())?;
        Ok(Ledger { store })
    }

    /// The database behind the ledger.
    pub fn store(&mut self) -> &mut dyn Store {
        self.store.as_mut()
    }

    /// Imports one file (its bytes; `source` is the path to record) as one session, in one
    /// database transaction. The same bytes imported again change nothing
    /// ([`Imported::Already`]). A file that cannot be read as OFX changes nothing either
    /// ([`ErrorKind::Parse`]).
    pub fn import(
        &mut self,
        source: &str,
        bytes: &[u8],
        options: &ImportOptions,
    ) -> Result<Imported> {
        let mut tries = 0;
        loop {
            match import::import(self.store.as_mut(), source, bytes, options) {
                Err(e) if e.is_retryable() && tries < RETRIES => tries += 1,
                other => return other,
            }
        }
    }

    /// Every account's status, in key order; the accounts whose consent was revoked only
    /// with `all`.
    pub fn status(&mut self, all: bool) -> Result<Vec<AccountStatus>> {
        status::status(self.store.as_mut(), all)
    }

    /// The date range to ask for next.
    pub fn window(&mut self, request: &WindowRequest) -> Result<Window> {
        window::window(self.store.as_mut(), request)
    }

    /// Writes the transactions `filter` selects; returns how many.
    pub fn export(
        &mut self,
        filter: &ExportFilter,
        format: Format,
        out: &mut dyn Write,
    ) -> Result<u64> {
        export::export(self.store.as_mut(), filter, format, out)
    }

    /// The ledger balances (`LEDGERBAL`) kept for the accounts `filter` selects, dated within
    /// its days: one per account and day, from the newest file that gave one.
    pub fn balances(&mut self, filter: &ExportFilter) -> Result<Vec<KeptBalance>> {
        balances::balances(self.store.as_mut(), filter)
    }

    /// The securities the downloads' `SECLIST`s named, with their tickers and names.
    pub fn securities(&mut self) -> Result<Vec<KeptSecurity>> {
        balances::securities(self.store.as_mut())
    }

    /// Every account with its institution's FI `ORG` and `FID`, so that an export can key
    /// transactions as `convert` does (the rows it writes do not carry the institution).
    pub fn institutions(&mut self) -> Result<Vec<AccountInstitution>> {
        let sql = "SELECT institution, kind, bank_id, branch_id, account_id FROM accounts";
        let rows = store::rows(self.store.as_mut(), sql, &[])?;
        let text = |r: &[store::Owned], i: usize| {
            r.get(i).and_then(store::Owned::text).unwrap_or_default().to_owned()
        };
        Ok(rows
            .iter()
            .map(|r| {
                let (org, fid) = status::split_institution(&text(r, 0));
                AccountInstitution {
                    org,
                    fid,
                    kind: text(r, 1),
                    bank_id: text(r, 2),
                    branch_id: text(r, 3),
                    account_id: text(r, 4),
                }
            })
            .collect())
    }

    /// The sessions, oldest first.
    pub fn sessions(&mut self) -> Result<Vec<SessionSummary>> {
        sessions::sessions(self.store.as_mut())
    }

    /// Revokes or expires the consent of the accounts of institution `fi` (ORG or FID),
    /// and of `user` when given; returns how many accounts.
    pub fn consent(&mut self, action: ConsentAction, fi: &str, user: Option<&str>) -> Result<u64> {
        consent::consent(self.store.as_mut(), action, fi, user)
    }

    /// Checks the database: SQLite's `integrity_check`, and that the ledger's own rules hold
    /// (no transaction twice, every row's statement and session present). Returns what is
    /// wrong (empty when all is well).
    pub fn check(&mut self) -> Result<Vec<String>> {
        let store = self.store.as_mut();
        let mut problems = Vec::new();
        if store.backend() == Backend::Sqlite {
            for r in store::rows(store, "PRAGMA integrity_check", &[])? {
                if let Some(t) = r.first().and_then(store::Owned::text)
                    && t != "ok"
                {
                    problems.push(format!("integrity_check: {t}"));
                }
            }
        }
        let checks = [
            (
                "SELECT COUNT(*) FROM (SELECT account, fitid FROM transactions \
                 WHERE fitid IS NOT NULL GROUP BY account, fitid HAVING COUNT(*) > 1) d",
                "transactions held twice by FITID",
            ),
            (
                "SELECT COUNT(*) FROM (SELECT account, content_key, occurrence FROM transactions \
                 WHERE fitid IS NULL GROUP BY account, content_key, occurrence \
                 HAVING COUNT(*) > 1) d",
                "transactions held twice by content",
            ),
            (
                "SELECT COUNT(*) FROM transactions t WHERE NOT EXISTS \
                 (SELECT 1 FROM prefixes p WHERE p.id = t.prefix)",
                "transactions whose statement is missing",
            ),
            (
                "SELECT COUNT(*) FROM transactions t WHERE NOT EXISTS \
                 (SELECT 1 FROM sessions s WHERE s.id = t.first_session)",
                "transactions whose first session is missing",
            ),
        ];
        for (sql, what) in checks {
            let n = store::first(store, sql, &[])?
                .and_then(|r| r.first().and_then(store::Owned::int))
                .unwrap_or(0);
            if n > 0 {
                problems.push(format!("{n} {what}"));
            }
        }
        Ok(problems)
    }
}

/// An account and its institution ([`Ledger::institutions`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInstitution {
    /// FI `ORG` (empty when the files named none).
    pub org: String,
    /// FI `FID` (empty when the files named none).
    pub fid: String,
    /// `bank`, `credit_card`, `investment` or `loan`.
    pub kind: String,
    /// `BANKID`.
    pub bank_id: String,
    /// `BRANCHID`, or `BROKERID` for investment accounts.
    pub branch_id: String,
    /// `ACCTID`.
    pub account_id: String,
}
