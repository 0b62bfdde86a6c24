//! Sessions: one file applied to the ledger in one database transaction.
//!
//! The file's transaction rows come from ofxkit's streaming converter (the rows `ofxkit
//! convert --to ndjson` writes, `line` and `problems` included), straight into the database
//! as they are read: the file's rows are never all held at once. Then the statements are
//! read (without their transactions) for what they say about each account: status, the
//! dates their lists cover, pending entries.
//!
//! - A row is the same transaction as one held when its account and FITID match; without a
//!   FITID, when its content key (posted date, amount, name, memo, check number) and
//!   occurrence match: the k-th row of a file with one key is occurrence k, so two real
//!   identical purchases on one day stay two.
//! - `CORRECTACTION` `DELETE` removes the transaction `CORRECTFITID` names, `REPLACE` removes
//!   it and takes the row in its place; the FITID removed is remembered, so a file that
//!   still carries it cannot bring it back.
//! - Each bank or card statement's `LEDGERBAL` is kept per account and day (a file at least
//!   as new replacing one of the same day); a correction drops the balances that files
//!   older than its own gave from the first day it changes (the corrected transaction's
//!   day, as any file gave it, or the correcting row's, whichever is earlier), which counted
//!   what it corrects — whether those files came before it or after. A `DELETE` keeps its
//!   target out even when it carries the target's FITID itself.
//! - Pending entries (`STMTTRNP` in `BANKTRANLISTP`, and `STMTTRN`s of type `HOLD`) are held
//!   as not booked. After a session, an account's pending entries dated inside what it
//!   covered (its `BANKTRANLIST` from `DTSTART` to `DTEND`, and everything up to a pending
//!   list's `DTASOF`) that did not come back are deleted. Booked transactions never are.
//! - A transaction held is rewritten (content, source, line) only by a file at least as new
//!   (by `DTSERVER`) as the one its content came from: the newest file that carried it wins,
//!   whatever the order files are imported in (concurrent importers included).
//! - A file older than the newest session that read an account adds that account's booked
//!   transactions and nothing else: it adds no pending entry, deletes none, and moves no
//!   status or date.
//! - Rows with problems are kept out and reported with their line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

use ofxkit::convert::rows::{
    Cell, TRANSACTION_COLUMNS, TRANSACTION_PREFIX_LEN, transaction_prefix,
};
use ofxkit::convert::{AddError, ConvertOptions, Converter, OnError, Target, What};
use ofxkit::model::{Account, AccountKind, Model, PendingTransaction, Statement};
use ofxkit::syntax::{LineCol, Severity};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::row;
use crate::signon::{self, Refusal, Signon};
use crate::store::{Owned, Store, Value, first, rows, take};

/// How to import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The user the accounts are reached as (default: the file's `INTU.USERID`, else empty).
    pub user: Option<String>,
}

/// What a session changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Transactions new to the ledger.
    pub added: u64,
    /// Transactions held whose content a newer file changed.
    pub updated: u64,
    /// Transactions removed by a `CORRECTACTION` `REPLACE` (the replacement is counted in
    /// `added` or `unchanged`).
    pub replaced: u64,
    /// Transactions removed by a `CORRECTACTION` `DELETE`.
    pub deleted: u64,
    /// Pending entries that did not come back in a range the session covered.
    #[serde(rename = "deletedPending")]
    pub deleted_pending: u64,
    /// Rows already held as they are (or, from an older file, left as held).
    pub unchanged: u64,
    /// Rows kept out: they have problems, or their statement names no account.
    pub rejected: u64,
}

/// A row kept out of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// The line where its element starts.
    pub line: u64,
    /// Why: the codes of the errors inside it (`W-NO-ACCOUNT` when its statement names no
    /// account).
    pub problems: Vec<String>,
}

/// An account a session read or failed to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountOutcome {
    /// The account.
    pub account: AccountKey,
    /// `read`, `partiallyFailed`, `failed` or `older` (the file is older than what the
    /// ledger holds for it: only booked transactions were added).
    pub outcome: &'static str,
    /// For `failed`: the error type (`aspspResponse`, `signature`, `missingAccount`,
    /// `internal`) and message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<(String, String)>,
}

/// A finding of the file (an error), with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where it is.
    pub at: LineCol,
    /// What.
    pub diagnostic: ofxkit::Diagnostic,
}

/// What importing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// A new session.
    Session(Box<SessionReport>),
    /// The file (the same bytes) was imported before, as this session: nothing changed.
    Already {
        /// The session that imported it.
        session: i64,
    },
}

/// A session's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionReport {
    /// The session's id.
    pub session: i64,
    /// The server date, as written.
    pub server_date: Option<String>,
    /// What changed.
    pub counts: Counts,
    /// Rows kept out.
    pub rejected: Vec<Rejected>,
    /// Each account touched, and how.
    pub accounts: Vec<AccountOutcome>,
    /// The file's errors (the rows they touch are in `rejected`).
    pub findings: Vec<Finding>,
    /// The sign-on `STATUS` when it refused the session (every account of the institution
    /// and user failed with it).
    pub signon_refused: Option<Refusal>,
}

impl SessionReport {
    /// True when the sign-on was refused, a row was kept out or an account failed.
    pub fn has_errors(&self) -> bool {
        self.signon_refused.is_some()
            || !self.rejected.is_empty()
            || self.accounts.iter().any(|a| a.outcome != "read" && a.outcome != "older")
    }
}

/// An account's identity: the institution (FI ORG and FID), the kind of account, and the
/// bank, branch and account ids as the statement gives them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct AccountKey {
    /// `FI/ORG`.
    pub org: String,
    /// `FI/FID`.
    pub fid: String,
    /// `bank`, `creditcard`, `investment` or `loan`.
    pub kind: String,
    /// `BANKID` (empty when none).
    #[serde(rename = "bankId")]
    pub bank_id: String,
    /// `BRANCHID` or `BROKERID` (empty when none).
    #[serde(rename = "branchId")]
    pub branch_id: String,
    /// `ACCTID`.
    #[serde(rename = "accountId")]
    pub account_id: String,
}

impl AccountKey {
    pub(crate) fn institution(&self) -> String {
        format!("{}{}{}", self.org, signon::SEP, self.fid)
    }

    fn of(signon: &Signon, a: &Account<'_>) -> AccountKey {
        AccountKey {
            org: signon.org.clone(),
            fid: signon.fid.clone(),
            kind: kind_name(a.kind).to_owned(),
            bank_id: a.bank_id.unwrap_or_default().to_owned(),
            branch_id: a.branch_id.or(a.broker_id).unwrap_or_default().to_owned(),
            account_id: a.account_id.unwrap_or_default().to_owned(),
        }
    }
}

impl std::fmt::Display for AccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind, self.account_id)?;
        if !self.bank_id.is_empty() || !self.branch_id.is_empty() {
            write!(f, " (bank {}", self.bank_id)?;
            if !self.branch_id.is_empty() {
                write!(f, ", branch {}", self.branch_id)?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// The names `ofxkit convert` gives kinds of account (its `account_kind` column).
fn kind_name(kind: AccountKind) -> &'static str {
    kind.as_str()
}

/// The SHA-256 of a file, in hex: what sessions are unique by.
pub fn file_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Imports one file as one session, in one database transaction.
pub(crate) fn import(
    store: &mut dyn Store,
    source: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<Imported> {
    let hash = file_hash(bytes);
    store.begin()?;
    let result = run(store, source, bytes, &hash, options);
    match result {
        Ok(Imported::Session(r)) => {
            store.commit()?;
            Ok(Imported::Session(r))
        }
        Ok(already) => {
            store.rollback()?;
            Ok(already)
        }
        Err(e) => {
            let _ = store.rollback();
            Err(e)
        }
    }
}

/// Which column a member of a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// One of the statement's cells (the row's first columns).
    Prefix(Option<Field>),
    /// A cell of the transaction.
    Cell(Option<Field>),
    Line,
    Problems,
}

/// The cells the ledger reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Statement,
    Kind,
    Bank,
    Branch,
    Broker,
    Account,
    Date,
    Amount,
    Type,
    Fitid,
    Name,
    Memo,
    Check,
    CorrectFitid,
    CorrectAction,
}

fn role_of(name: &str) -> Role {
    let field = match name {
        "statement" => Some(Field::Statement),
        "account_kind" => Some(Field::Kind),
        "bank_id" => Some(Field::Bank),
        "branch_id" => Some(Field::Branch),
        // An investment account's broker stands where a bank account's branch does.
        "broker_id" => Some(Field::Broker),
        "account_id" => Some(Field::Account),
        "date_posted" => Some(Field::Date),
        "amount" => Some(Field::Amount),
        "type" => Some(Field::Type),
        "fitid" => Some(Field::Fitid),
        "name" => Some(Field::Name),
        "memo" => Some(Field::Memo),
        "check_number" => Some(Field::Check),
        "correct_fitid" => Some(Field::CorrectFitid),
        "correct_action" => Some(Field::CorrectAction),
        _ => None,
    };
    match name {
        "line" => Role::Line,
        "problems" => Role::Problems,
        _ if TRANSACTION_COLUMNS
            .get(..TRANSACTION_PREFIX_LEN)
            .is_some_and(|p| p.contains(&name)) =>
        {
            Role::Prefix(field)
        }
        _ => Role::Cell(field),
    }
}

/// An account as a session sees it.
struct AccountState {
    key: AccountKey,
    id: i64,
    /// The file is older than the newest session that read the account.
    older: bool,
    /// The account has corrected (removed) FITIDs.
    has_corrections: bool,
    /// Occurrences of each content key so far in this file.
    occurrences: HashMap<String, i64>,
    /// Rows taken and kept out in this session.
    taken: u64,
    rejected: u64,
    /// Statements read cleanly, and failed (with the status), in this session.
    read: u32,
    failed: Option<Refusal>,
    /// Date ranges covered (inclusive, `YYYY-MM-DD`; `None` = open).
    covered: Vec<(Option<String>, String)>,
}

/// One row's fields, as text.
#[derive(Default)]
struct Fields<'a> {
    date: Option<Cow<'a, str>>,
    amount: Option<Cow<'a, str>>,
    trntype: Option<Cow<'a, str>>,
    fitid: Option<Cow<'a, str>>,
    name: Option<Cow<'a, str>>,
    memo: Option<Cow<'a, str>>,
    check: Option<Cow<'a, str>>,
    correct_fitid: Option<Cow<'a, str>>,
    correct_action: Option<Cow<'a, str>>,
}

/// A session being applied.
struct Session {
    id: i64,
    server_key: Option<i64>,
    signon: Signon,
    user: String,
    accounts: Vec<AccountState>,
    index: HashMap<AccountKey, usize>,
    /// statement number → (prefix id, account index).
    statements: HashMap<i64, (i64, Option<usize>)>,
    roles: Vec<(String, Role)>,
    /// The rows' cells come in the order of `cell_columns`.
    cells_in_order: bool,
    cell_columns: Vec<String>,
    position: i64,
    counts: Counts,
    rejected: Vec<Rejected>,
    cells: String,
    prefix: String,
}

const INSERT_FITID: &str = "INSERT INTO transactions (account, fitid, content_key, occurrence, \
    booked, posted, prefix, position, line, cells, first_session, seen_session, written_key) \
    VALUES (?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
    ON CONFLICT (account, fitid) WHERE fitid IS NOT NULL DO NOTHING";
const INSERT_CONTENT: &str = "INSERT INTO transactions (account, fitid, content_key, occurrence, \
    booked, posted, prefix, position, line, cells, first_session, seen_session, written_key) \
    VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
    ON CONFLICT (account, content_key, occurrence) WHERE fitid IS NULL DO NOTHING";
const SELECT_FITID: &str =
    "SELECT id, cells, booked, written_key FROM transactions WHERE account = ? AND fitid = ?";
const SELECT_CONTENT: &str = "SELECT id, cells, booked, written_key FROM transactions \
    WHERE account = ? AND content_key = ? AND occurrence = ? AND fitid IS NULL";
const UPDATE_ROW: &str = "UPDATE transactions SET cells = ?, booked = ?, posted = ?, prefix = ?, \
    position = ?, line = ?, seen_session = ?, written_key = ? WHERE id = ?";
const SEEN_ROW: &str = "UPDATE transactions SET prefix = ?, position = ?, line = ?, \
    seen_session = ?, written_key = ? WHERE id = ?";

fn run(
    store: &mut dyn Store,
    source: &str,
    bytes: &[u8],
    hash: &str,
    options: &ImportOptions,
) -> Result<Imported> {
    if let Some(row) = first(store, "SELECT id FROM sessions WHERE hash = ?", &[Value::Text(hash)])?
    {
        return Ok(Imported::Already { session: row.first().and_then(Owned::int).unwrap_or(0) });
    }
    let head = signon::head_signon(bytes).unwrap_or_default();
    let user = options.user.clone().or_else(|| head.user.clone()).unwrap_or_default();
    let cell_columns: Vec<String> = TRANSACTION_COLUMNS
        .iter()
        .filter(|c| matches!(role_of(c), Role::Cell(_)))
        .map(|c| (*c).to_owned())
        .collect();
    let columns = serde_json::to_string(&cell_columns).map_err(Error::database)?;
    let server = head.server_date.clone();
    let mut id = 0;
    store.query(
        "INSERT INTO sessions (hash, source, server_date, server_key, institution, user_id, \
         columns) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            Value::Text(hash),
            Value::Text(source),
            Value::opt(server.as_ref().map(|d| d.text.as_str())),
            Value::opt_int(server.as_ref().map(|d| d.key)),
            Value::Text(&head.institution()),
            Value::Text(&user),
            Value::Text(&columns),
        ],
        &mut |row| {
            id = row.first().and_then(Owned::int).unwrap_or(0);
            Ok(())
        },
    )?;
    let mut session = Session {
        id,
        server_key: server.as_ref().map(|d| d.key),
        signon: head,
        user,
        accounts: Vec::new(),
        index: HashMap::new(),
        statements: HashMap::new(),
        roles: Vec::new(),
        cells_in_order: false,
        cell_columns,
        position: 0,
        counts: Counts::default(),
        rejected: Vec::new(),
        cells: String::new(),
        prefix: String::new(),
    };

    // The rows, streamed from the converter into the database.
    let convert = ConvertOptions {
        target: Target::Ndjson,
        what: What::Transactions,
        formula_guard: false,
        on_error: OnError::Mark,
        show_secrets: false,
    };
    let parse_options = ofxkit::syntax::Options::default();
    let sink = Sink { store: &mut *store, session: &mut session, pending: Vec::new(), error: None };
    let mut converter = Converter::new(sink, convert)?;
    let added = converter.add_bytes(source, bytes, &parse_options);
    let (doc, diagnostics) = match added {
        Ok(r) => r,
        Err(AddError::Parse(e)) => return Err(e.into()),
        Err(AddError::Io(e)) => {
            return Err(take_sink_error(e));
        }
        Err(e @ AddError::Problem { .. }) => return Err(Error::database(e)),
    };
    let sink = converter.finish().map_err(take_sink_error)?;
    if let Some(e) = sink.error {
        return Err(e);
    }

    let model = doc.model();
    let full = Signon::of_model(model);
    if (full.institution(), &full.server_date)
        != (session.signon.institution(), &session.signon.server_date)
    {
        return Err(Error::database(
            "the sign-on response comes after the statements (or more than 1 MB into the \
             file): the file cannot be keyed while it is read",
        ));
    }
    session.pending_rows(store, &doc, model, source)?;
    let errors: Vec<&ofxkit::Diagnostic> =
        diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    let findings = if errors.is_empty() {
        Vec::new()
    } else {
        let index = doc.syntax().line_index();
        errors
            .into_iter()
            .map(|d| Finding { at: index.line_col(d.span.start), diagnostic: d.clone() })
            .collect()
    };
    let accounts = session.settle(store, model)?;
    let c = session.counts;
    store.execute(
        "UPDATE sessions SET added = ?, updated = ?, replaced = ?, deleted = ?, \
         deleted_pending = ?, unchanged = ?, rejected = ?, failed_accounts = ? WHERE id = ?",
        &[
            Value::Int(c.added as i64),
            Value::Int(c.updated as i64),
            Value::Int(c.replaced as i64),
            Value::Int(c.deleted as i64),
            Value::Int(c.deleted_pending as i64),
            Value::Int(c.unchanged as i64),
            Value::Int(c.rejected as i64),
            Value::Int(accounts.iter().filter(|a| a.outcome == "failed").count() as i64),
            Value::Int(session.id),
        ],
    )?;
    Ok(Imported::Session(Box::new(SessionReport {
        session: session.id,
        server_date: server.map(|d| d.text),
        counts: session.counts,
        rejected: session.rejected,
        accounts,
        findings,
        signon_refused: session.signon.refused.clone(),
    })))
}

/// The ledger's own error behind an I/O error the converter returned.
fn take_sink_error(e: io::Error) -> Error {
    match e.into_inner().map(|inner| inner.downcast::<Error>()) {
        Some(Ok(e)) => *e,
        Some(Err(other)) => Error::database(other),
        None => Error::database("the converter stopped"),
    }
}

/// Where the converter writes: rows go into the ledger as they come.
struct Sink<'a, 'b> {
    store: &'a mut dyn Store,
    session: &'b mut Session,
    /// The start of a row not yet complete.
    pending: Vec<u8>,
    error: Option<Error>,
}

impl Sink<'_, '_> {
    fn lines(&mut self, data: &[u8]) -> Result<()> {
        let text = std::str::from_utf8(data)
            .map_err(|_| Error::database("a row from the converter is not UTF-8"))?;
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', data).chain(std::iter::once(data.len())) {
            if let Some(line) = text.get(start..end).filter(|l| !l.is_empty()) {
                self.session.row(self.store, line)?;
            }
            start = end + 1;
        }
        Ok(())
    }
}

impl Write for Sink<'_, '_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.error.is_some() {
            return Err(io::Error::other("the ledger stopped"));
        }
        // The converter hands over whole rows; a piece of one waits for the rest.
        let end = data.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let (whole, rest) = data.split_at(end);
        let result = if self.pending.is_empty() {
            self.lines(whole)
        } else if !whole.is_empty() {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(whole);
            self.lines(&joined)
        } else {
            Ok(())
        };
        self.pending.extend_from_slice(rest);
        if let Err(e) = result {
            return Err(io::Error::other(e));
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            let mut line = rest;
            line.push(b'\n');
            self.lines(&line).map_err(io::Error::other)?;
        }
        Ok(())
    }
}

impl Session {
    /// The account of `key`: created when new, locked for this session, and its state read.
    fn account(&mut self, store: &mut dyn Store, key: &AccountKey) -> Result<usize> {
        if let Some(&i) = self.index.get(key) {
            return Ok(i);
        }
        let institution = key.institution();
        let k = [
            Value::Text(&institution),
            Value::Text(&key.kind),
            Value::Text(&key.bank_id),
            Value::Text(&key.branch_id),
            Value::Text(&key.account_id),
        ];
        let mut insert = k.to_vec();
        insert.push(Value::Text(&self.user));
        store.execute(
            "INSERT INTO accounts (institution, kind, bank_id, branch_id, account_id, user_id) \
             VALUES (?, ?, ?, ?, ?, ?) \
             ON CONFLICT (institution, kind, bank_id, branch_id, account_id) DO NOTHING",
            &insert,
        )?;
        let id = first(
            store,
            "SELECT id FROM accounts WHERE institution = ? AND kind = ? AND bank_id = ? \
             AND branch_id = ? AND account_id = ?",
            &k,
        )?
        .and_then(|r| r.first().and_then(Owned::int))
        .ok_or_else(|| Error::database("an account just written cannot be read"))?;
        store.lock_account(id)?;
        let mut row = first(
            store,
            "SELECT newest_key, (SELECT COUNT(*) FROM corrected WHERE account = ?) \
             + (SELECT COUNT(*) FROM corrections WHERE account = ?) FROM accounts WHERE id = ?",
            &[Value::Int(id), Value::Int(id), Value::Int(id)],
        )?
        .unwrap_or_default();
        let newest = take(&mut row, 0).int();
        let corrections = take(&mut row, 1).int().unwrap_or(0);
        let older = matches!((self.server_key, newest), (Some(s), Some(n)) if s < n);
        self.accounts.push(AccountState {
            key: key.clone(),
            id,
            older,
            has_corrections: corrections > 0,
            occurrences: HashMap::new(),
            taken: 0,
            rejected: 0,
            read: 0,
            failed: None,
            covered: Vec::new(),
        });
        let i = self.accounts.len() - 1;
        self.index.insert(key.clone(), i);
        Ok(i)
    }

    /// One row from the converter.
    fn row(&mut self, store: &mut dyn Store, line: &str) -> Result<()> {
        let members = row::members(line)?;
        // Every row of a file has the same columns: compared by length and by the first and
        // last names, the roles are computed again only when they change.
        let same = self.roles.len() == members.len()
            && self.roles.first().map(|(n, _)| n.as_str()) == members.first().map(|(m, _)| *m)
            && self.roles.last().map(|(n, _)| n.as_str()) == members.last().map(|(m, _)| *m);
        if !same {
            self.roles = members.iter().map(|(n, _)| ((*n).to_owned(), role_of(n))).collect();
            let mut cells = self.roles.iter().filter(|(_, r)| matches!(r, Role::Cell(_)));
            self.cells_in_order = cells.clone().count() == self.cell_columns.len()
                && cells.all(|(n, _)| self.cell_columns.contains(n))
                && self
                    .roles
                    .iter()
                    .filter(|(_, r)| matches!(r, Role::Cell(_)))
                    .zip(&self.cell_columns)
                    .all(|((n, _), c)| n == c);
        }
        let mut fields = Fields::default();
        let mut statement: Option<Cow<'_, str>> = None;
        let mut prefix_raw: Vec<(Option<Field>, &str)> = Vec::with_capacity(TRANSACTION_PREFIX_LEN);
        let mut cell_raw: Vec<(&str, &str)> = Vec::with_capacity(members.len());
        let mut line_no = 0u64;
        let mut problems: Vec<String> = Vec::new();
        for ((_, role), (name, raw)) in self.roles.iter().zip(&members) {
            match role {
                Role::Prefix(f) => {
                    prefix_raw.push((*f, raw));
                    if *f == Some(Field::Statement) {
                        statement = row::text(raw);
                    }
                }
                Role::Cell(f) => {
                    cell_raw.push((name, raw));
                    let slot = match f {
                        Some(Field::Date) => &mut fields.date,
                        Some(Field::Amount) => &mut fields.amount,
                        Some(Field::Type) => &mut fields.trntype,
                        Some(Field::Fitid) => &mut fields.fitid,
                        Some(Field::Name) => &mut fields.name,
                        Some(Field::Memo) => &mut fields.memo,
                        Some(Field::Check) => &mut fields.check,
                        Some(Field::CorrectFitid) => &mut fields.correct_fitid,
                        Some(Field::CorrectAction) => &mut fields.correct_action,
                        _ => continue,
                    };
                    *slot = row::text(raw);
                }
                Role::Line => line_no = row::text(raw).and_then(|t| t.parse().ok()).unwrap_or(0),
                Role::Problems => {
                    if *raw != "[]" {
                        problems = serde_json::from_str(raw).unwrap_or_default();
                    }
                }
            }
        }
        let statement: i64 = statement.and_then(|s| s.parse().ok()).unwrap_or(0);
        let (prefix, account) = match self.statements.get(&statement) {
            Some(&known) => known,
            None => {
                // A new statement: its account, from the row's first cells.
                let mut key = AccountKey {
                    org: self.signon.org.clone(),
                    fid: self.signon.fid.clone(),
                    kind: String::new(),
                    bank_id: String::new(),
                    branch_id: String::new(),
                    account_id: String::new(),
                };
                for (f, raw) in &prefix_raw {
                    let slot = match f {
                        Some(Field::Kind) => &mut key.kind,
                        Some(Field::Bank) => &mut key.bank_id,
                        Some(Field::Branch) => &mut key.branch_id,
                        Some(Field::Broker) if key.branch_id.is_empty() => &mut key.branch_id,
                        Some(Field::Account) => &mut key.account_id,
                        _ => continue,
                    };
                    *slot = row::text(raw).map(Cow::into_owned).unwrap_or_default();
                }
                row::join(prefix_raw.iter().map(|(_, r)| *r), &mut self.prefix);
                let prefix = self.insert_prefix(store, statement)?;
                let account =
                    if key.account_id.is_empty() { None } else { Some(self.account(store, &key)?) };
                self.statements.insert(statement, (prefix, account));
                (prefix, account)
            }
        };
        let Some(account) = account else {
            self.reject(None, line_no, vec!["W-NO-ACCOUNT".to_owned()]);
            return Ok(());
        };
        if !problems.is_empty() {
            self.reject(Some(account), line_no, problems);
            return Ok(());
        }
        // The stored cells: the transaction's, in the session's column order.
        let mut cells = std::mem::take(&mut self.cells);
        if self.cells_in_order {
            row::join(cell_raw.iter().map(|(_, r)| *r), &mut cells);
        } else {
            let by_name =
                |c: &String| cell_raw.iter().find(|(n, _)| n == c).map_or("null", |(_, r)| *r);
            row::join(self.cell_columns.iter().map(by_name), &mut cells);
        }
        let result = self.apply(store, account, prefix, line_no, &fields, &cells, false);
        self.cells = cells;
        result
    }

    fn insert_prefix(&mut self, store: &mut dyn Store, statement: i64) -> Result<i64> {
        let mut id = 0;
        store.query(
            "INSERT INTO prefixes (session, statement, cells) VALUES (?, ?, ?) RETURNING id",
            &[Value::Int(self.id), Value::Int(statement), Value::Text(&self.prefix)],
            &mut |row| {
                id = row.first().and_then(Owned::int).unwrap_or(0);
                Ok(())
            },
        )?;
        Ok(id)
    }

    fn reject(&mut self, account: Option<usize>, line: u64, problems: Vec<String>) {
        if let Some(a) = account.and_then(|a| self.accounts.get_mut(a)) {
            a.rejected += 1;
        }
        self.counts.rejected += 1;
        self.rejected.push(Rejected { line, problems });
    }

    /// Applies one clean row of `account` (`pending`: from a pending list; a `HOLD` is
    /// pending too).
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        store: &mut dyn Store,
        account: usize,
        prefix: i64,
        line: u64,
        f: &Fields<'_>,
        cells: &str,
        pending: bool,
    ) -> Result<()> {
        let Some(state) = self.accounts.get_mut(account) else { return Ok(()) };
        state.taken += 1;
        let account_id = state.id;
        let older = state.older;
        let booked =
            !pending && !f.trntype.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("HOLD"));
        let action = f.correct_action.as_deref().map(str::to_ascii_uppercase);
        if let (Some(target), Some(action)) = (f.correct_fitid.as_deref(), action.as_deref())
            && (action == "DELETE" || action == "REPLACE")
        {
            let was_posted = first(
                store,
                "SELECT posted FROM transactions WHERE account = ? AND fitid = ?",
                &[Value::Int(account_id), Value::Text(target)],
            )?
            .and_then(|mut r| take(&mut r, 0).into_text());
            let removed = store.execute(
                "DELETE FROM transactions WHERE account = ? AND fitid = ?",
                &[Value::Int(account_id), Value::Text(target)],
            )?;
            // The balances older files gave from the first day the correction changes
            // counted what is now corrected: they no longer hold for the corrected history.
            let now = f.date.as_deref().and_then(|d| d.get(..10)).unwrap_or("");
            let was = was_posted.filter(|_| removed > 0);
            let since = was.as_deref().map_or(now, |w| w.min(now));
            store.execute(
                "INSERT INTO corrections (account, session, fitid, day) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (account, session, fitid) DO NOTHING",
                &[
                    Value::Int(account_id),
                    Value::Int(self.id),
                    Value::Text(target),
                    Value::Text(since),
                ],
            )?;
            lower_correction_day(store, account_id, target, since)?;
            drop_superseded_balances(store, account_id)?;
            state.has_corrections = true;
            // A DELETE's target stays out even when the DELETE carries its FITID; a REPLACE
            // that does is the transaction now held.
            if action == "DELETE" || f.fitid.as_deref() != Some(target) {
                store.execute(
                    "INSERT INTO corrected (account, fitid, session) VALUES (?, ?, ?) \
                     ON CONFLICT (account, fitid) DO NOTHING",
                    &[Value::Int(account_id), Value::Text(target), Value::Int(self.id)],
                )?;
            }
            if action == "DELETE" {
                self.counts.deleted += removed;
                return Ok(());
            }
            self.counts.replaced += removed;
        }
        if older && !booked {
            // A stale pending entry: the newer sessions said what is pending.
            self.counts.unchanged += 1;
            return Ok(());
        }
        let posted = f.date.as_deref().and_then(|d| d.get(..10)).unwrap_or("");
        self.position += 1;
        let position = self.position;
        let booked_value = Value::Int(i64::from(booked));
        let existing = match f.fitid.as_deref() {
            Some(fitid) => {
                if state.has_corrections
                    && first(
                        store,
                        "SELECT 1 FROM corrected WHERE account = ? AND fitid = ?",
                        &[Value::Int(account_id), Value::Text(fitid)],
                    )?
                    .is_some()
                {
                    // Removed by a correction: an older file cannot bring it back. Its day
                    // here is a day the correction changes.
                    lower_correction_day(store, account_id, fitid, posted)?;
                    drop_superseded_balances(store, account_id)?;
                    self.counts.unchanged += 1;
                    return Ok(());
                }
                if state.has_corrections {
                    // A REPLACE that carried its target's FITID: an older file's version
                    // of it may be dated earlier.
                    lower_correction_day(store, account_id, fitid, posted)?;
                }
                let inserted = store.execute(
                    INSERT_FITID,
                    &[
                        Value::Int(account_id),
                        Value::Text(fitid),
                        booked_value,
                        Value::Text(posted),
                        Value::Int(prefix),
                        Value::Int(position),
                        Value::Int(line as i64),
                        Value::Text(cells),
                        Value::Int(self.id),
                        Value::Int(self.id),
                        Value::opt_int(self.server_key),
                    ],
                )?;
                if inserted == 1 {
                    self.counts.added += 1;
                    return Ok(());
                }
                first(store, SELECT_FITID, &[Value::Int(account_id), Value::Text(fitid)])?
            }
            None => {
                let content = content_key(f);
                let occurrence = {
                    let n = state.occurrences.entry(content.clone()).or_insert(0);
                    *n += 1;
                    *n
                };
                let inserted = store.execute(
                    INSERT_CONTENT,
                    &[
                        Value::Int(account_id),
                        Value::Text(&content),
                        Value::Int(occurrence),
                        booked_value,
                        Value::Text(posted),
                        Value::Int(prefix),
                        Value::Int(position),
                        Value::Int(line as i64),
                        Value::Text(cells),
                        Value::Int(self.id),
                        Value::Int(self.id),
                        Value::opt_int(self.server_key),
                    ],
                )?;
                if inserted == 1 {
                    self.counts.added += 1;
                    return Ok(());
                }
                first(
                    store,
                    SELECT_CONTENT,
                    &[Value::Int(account_id), Value::Text(&content), Value::Int(occurrence)],
                )?
            }
        };
        let Some(mut held) = existing else {
            return Err(Error::database("a transaction held cannot be read back"));
        };
        let id = take(&mut held, 0).int().unwrap_or(0);
        // Only a file at least as new as the content's own rewrites it.
        let written = take(&mut held, 3).int();
        let newer = match (self.server_key, written) {
            (Some(s), Some(w)) => s >= w,
            (None, Some(_)) => false,
            (_, None) => true,
        };
        if !newer {
            self.counts.unchanged += 1;
            return Ok(());
        }
        let same = take(&mut held, 1).text() == Some(cells)
            && take(&mut held, 2).int() == Some(i64::from(booked));
        if same {
            self.counts.unchanged += 1;
            store.execute(
                SEEN_ROW,
                &[
                    Value::Int(prefix),
                    Value::Int(position),
                    Value::Int(line as i64),
                    Value::Int(self.id),
                    Value::opt_int(self.server_key),
                    Value::Int(id),
                ],
            )?;
        } else {
            self.counts.updated += 1;
            store.execute(
                UPDATE_ROW,
                &[
                    Value::Text(cells),
                    booked_value,
                    Value::Text(posted),
                    Value::Int(prefix),
                    Value::Int(position),
                    Value::Int(line as i64),
                    Value::Int(self.id),
                    Value::opt_int(self.server_key),
                    Value::Int(id),
                ],
            )?;
        }
        Ok(())
    }

    /// The pending entries of each statement (`BANKTRANLISTP`), which the converter does
    /// not write as rows: their cells are made here, in the converter's columns.
    fn pending_rows(
        &mut self,
        store: &mut dyn Store,
        doc: &ofxkit::Document<'_>,
        model: &Model<'_>,
        source: &str,
    ) -> Result<()> {
        if model.statements.iter().all(|s| s.pending.is_empty()) {
            return Ok(());
        }
        let index = doc.syntax().line_index();
        let errors: Vec<(u32, &'static str)> = model
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.span.start, d.code))
            .collect();
        for (i, s) in model.statements.iter().enumerate() {
            if s.pending.is_empty() {
                continue;
            }
            let number = i as i64 + 1;
            let (prefix, account) = match self.statements.get(&number) {
                Some(&known) => known,
                None => {
                    let mut cells = Vec::new();
                    transaction_prefix(source, i + 1, s, &mut cells);
                    let raws: Vec<String> = cells.iter().map(cell_json).collect();
                    row::join(raws.iter().map(String::as_str), &mut self.prefix);
                    let prefix = self.insert_prefix(store, number)?;
                    let account = match &s.account {
                        Some(a) if a.account_id.is_some() => {
                            Some(self.account(store, &AccountKey::of(&self.signon, a))?)
                        }
                        _ => None,
                    };
                    self.statements.insert(number, (prefix, account));
                    (prefix, account)
                }
            };
            for p in &s.pending {
                let line = u64::from(index.line_col(p.span.start).line);
                let Some(account) = account else {
                    self.reject(None, line, vec!["W-NO-ACCOUNT".to_owned()]);
                    continue;
                };
                let mut problems: Vec<String> = Vec::new();
                for (at, code) in &errors {
                    if *at >= p.span.start
                        && *at < p.span.end
                        && !problems.iter().any(|c| c == code)
                    {
                        problems.push((*code).to_owned());
                    }
                }
                if !problems.is_empty() {
                    self.reject(Some(account), line, problems);
                    continue;
                }
                let (fields, cells) = self.pending_cells(p);
                self.apply(store, account, prefix, line, &fields, &cells, true)?;
            }
        }
        Ok(())
    }

    /// A pending entry's fields and stored cells.
    fn pending_cells<'p>(&self, p: &'p PendingTransaction<'_>) -> (Fields<'p>, String) {
        let date = p.date.as_ref().map(|d| Cow::Owned(d.value.to_iso8601()));
        let amount = p.amount.as_ref().map(|a| Cow::Owned(a.value.to_string()));
        let trntype = p.trntype.as_ref().map(|t| {
            Cow::Owned(match t {
                ofxkit::codes::Coded::Known(k) => ofxkit::codes::Code::as_str(*k).to_owned(),
                ofxkit::codes::Coded::Unknown(raw) => raw.clone(),
            })
        });
        let name = p.name.or(p.extended_name).map(Cow::Borrowed);
        let memo = p.memo.map(Cow::Borrowed);
        let reference = p.reference;
        let raws: Vec<String> = self
            .cell_columns
            .iter()
            .map(|c| {
                let text: Option<&str> = match c.as_str() {
                    "date_posted" => date.as_deref(),
                    "amount" => amount.as_deref(),
                    "type" => trntype.as_deref(),
                    "name" => name.as_deref(),
                    "memo" => memo.as_deref(),
                    "reference" => reference,
                    _ => None,
                };
                row::json_string(text)
            })
            .collect();
        let mut cells = String::new();
        row::join(raws.iter().map(String::as_str), &mut cells);
        let fields = Fields { date, amount, trntype, name, memo, ..Fields::default() };
        (fields, cells)
    }

    /// After the rows: each account's outcome, the pending entries that did not come back,
    /// and the accounts' status.
    /// Keeps a bank or card statement's `LEDGERBAL` (as of its `DTASOF`, else the list's
    /// `DTEND`): one per account and day, a file at least as new replacing it.
    fn keep_balance(
        &self,
        store: &mut dyn Store,
        account: i64,
        older: bool,
        s: &Statement<'_>,
    ) -> Result<()> {
        use ofxkit::model::StatementKind;
        if !matches!(s.kind, StatementKind::Bank | StatementKind::CreditCard) {
            return Ok(());
        }
        let Some(b) = s.ledger_balance.as_ref() else { return Ok(()) };
        let (Some(amount), Some(date)) = (b.amount.as_ref(), b.as_of.as_ref().or(s.end.as_ref()))
        else {
            return Ok(());
        };
        let day = date.value.naive_date().to_string();
        let amount = amount.value.to_string();
        let conflict = if older { "DO NOTHING" } else { UPDATE_BALANCE };
        store.execute(
            &format!(
                "INSERT INTO balances (account, as_of, amount, currency, session) \
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, as_of) {conflict}"
            ),
            &[
                Value::Int(account),
                Value::Text(&day),
                Value::Text(&amount),
                s.currency.map_or(Value::Null, Value::Text),
                Value::Int(self.id),
            ],
        )?;
        Ok(())
    }

    /// Keeps the ticker and name the file's `SECLIST` gives each security (the last file
    /// read that names one wins).
    fn keep_securities(&self, store: &mut dyn Store, model: &Model<'_>) -> Result<()> {
        for sec in &model.securities {
            let Some(id) = sec.id.as_ref().and_then(|i| i.unique_id).filter(|i| !i.is_empty())
            else {
                continue;
            };
            if sec.ticker.is_none() && sec.name.is_none() {
                continue;
            }
            store.execute(
                "INSERT INTO securities (unique_id, ticker, name, session) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (unique_id) DO UPDATE SET ticker = excluded.ticker, \
                 name = excluded.name, session = excluded.session",
                &[
                    Value::Text(id),
                    sec.ticker.map_or(Value::Null, Value::Text),
                    sec.name.map_or(Value::Null, Value::Text),
                    Value::Int(self.id),
                ],
            )?;
        }
        Ok(())
    }

    fn settle(&mut self, store: &mut dyn Store, model: &Model<'_>) -> Result<Vec<AccountOutcome>> {
        let refused = self.signon.refused.clone();
        // Statements: what each account's say.
        for s in &model.statements {
            let Some(a) = s.account.as_ref().filter(|a| a.account_id.is_some()) else { continue };
            let i = self.account(store, &AccountKey::of(&self.signon, a))?;
            let Some(state) = self.accounts.get_mut(i) else { continue };
            match s.status.as_ref().filter(|st| st.is_error) {
                Some(st) => state.failed = Some(signon::refusal(st)),
                None => {
                    state.read += 1;
                    state.covered.extend(covered(s));
                }
            }
            let (id, older) = (state.id, state.older);
            self.keep_balance(store, id, older, s)?;
            // A correction already held may make this file's balance wrong.
            drop_superseded_balances(store, id)?;
        }
        self.keep_securities(store, model)?;
        // Error responses that name no account (a failed statement request without STMTRS).
        let unattributed: Option<Refusal> = model
            .responses
            .iter()
            .filter_map(|r| r.status.as_ref().filter(|s| s.is_error))
            .map(signon::refusal)
            .next();
        // Accounts earlier sessions of this institution and user carried. A file that names
        // no institution (no FI ORG or FID, as OFC files and some others) cannot be told to
        // come from the same one as another: no account is missing from it.
        let known_institution = !(self.signon.org.is_empty() && self.signon.fid.is_empty());
        let carried = if !known_institution {
            Vec::new()
        } else {
            rows(
                store,
                "SELECT DISTINCT a.institution, a.kind, a.bank_id, a.branch_id, a.account_id \
             FROM session_accounts sa JOIN sessions s ON s.id = sa.session \
             JOIN accounts a ON a.id = sa.account \
             WHERE s.institution = ? AND s.user_id = ? AND sa.session <> ?",
                &[
                    Value::Text(&self.signon.institution()),
                    Value::Text(&self.user),
                    Value::Int(self.id),
                ],
            )?
        };
        let mut missing = Vec::new();
        for mut r in carried {
            let key = AccountKey {
                org: self.signon.org.clone(),
                fid: self.signon.fid.clone(),
                kind: take(&mut r, 1).into_text().unwrap_or_default(),
                bank_id: take(&mut r, 2).into_text().unwrap_or_default(),
                branch_id: take(&mut r, 3).into_text().unwrap_or_default(),
                account_id: take(&mut r, 4).into_text().unwrap_or_default(),
            };
            if !self.index.contains_key(&key) {
                missing.push(key);
            }
        }
        missing.sort();
        let mut missing_ids = Vec::new();
        for key in &missing {
            missing_ids.push(self.account(store, key)?);
        }

        let mut outcomes = Vec::new();
        let server_text = self.signon.server_date.as_ref().map(|d| d.text.clone());
        for i in 0..self.accounts.len() {
            let Some(state) = self.accounts.get(i) else { continue };
            let is_missing = missing_ids.contains(&i);
            let error: Option<(&'static str, Refusal)> = if let Some(r) = &refused {
                Some((if r.signature { "signature" } else { "aspspResponse" }, r.clone()))
            } else if let Some(f) = &state.failed {
                Some(("aspspResponse", f.clone()))
            } else if is_missing {
                match &unattributed {
                    Some(r) => Some(("aspspResponse", r.clone())),
                    None => Some((
                        "missingAccount",
                        Refusal {
                            code: String::new(),
                            message: format!(
                                "{} is not in this file, though earlier sessions of the same \
                                 institution and user carried it",
                                ofxkit::syntax::shown(&state.key.to_string())
                            ),
                            signature: false,
                        },
                    )),
                }
            } else if state.taken == 0 && state.rejected > 0 {
                Some((
                    "internal",
                    Refusal {
                        code: String::new(),
                        message: format!(
                            "none of the account's {} transaction(s) could be taken (they have \
                             problems)",
                            state.rejected
                        ),
                        signature: false,
                    },
                ))
            } else {
                None
            };
            let outcome = if state.older {
                "older"
            } else if error.is_some() && state.read == 0 {
                "failed"
            } else if error.is_some() || state.rejected > 0 {
                "partiallyFailed"
            } else {
                "read"
            };
            let id = state.id;
            store.execute(
                "INSERT INTO session_accounts (session, account, outcome) VALUES (?, ?, ?) \
                 ON CONFLICT (session, account) DO NOTHING",
                &[Value::Int(self.id), Value::Int(id), Value::Text(outcome)],
            )?;
            let shown_error = error.as_ref().map(|(t, r)| {
                let m = message_of(r);
                ((*t).to_owned(), m)
            });
            outcomes.push(AccountOutcome {
                account: state.key.clone(),
                outcome,
                error: shown_error,
            });
            if state.older {
                continue;
            }
            // Pending entries that did not come back, in what the session covered.
            if state.read > 0 && refused.is_none() {
                for (from, until) in state.covered.clone() {
                    let n = store.execute(
                        "DELETE FROM transactions WHERE account = ? AND booked = 0 \
                         AND seen_session <> ? AND posted <> '' AND posted >= ? AND posted <= ?",
                        &[
                            Value::Int(id),
                            Value::Int(self.id),
                            Value::Text(from.as_deref().unwrap_or("")),
                            Value::Text(&until),
                        ],
                    )?;
                    self.counts.deleted_pending += n;
                }
            }
            let tx_status = match outcome {
                "failed" => "failed",
                "partiallyFailed" => "partiallyFailed",
                _ => "completed",
            };
            let server = Value::opt(server_text.as_deref());
            let newest = Value::opt_int(self.server_key);
            match (&error, outcome) {
                (Some((kind, r)), "failed") => {
                    let message = message_of(r);
                    store.execute(
                        "UPDATE accounts SET user_id = ?, newest_key = COALESCE(?, newest_key), \
                         newest_session = ?, sync_status = 'failed', tx_status = ?, \
                         error_type = ?, error_code = ?, error_content = ?, error_session = ?, \
                         error_message = ? WHERE id = ?",
                        &[
                            Value::Text(&self.user),
                            newest,
                            Value::Int(self.id),
                            Value::Text(tx_status),
                            Value::Text(kind),
                            Value::opt(Some(r.code.as_str()).filter(|c| !c.is_empty())),
                            Value::opt(
                                Some(r.message.as_str())
                                    .filter(|_| *kind == "aspspResponse" || *kind == "signature"),
                            ),
                            Value::Int(self.id),
                            Value::Text(&message),
                            Value::Int(id),
                        ],
                    )?;
                }
                _ => {
                    let (kind, code, content, message) = match &error {
                        Some((kind, r)) => (
                            Value::Text(kind),
                            Value::opt(Some(r.code.as_str()).filter(|c| !c.is_empty())),
                            Value::Text(&r.message),
                            Value::Text(&r.message),
                        ),
                        None => (Value::Null, Value::Null, Value::Null, Value::Null),
                    };
                    store.execute(
                        "UPDATE accounts SET user_id = ?, newest_key = COALESCE(?, newest_key), \
                         newest_session = ?, sync_status = 'active', \
                         last_sync_date = COALESCE(?, last_sync_date), tx_status = ?, \
                         tx_sync_date = CASE WHEN ? = 'completed' \
                             THEN COALESCE(?, tx_sync_date) ELSE tx_sync_date END, \
                         error_type = ?, error_code = ?, error_content = ?, error_session = ?, \
                         error_message = ?, consent = 'active', consent_previous = NULL \
                         WHERE id = ?",
                        &[
                            Value::Text(&self.user),
                            newest,
                            Value::Int(self.id),
                            server,
                            Value::Text(tx_status),
                            Value::Text(tx_status),
                            server,
                            kind,
                            code,
                            content,
                            if error.is_some() { Value::Int(self.id) } else { Value::Null },
                            message,
                            Value::Int(id),
                        ],
                    )?;
                }
            }
        }
        outcomes.sort_by(|a, b| a.account.cmp(&b.account));
        Ok(outcomes)
    }
}

/// The `message` of an error: ours as it is, or a server's status code and message (text
/// from the file, escaped and cut).
fn message_of(r: &Refusal) -> String {
    if r.code.is_empty() {
        r.message.clone()
    } else {
        let (code, message) = (ofxkit::syntax::shown(&r.code), ofxkit::syntax::shown(&r.message));
        format!("status {code}: {message}")
    }
}

/// The ranges a statement's lists cover: `DTSTART`..`DTEND` of its transaction list, and
/// everything up to its pending list's `DTASOF`.
fn covered(s: &Statement<'_>) -> Vec<(Option<String>, String)> {
    let day = |d: &ofxkit::model::Date<'_>| d.value.naive_date().format("%Y-%m-%d").to_string();
    let mut out = Vec::new();
    if let (Some(start), Some(end)) = (&s.start, &s.end) {
        out.push((Some(day(start)), day(end)));
    }
    if let Some(asof) = &s.pending_as_of {
        out.push((None, day(asof)));
    }
    out
}

/// The content key of a transaction without FITID: posted date, amount, name, memo and
/// check number, as the row writes them.
fn content_key(f: &Fields<'_>) -> String {
    let parts = [&f.date, &f.amount, &f.name, &f.memo, &f.check];
    let mut key = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            key.push('\u{1f}');
        }
        key.push_str(p.as_deref().unwrap_or(""));
    }
    key
}

/// A cell as the converter writes it in JSON: a string, or `null`.
fn cell_json(cell: &Cell<'_>) -> String {
    match cell {
        Cell::Empty => "null".to_owned(),
        Cell::Int(n) => n.to_string(),
        Cell::Bool(b) => b.to_string(),
        c => row::json_string(Some(&c.as_str())),
    }
}

/// Moves the first day the corrections of `fitid` in `account` change back to `day` when it
/// is earlier.
fn lower_correction_day(store: &mut dyn Store, account: i64, fitid: &str, day: &str) -> Result<()> {
    store.execute(
        "UPDATE corrections SET day = ? WHERE account = ? AND fitid = ? AND day > ?",
        &[Value::Text(day), Value::Int(account), Value::Text(fitid), Value::Text(day)],
    )?;
    Ok(())
}

/// Deletes the balances of `account` that a correction makes wrong: those dated on or after
/// the first day it changes, from a file older than the correcting one (by `DTSERVER`; a file
/// without one counts as older). A file's own balances, and those of newer files, already
/// count the correction. The same balances go whatever the order the files came in.
fn drop_superseded_balances(store: &mut dyn Store, account: i64) -> Result<()> {
    store.execute(
        "DELETE FROM balances WHERE account = ? AND EXISTS (\
           SELECT 1 FROM corrections c JOIN sessions sc ON sc.id = c.session \
           JOIN sessions sb ON sb.id = balances.session \
           WHERE c.account = balances.account AND c.session <> balances.session \
           AND balances.as_of >= c.day \
           AND (sb.server_key IS NULL OR sc.server_key IS NULL \
                OR sb.server_key < sc.server_key))",
        &[Value::Int(account)],
    )?;
    Ok(())
}

/// A newer (or as new) file's balance replaces the one held for the same day.
const UPDATE_BALANCE: &str = "DO UPDATE SET amount = excluded.amount, \
    currency = excluded.currency, session = excluded.session";
