//! The ledger's tables, and the migrations that bring a database to the current version.
//!
//! One logical schema for both backends: the DDL below is shared, `{id}` standing for each
//! backend's auto-numbered key. The version a database is at lives in `schema_version`;
//! opening a ledger applies the migrations it lacks, in one transaction (a newer database
//! than this code knows is refused, not touched).
//!
//! Uniqueness lives in the database: a transaction is unique per account by FITID, or
//! without one by (content key, occurrence) — partial unique indexes, which SQLite and
//! PostgreSQL both enforce — and a session by the hash of its file. Importers insert with
//! `ON CONFLICT … DO NOTHING`, so two of them at once cannot double a row.

use crate::error::{Error, Result};
use crate::store::{Backend, Store, Value, first};

/// The migrations, in order: migration `i` brings the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: sessions, accounts, transactions, corrections, pinned download windows.
    "CREATE TABLE sessions (
        id {id},
        hash TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        server_date TEXT,
        server_key BIGINT,
        institution TEXT NOT NULL,
        user_id TEXT NOT NULL,
        columns TEXT NOT NULL,
        added BIGINT NOT NULL DEFAULT 0,
        updated BIGINT NOT NULL DEFAULT 0,
        replaced BIGINT NOT NULL DEFAULT 0,
        deleted BIGINT NOT NULL DEFAULT 0,
        deleted_pending BIGINT NOT NULL DEFAULT 0,
        unchanged BIGINT NOT NULL DEFAULT 0,
        rejected BIGINT NOT NULL DEFAULT 0,
        failed_accounts BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE accounts (
        id {id},
        institution {text} NOT NULL,
        kind {text} NOT NULL,
        bank_id {text} NOT NULL,
        branch_id {text} NOT NULL,
        account_id {text} NOT NULL,
        user_id TEXT NOT NULL,
        newest_key BIGINT,
        newest_session BIGINT,
        sync_status TEXT,
        last_sync_date TEXT,
        tx_status TEXT,
        tx_sync_date TEXT,
        error_type TEXT,
        error_code TEXT,
        error_content TEXT,
        error_session BIGINT,
        error_message TEXT,
        consent TEXT NOT NULL DEFAULT 'active',
        consent_previous TEXT,
        UNIQUE (institution, kind, bank_id, branch_id, account_id)
    );
    CREATE TABLE session_accounts (
        session BIGINT NOT NULL,
        account BIGINT NOT NULL,
        outcome TEXT NOT NULL,
        PRIMARY KEY (session, account)
    );
    CREATE TABLE prefixes (
        id {id},
        session BIGINT NOT NULL,
        statement BIGINT NOT NULL,
        cells TEXT NOT NULL,
        UNIQUE (session, statement)
    );
    CREATE TABLE transactions (
        id {id},
        account BIGINT NOT NULL,
        fitid TEXT,
        content_key TEXT,
        occurrence BIGINT,
        booked BIGINT NOT NULL,
        posted TEXT NOT NULL,
        prefix BIGINT NOT NULL,
        position BIGINT NOT NULL,
        line BIGINT NOT NULL,
        cells TEXT NOT NULL,
        first_session BIGINT NOT NULL,
        seen_session BIGINT NOT NULL,
        written_key BIGINT
    );
    CREATE UNIQUE INDEX transactions_fitid ON transactions (account, fitid)
        WHERE fitid IS NOT NULL;
    CREATE UNIQUE INDEX transactions_content ON transactions (account, content_key, occurrence)
        WHERE fitid IS NULL;
    CREATE INDEX transactions_pending ON transactions (account, posted) WHERE booked = 0;
    CREATE TABLE corrected (
        account BIGINT NOT NULL,
        fitid TEXT NOT NULL,
        session BIGINT NOT NULL,
        PRIMARY KEY (account, fitid)
    );
    CREATE TABLE downloads (
        id TEXT NOT NULL,
        account BIGINT NOT NULL,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (id, account)
    )",
    // 2: each download's ledger balance (LEDGERBAL) per account and day, and what the
    // downloads' SECLISTs say about each security (its ticker, its name).
    "CREATE TABLE balances (
        account BIGINT NOT NULL,
        as_of TEXT NOT NULL,
        amount TEXT NOT NULL,
        currency TEXT,
        session BIGINT NOT NULL,
        PRIMARY KEY (account, as_of)
    );
    CREATE TABLE securities (
        unique_id {text} NOT NULL,
        ticker TEXT,
        name TEXT,
        session BIGINT NOT NULL,
        PRIMARY KEY (unique_id)
    )",
    // 3: each correction with the first day it changes (the earliest of the corrected
    // transaction's day, as any file gave it, and the correcting row's), so that the
    // balances of files older than the correcting one from that day on are left out,
    // whatever the order the files are imported in.
    "CREATE TABLE corrections (
        account BIGINT NOT NULL,
        session BIGINT NOT NULL,
        fitid TEXT NOT NULL,
        day TEXT NOT NULL,
        PRIMARY KEY (account, session, fitid)
    )",
];

/// The version this code writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// `sql` for `backend`: `{id}` becomes its auto-numbered primary key, `{text}` a text that
/// sorts byte by byte (SQLite's default; PostgreSQL's "C" collation), so that accounts are
/// listed and exported in the same order on both.
pub(crate) fn for_backend(sql: &str, backend: Backend) -> String {
    let (id, text) = match backend {
        Backend::Sqlite => ("INTEGER PRIMARY KEY", "TEXT"),
        Backend::Postgres => {
            ("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "TEXT COLLATE \"C\"")
        }
    };
    sql.replace("{id}", id).replace("{text}", text)
}

/// Brings the database to [`VERSION`] (creating it when empty); refuses a newer one.
pub(crate) fn migrate(store: &mut dyn Store) -> Result<i64> {
    store.batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
    store.begin()?;
    let result = migrate_in_transaction(store);
    match result {
        Ok(v) => {
            store.commit()?;
            Ok(v)
        }
        Err(e) => {
            let _ = store.rollback();
            Err(e)
        }
    }
}

fn migrate_in_transaction(store: &mut dyn Store) -> Result<i64> {
    if store.backend() == Backend::Postgres {
        // Two processes opening a new database at once: one migrates, the other waits.
        store.execute("SELECT pg_advisory_xact_lock(?)", &[Value::Int(MIGRATION_LOCK)])?;
    }
    let current = first(store, "SELECT MAX(version) FROM schema_version", &[])?
        .and_then(|r| r.first().and_then(|c| c.int()))
        .unwrap_or(0);
    if current > VERSION {
        return Err(Error::schema(format!(
            "the database is at version {current}; this ofxkit knows versions up to {VERSION}"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        store.batch(&for_backend(sql, store.backend()))?;
        store.execute(
            "INSERT INTO schema_version (version) VALUES (?)",
            &[Value::Int(i as i64 + 1)],
        )?;
    }
    Ok(VERSION)
}

/// The advisory lock key held while migrating (PostgreSQL).
const MIGRATION_LOCK: i64 = 0x6f66_786b_6974_0001;
