//! The server backend: PostgreSQL through the synchronous client of rust-postgres (no TLS:
//! meant for a server on the same machine or a trusted network).
//!
//! Each importer runs its session in one transaction (READ COMMITTED) and takes a
//! transaction-level advisory lock per account it touches (`pg_advisory_xact_lock`): two
//! importers of the same account take turns, and a reader sees a session running for an
//! account as `inProgress` (its `pg_try_advisory_lock` fails). A killed importer's
//! connection ends, and its transaction and locks go with it. A deadlock or a serialization
//! failure between importers is reported as retryable ([`Error::is_retryable`]).

use std::collections::HashMap;

use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};

use crate::error::{Error, Result};
use crate::store::{Backend, Owned, Store, Value};

/// A ledger in a PostgreSQL database.
pub struct PostgresStore {
    client: Client,
    statements: HashMap<String, Statement>,
    in_transaction: bool,
}

/// Advisory lock keys of accounts: this base plus the account's id.
const ACCOUNT_LOCK: i64 = 0x6f66_786b_0000_0000;

fn db(e: postgres::Error) -> Error {
    if let Some(state) = e.code() {
        let code = state.code();
        // 40P01 deadlock, 40001 serialization failure, 23505 unique violation (another
        // importer committed the same session first).
        if code == "40P01" || code == "40001" || code == "23505" {
            return Error::conflict(e.to_string());
        }
    }
    match e.as_db_error() {
        Some(d) => Error::database(format!("{}: {}", d.code().code(), d.message())),
        None => Error::database(e),
    }
}

/// `?` placeholders numbered `$1`, `$2`, … (the ledger's SQL holds no `?` elsewhere).
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/db`, libpq-style options included, e.g.
    /// `?options=-csearch_path%3Dledger` to use another schema).
    pub fn connect(url: &str) -> Result<PostgresStore> {
        let mut client = Client::connect(url, NoTls).map_err(db)?;
        client.batch_execute("SET client_min_messages = warning").map_err(db)?;
        Ok(PostgresStore { client, statements: HashMap::new(), in_transaction: false })
    }

    fn prepared(&mut self, sql: &str) -> Result<Statement> {
        if let Some(st) = self.statements.get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(&numbered(sql)).map_err(db)?;
        self.statements.insert(sql.to_owned(), st.clone());
        Ok(st)
    }
}

impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) => match *ty {
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => n.to_string().to_sql(ty, out),
                _ => n.to_sql(ty, out),
            },
            Value::Text(t) => t.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        matches!(*ty, Type::INT8 | Type::INT4 | Type::INT2 | Type::TEXT | Type::VARCHAR)
    }

    to_sql_checked!();
}

fn owned(row: &postgres::Row, i: usize) -> Result<Owned> {
    let ty = row.columns().get(i).map(|c| c.type_().clone());
    let v = match ty {
        Some(Type::INT8) => row.try_get::<_, Option<i64>>(i).map(|v| v.map(Owned::Int)),
        Some(Type::INT4) => {
            row.try_get::<_, Option<i32>>(i).map(|v| v.map(|n| Owned::Int(n.into())))
        }
        Some(Type::INT2) => {
            row.try_get::<_, Option<i16>>(i).map(|v| v.map(|n| Owned::Int(n.into())))
        }
        Some(Type::BOOL) => {
            row.try_get::<_, Option<bool>>(i).map(|v| v.map(|b| Owned::Int(i64::from(b))))
        }
        _ => row.try_get::<_, Option<String>>(i).map(|v| v.map(Owned::Text)),
    };
    Ok(v.map_err(db)?.unwrap_or(Owned::Null))
}

impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(db)
    }

    fn begin(&mut self) -> Result<()> {
        self.client.batch_execute("BEGIN").map_err(db)?;
        self.in_transaction = true;
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        self.in_transaction = false;
        self.client.batch_execute("COMMIT").map_err(db)
    }

    fn rollback(&mut self) -> Result<()> {
        if !self.in_transaction {
            return Ok(());
        }
        self.in_transaction = false;
        self.client.batch_execute("ROLLBACK").map_err(db)
    }

    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64> {
        let st = self.prepared(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        self.client.execute(&st, &refs).map_err(db)
    }

    fn query(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        each: &mut dyn FnMut(Vec<Owned>) -> Result<()>,
    ) -> Result<()> {
        let st = self.prepared(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = self.client.query(&st, &refs).map_err(db)?;
        for row in &rows {
            let mut out = Vec::with_capacity(row.len());
            for i in 0..row.len() {
                out.push(owned(row, i)?);
            }
            each(out)?;
        }
        Ok(())
    }

    fn lock_account(&mut self, id: i64) -> Result<()> {
        self.execute("SELECT pg_advisory_xact_lock(?)", &[Value::Int(ACCOUNT_LOCK + id)])?;
        Ok(())
    }

    fn account_busy(&mut self, id: i64) -> Result<bool> {
        let key = ACCOUNT_LOCK + id;
        let mut got = true;
        self.query("SELECT pg_try_advisory_lock(?)", &[Value::Int(key)], &mut |row| {
            got = row.first().and_then(Owned::int).unwrap_or(1) != 0;
            Ok(())
        })?;
        if got {
            self.execute("SELECT pg_advisory_unlock(?)", &[Value::Int(key)])?;
        }
        Ok(!got)
    }
}
