//! The embedded backend: SQLite (compiled in), WAL mode.
//!
//! One writer at a time: a session begins with `BEGIN IMMEDIATE`, so a second importer
//! waits (up to the busy timeout) for the first to commit instead of failing half-way;
//! readers go on reading the last committed state meanwhile. There is therefore no
//! in-progress state for another process to see ([`Store::account_busy`] is always false).
//! A killed importer leaves its transaction in the WAL uncommitted: the next opening rolls
//! it back.

use std::path::Path;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::store::{Backend, Owned, Store, Value};

/// A ledger in an SQLite file (or in memory).
pub struct SqliteStore {
    conn: Connection,
}

fn db(e: rusqlite::Error) -> Error {
    Error::database(e)
}

impl SqliteStore {
    /// Opens (creating it if missing) the database file at `path`, in WAL mode.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(db)?;
        Self::setup(conn, true)
    }

    /// A ledger in memory (gone when dropped): for tests and examples.
    pub fn in_memory() -> Result<SqliteStore> {
        Self::setup(Connection::open_in_memory().map_err(db)?, false)
    }

    fn setup(conn: Connection, file: bool) -> Result<SqliteStore> {
        conn.busy_timeout(std::time::Duration::from_secs(60)).map_err(db)?;
        if file {
            // Larger pages for a new database (no effect on an existing one): fewer pages
            // to balance and write per row.
            conn.execute_batch("PRAGMA page_size=16384").map_err(db)?;
            // WAL: readers never block the writer; a commit is one append. NORMAL sync is
            // safe against a killed process (the WAL is rolled back or forward whole).
            let mode: String =
                conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(db)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::database(format!("could not switch to WAL mode ({mode})")));
            }
            conn.execute_batch("PRAGMA synchronous=NORMAL").map_err(db)?;
        }
        // A page cache of up to 96 MB: a large import writes its pages once instead of
        // spilling them to the WAL and reading them back (the cache grows only as used).
        conn.execute_batch("PRAGMA cache_size=-98304").map_err(db)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(SqliteStore { conn })
    }

    /// `PRAGMA integrity_check`: `ok`, or what is wrong.
    pub fn integrity_check(&self) -> Result<String> {
        self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(db)
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        })
    }
}

fn owned(v: ValueRef<'_>) -> Owned {
    match v {
        ValueRef::Null => Owned::Null,
        ValueRef::Integer(n) => Owned::Int(n),
        ValueRef::Real(f) => Owned::Text(f.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            Owned::Text(String::from_utf8_lossy(t).into_owned())
        }
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql).map_err(db)
    }

    fn begin(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(db)
    }

    fn commit(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT").map_err(db)
    }

    fn rollback(&mut self) -> Result<()> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.conn.execute_batch("ROLLBACK").map_err(db)
    }

    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64> {
        let mut st = self.conn.prepare_cached(sql).map_err(db)?;
        let n = st.execute(rusqlite::params_from_iter(params.iter())).map_err(db)?;
        Ok(n as u64)
    }

    fn query(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        each: &mut dyn FnMut(Vec<Owned>) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.conn.prepare_cached(sql).map_err(db)?;
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(params.iter())).map_err(db)?;
        while let Some(row) = rows.next().map_err(db)? {
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                out.push(owned(row.get_ref(i).map_err(db)?));
            }
            each(out)?;
        }
        Ok(())
    }

    fn lock_account(&mut self, _id: i64) -> Result<()> {
        Ok(())
    }

    fn account_busy(&mut self, _id: i64) -> Result<bool> {
        Ok(false)
    }
}
