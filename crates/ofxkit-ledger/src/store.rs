//! The small storage trait both backends implement: a session transaction, statements with
//! parameters, queries, and the per-account lock concurrent importers take.
//!
//! SQL is written once, with `?` placeholders, in the dialect SQLite and PostgreSQL share
//! (`INSERT … ON CONFLICT … DO NOTHING/UPDATE` on partial unique indexes, `RETURNING`);
//! the PostgreSQL backend numbers the placeholders. Integers are 64-bit, texts UTF-8, and
//! booleans integers (0/1) in both.

use crate::error::Result;

/// A parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// SQL NULL.
    Null,
    /// A 64-bit integer.
    Int(i64),
    /// Text.
    Text(&'a str),
}

impl<'a> Value<'a> {
    /// `Text`, or `Null` for `None`.
    pub fn opt(text: Option<&'a str>) -> Value<'a> {
        text.map_or(Value::Null, Value::Text)
    }

    /// `Int`, or `Null` for `None`.
    pub fn opt_int(n: Option<i64>) -> Value<'a> {
        n.map_or(Value::Null, Value::Int)
    }
}

/// A value read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owned {
    /// SQL NULL.
    Null,
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
}

impl Owned {
    /// The integer, if it is one.
    pub fn int(&self) -> Option<i64> {
        match self {
            Owned::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The text, if it is one.
    pub fn text(&self) -> Option<&str> {
        match self {
            Owned::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The text, moved out (`None` for anything else).
    pub fn into_text(self) -> Option<String> {
        match self {
            Owned::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// Which database is behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (one writer at a time; no concurrent in-progress state to show).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A database the ledger can live in.
///
/// Everything the ledger does goes through these few calls; the logic (deduplication,
/// corrections, pending refresh, status) lives above them, the same for every backend.
pub trait Store {
    /// Which backend this is.
    fn backend(&self) -> Backend;
    /// Runs statements without parameters (DDL), separated by `;`.
    fn batch(&mut self, sql: &str) -> Result<()>;
    /// Starts a transaction that writes (SQLite: `BEGIN IMMEDIATE`, so a writer waits for
    /// another instead of failing half-way).
    fn begin(&mut self) -> Result<()>;
    /// Commits the transaction.
    fn commit(&mut self) -> Result<()>;
    /// Rolls the transaction back (nothing it did remains).
    fn rollback(&mut self) -> Result<()>;
    /// Runs one statement; returns the rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64>;
    /// Runs a query, handing each row to `each`.
    fn query(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        each: &mut dyn FnMut(Vec<Owned>) -> Result<()>,
    ) -> Result<()>;
    /// Holds the lock of account `id` until the transaction ends (PostgreSQL: an advisory
    /// lock, which a killed importer's connection takes with it). SQLite: nothing (its one
    /// writer already holds the whole database).
    fn lock_account(&mut self, id: i64) -> Result<()>;
    /// True when another connection holds account `id`'s lock: a session is running for
    /// it. Always false on SQLite.
    fn account_busy(&mut self, id: i64) -> Result<bool>;
}

/// Queries collected: every row.
pub(crate) fn rows(
    store: &mut dyn Store,
    sql: &str,
    params: &[Value<'_>],
) -> Result<Vec<Vec<Owned>>> {
    let mut out = Vec::new();
    store.query(sql, params, &mut |row| {
        out.push(row);
        Ok(())
    })?;
    Ok(out)
}

/// The first row of a query, if any.
pub(crate) fn first(
    store: &mut dyn Store,
    sql: &str,
    params: &[Value<'_>],
) -> Result<Option<Vec<Owned>>> {
    let mut out = None;
    store.query(sql, params, &mut |row| {
        if out.is_none() {
            out = Some(row);
        }
        Ok(())
    })?;
    Ok(out)
}

/// Takes the cell at `i` of a row read back (`Null` past the end).
pub(crate) fn take(row: &mut [Owned], i: usize) -> Owned {
    row.get_mut(i).map(|c| std::mem::replace(c, Owned::Null)).unwrap_or(Owned::Null)
}
