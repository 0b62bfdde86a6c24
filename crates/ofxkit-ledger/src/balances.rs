//! What the ledger keeps besides transactions for the accounting outputs: each account's
//! ledger balances (`LEDGERBAL`, one per day, the newest file's), and the tickers and names
//! of securities (`SECLIST`).

use crate::error::Result;
use crate::export::ExportFilter;
use crate::status::split_institution;
use crate::store::{Owned, Store, Value, rows};

/// A ledger balance kept for an account ([`Ledger::balances`](crate::Ledger::balances)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptBalance {
    /// FI `ORG` (empty when the files named none).
    pub org: String,
    /// FI `FID` (empty when the files named none).
    pub fid: String,
    /// `bank`, `credit_card`, `investment` or `loan`.
    pub kind: String,
    /// `BANKID`.
    pub bank_id: String,
    /// `BRANCHID`.
    pub branch_id: String,
    /// `ACCTID`.
    pub account_id: String,
    /// The calendar day of `DTASOF`, `YYYY-MM-DD`.
    pub as_of: String,
    /// `BALAMT`, as an exact decimal's text.
    pub amount: String,
    /// The statement's `CURDEF`.
    pub currency: Option<String>,
}

/// A security as the downloads' `SECLIST`s named it ([`Ledger::securities`](crate::Ledger::securities)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptSecurity {
    /// `SECID/UNIQUEID`.
    pub unique_id: String,
    /// `TICKER`.
    pub ticker: Option<String>,
    /// `SECNAME`.
    pub name: Option<String>,
}

fn text(r: &[Owned], i: usize) -> String {
    r.get(i).and_then(Owned::text).unwrap_or_default().to_owned()
}

fn opt(r: &[Owned], i: usize) -> Option<String> {
    r.get(i).and_then(Owned::text).map(str::to_owned)
}

/// The balances of the accounts `filter` selects, dated within its days, by account and
/// day.
pub(crate) fn balances(store: &mut dyn Store, filter: &ExportFilter) -> Result<Vec<KeptBalance>> {
    let mut sql = String::from(
        "SELECT a.institution, a.kind, a.bank_id, a.branch_id, a.account_id, \
         b.as_of, b.amount, b.currency FROM balances b JOIN accounts a ON a.id = b.account \
         WHERE 1 = 1",
    );
    let texts = filter.conditions("b.as_of", &mut sql);
    let params: Vec<Value<'_>> = texts.iter().map(|t| Value::Text(t)).collect();
    sql.push_str(" ORDER BY a.institution, a.kind, a.bank_id, a.branch_id, a.account_id, b.as_of");
    Ok(rows(store, &sql, &params)?
        .iter()
        .map(|r| {
            let (org, fid) = split_institution(&text(r, 0));
            KeptBalance {
                org,
                fid,
                kind: text(r, 1),
                bank_id: text(r, 2),
                branch_id: text(r, 3),
                account_id: text(r, 4),
                as_of: text(r, 5),
                amount: text(r, 6),
                currency: opt(r, 7),
            }
        })
        .collect())
}

/// Every security a download named, by id.
pub(crate) fn securities(store: &mut dyn Store) -> Result<Vec<KeptSecurity>> {
    let sql = "SELECT unique_id, ticker, name FROM securities ORDER BY unique_id";
    Ok(rows(store, sql, &[])?
        .iter()
        .map(|r| KeptSecurity { unique_id: text(r, 0), ticker: opt(r, 1), name: opt(r, 2) })
        .collect())
}
