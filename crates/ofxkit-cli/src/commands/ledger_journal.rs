//! `ofxkit ledger export --to beancount|ledger|qif`: the deduplicated transactions as a
//! journal, keyed (`ofxid`) and named as `convert` keys and names them.
//!
//! The ledger keeps transaction rows, not statements: no `LEDGERBAL`, so no balance
//! assertion or opening balance is written; and no security list, so a security is named by
//! its id (`convert` prefers the ticker).

use std::borrow::Cow;
use std::collections::HashMap;

use ofxkit::Decimal;
use ofxkit::export::{AccountRef, Entry, Holding, Journal};
use ofxkit::model::AccountKind;
use ofxkit_ledger::AccountInstitution;
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

/// A journal of the rows `ledger export --to ndjson` wrote (`ndjson`), each account's
/// institution taken from `institutions`.
pub fn journal_of_rows(ndjson: &str, institutions: &[AccountInstitution]) -> Journal<'static> {
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
        let institution = known
            .and_then(|a| Some(a.fid.clone()).filter(|f| !f.is_empty()).or(Some(a.org.clone())))
            .filter(|i| !i.is_empty())
            .or(Some(bank_id.clone()).filter(|b| !b.is_empty()))
            .or_else(|| text("broker_id"))
            .unwrap_or_default();
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
        e.correct_fitid = text("correct_fitid").map(Cow::Owned);
        e.correct_action = text("correct_action").map(Cow::Owned);
        if invest {
            let mut h = Holding::new(trntype.clone().unwrap_or_default());
            h.security_id = text("security_id").map(Cow::Owned);
            h.units = decimal(&row, "units");
            h.unit_price = decimal(&row, "unit_price");
            e.holding = Some(h);
        }
        e.trntype = trntype.map(Cow::Owned);
        journal.add_entry(e);
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
