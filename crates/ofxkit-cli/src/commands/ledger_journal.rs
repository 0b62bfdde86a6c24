//! `ofxkit ledger export --to beancount|ledger|qif`: the deduplicated transactions as a
//! journal, keyed (`ofxid`) and named as `convert` keys and names them.
//!
//! Besides the rows, the ledger keeps each account's ledger balances (`LEDGERBAL`, one per
//! day), written as balance assertions (and the opening balance the first one implies), and
//! the tickers the downloads' `SECLIST`s gave, so that a security is named as `convert`
//! names it ([`ofxkit::export::security_symbol`]: its ticker, else its id).

use std::borrow::Cow;
use std::collections::HashMap;

use ofxkit::Decimal;
use ofxkit::export::{AccountRef, BalanceAssertion, Entry, Holding, Journal};
use ofxkit::model::AccountKind;
use ofxkit_ledger::{AccountInstitution, KeptBalance, KeptSecurity};
use serde_json::{Map, Value};

/// Investment rows: the aggregate's name in the `type` column.
fn is_investment(kind: &str) -> bool {
    kind.starts_with("BUY")
        || kind.starts_with("SELL")
        || matches!(
            kind,
            "INCOME"
                | "REINVEST"
                | "TRANSFER"
                | "INVEXPENSE"
                | "MARGININTEREST"
                | "SPLIT"
                | "JRNLSEC"
                | "JRNLFUND"
                | "RETOFCAP"
                | "CLOSUREOPT"
        )
}

fn kind_of(name: &str) -> AccountKind {
    match name {
        "credit_card" => AccountKind::CreditCard,
        "investment" => AccountKind::Investment,
        "loan" => AccountKind::Loan,
        _ => AccountKind::Bank,
    }
}

/// What the ledger holds besides the rows.
pub struct Kept<'k> {
    /// Every account with its institution.
    pub institutions: &'k [AccountInstitution],
    /// The ledger balances of the accounts exported.
    pub balances: &'k [KeptBalance],
    /// The securities' tickers.
    pub securities: &'k [KeptSecurity],
}

/// The institution an account is keyed by, as `convert` keys it: FI `FID`, else `ORG`,
/// else the bank id, else the broker id.
fn institution_key(org: &str, fid: &str, bank_id: &str, broker_id: Option<String>) -> String {
    [fid, org, bank_id]
        .into_iter()
        .find(|t| !t.is_empty())
        .map(str::to_owned)
        .or(broker_id)
        .unwrap_or_default()
}

/// A journal of the rows `ledger export --to ndjson` wrote (`ndjson`), each account's
/// institution taken from `kept.institutions`, with the balances and tickers kept.
pub fn journal_of_rows(ndjson: &str, kept: &Kept<'_>) -> Journal<'static> {
    let institutions = kept.institutions;
    let tickers: HashMap<&str, &str> = kept
        .securities
        .iter()
        .filter_map(|s| Some((s.unique_id.as_str(), s.ticker.as_deref()?)))
        .collect();
    let by_key: HashMap<(&str, &str, &str, &str), &AccountInstitution> = institutions
        .iter()
        .map(|a| {
            ((a.kind.as_str(), a.bank_id.as_str(), a.branch_id.as_str(), a.account_id.as_str()), a)
        })
        .collect();
    let mut journal = Journal::new();
    for line in ndjson.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(Value::Object(row)) = serde_json::from_str::<Value>(line) else { continue };
        let text = |k: &str| -> Option<String> {
            match row.get(k) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            }
        };
        let kind = text("account_kind").unwrap_or_default();
        let bank_id = text("bank_id").unwrap_or_default();
        let branch = text("branch_id").or_else(|| text("broker_id")).unwrap_or_default();
        let account_id = text("account_id").unwrap_or_default();
        let known =
            by_key.get(&(kind.as_str(), bank_id.as_str(), branch.as_str(), account_id.as_str()));
        let (org, fid) = known.map_or(("", ""), |a| (a.org.as_str(), a.fid.as_str()));
        let institution = institution_key(org, fid, &bank_id, text("broker_id"));
        let account = journal.account(
            AccountRef::new(
                kind_of(&kind),
                institution,
                account_id,
                text("currency").map(Cow::Owned),
            )
            .with_bank(bank_id, branch),
        );
        let date = text("date").and_then(|d| d.parse::<chrono::NaiveDate>().ok());
        let trntype = text("type");
        let invest = trntype.as_deref().is_some_and(is_investment);
        let amount = decimal(&row, "amount");
        let (Some(date), Some(amount)) = (date, amount.or(invest.then_some(Decimal::ZERO))) else {
            journal.add_incomplete();
            continue;
        };
        let mut e = Entry::new(account, date, amount);
        e.fitid = text("fitid").map(Cow::Owned);
        e.name = text("name").map(Cow::Owned);
        e.memo = text("memo").map(Cow::Owned);
        e.check_number = text("check_number").map(Cow::Owned);
        // The ledger applied the corrections when it imported them (the transactions a
        // REPLACE or DELETE named are gone): the rows are the corrected history.
        if invest {
            let mut h = Holding::new(trntype.clone().unwrap_or_default());
            h.security_id = text("security_id").map(Cow::Owned);
            h.ticker = h
                .security_id
                .as_deref()
                .and_then(|id| tickers.get(id))
                .map(|t| Cow::Owned((*t).to_owned()));
            h.units = decimal(&row, "units");
            h.unit_price = decimal(&row, "unit_price");
            e.holding = Some(Box::new(h));
        }
        e.trntype = trntype.map(Cow::Owned);
        journal.add_entry(e);
    }
    for b in kept.balances {
        let (Ok(date), Ok(amount)) = (b.as_of.parse::<chrono::NaiveDate>(), b.amount.parse())
        else {
            continue;
        };
        // Bank and card statements only (the ledger keeps no other balance); the broker id
        // never keys them.
        let institution = institution_key(&b.org, &b.fid, &b.bank_id, None);
        let account = journal.account(
            AccountRef::new(
                kind_of(&b.kind),
                institution,
                b.account_id.clone(),
                b.currency.clone().map(Cow::Owned),
            )
            .with_bank(b.bank_id.clone(), b.branch_id.clone()),
        );
        journal.add_balance(BalanceAssertion::new(account, date, amount));
    }
    journal
}

fn decimal(row: &Map<String, Value>, key: &str) -> Option<Decimal> {
    match row.get(key)? {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}
