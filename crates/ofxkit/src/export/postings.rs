//! The postings of an entry, the same in every double-entry format: the amount on the bank
//! account and its opposite on a counter-account; for investments, the units of the security
//! at their price, the cash leg, and what is left (commissions, fees) on the fees account.

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::export::accounts::AccountMap;
use crate::export::journal::{Entry, Journal};
use crate::export::names::{self, account_component};
use crate::model::AccountKind;

/// One posting.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting<'b> {
    /// The account's name.
    pub account: Cow<'b, str>,
    /// The amount (units of a security, or money).
    pub units: Decimal,
    /// The commodity: a currency, or a security's symbol.
    pub commodity: Cow<'b, str>,
    /// The price of one unit, in `cost_currency`, when the units were bought or sold at one.
    pub cost: Option<Decimal>,
    /// `units × cost` without its sign, exact (what ledger's `@@` writes).
    pub total_cost: Option<Decimal>,
    /// The currency of `cost`.
    pub cost_currency: Cow<'b, str>,
}

/// Names worked out once per journal and map: each account's name and currency.
#[derive(Debug)]
pub struct Book<'b> {
    /// The map.
    pub map: &'b AccountMap,
    names: Vec<String>,
    cash: Vec<String>,
    currencies: Vec<String>,
}

impl<'b> Book<'b> {
    /// The names of `journal`'s accounts under `map`.
    pub fn new(journal: &Journal<'_>, map: &'b AccountMap) -> Self {
        let names: Vec<String> = journal.accounts().iter().map(|a| map.account_name(a)).collect();
        let cash =
            journal
                .accounts()
                .iter()
                .zip(&names)
                .map(|(a, n)| {
                    if a.kind == AccountKind::Investment { format!("{n}:Cash") } else { n.clone() }
                })
                .collect();
        let currencies = journal.accounts().iter().map(|a| map.currency(a).to_owned()).collect();
        Book { map, names, cash, currencies }
    }

    /// The name of account `i` (for investment accounts, the parent of its cash and
    /// securities).
    pub fn name(&self, i: usize) -> &str {
        self.names.get(i).map_or("", String::as_str)
    }

    /// The account that holds account `i`'s money (`<name>:Cash` for investment accounts).
    pub fn cash(&self, i: usize) -> &str {
        self.cash.get(i).map_or("", String::as_str)
    }

    /// The currency of account `i`.
    pub fn currency(&self, i: usize) -> &str {
        self.currencies.get(i).map_or("XXX", String::as_str)
    }
}

/// The symbol of an entry's security ([`names::security_symbol`]: its ticker, else its id,
/// else `UNKNOWN`); `None` for an entry that moves no security.
pub fn security_symbol(entry: &Entry<'_>) -> Option<String> {
    let h = entry.holding.as_ref()?;
    Some(names::security_symbol(h.ticker.as_deref(), h.security_id.as_deref()))
}

/// Fills `out` with the postings of `entry`; their amounts add up to zero in each commodity
/// (units at cost counting in the cost's currency).
pub fn postings<'b>(book: &'b Book<'_>, entry: &'b Entry<'_>, out: &mut Vec<Posting<'b>>) {
    out.clear();
    let cur = book.currency(entry.account);
    let cash = book.cash(entry.account);
    let money = |account: Cow<'b, str>, units: Decimal| Posting {
        account,
        units,
        commodity: Cow::Borrowed(cur),
        cost: None,
        total_cost: None,
        cost_currency: Cow::Borrowed(""),
    };
    let name = entry.name.as_deref();
    let memo = entry.memo.as_deref();
    let Some(h) = entry.holding.as_ref() else {
        out.push(money(Cow::Borrowed(cash), entry.amount));
        let counter = book.map.counter_account(name, memo, entry.amount);
        out.push(money(Cow::Borrowed(counter), -entry.amount));
        return;
    };
    let d = &book.map.defaults;
    let symbol = security_symbol(entry).unwrap_or_default();
    let security_account: Cow<'b, str> =
        Cow::Owned(format!("{}:{}", book.name(entry.account), account_component(&symbol)));
    let kind = h.kind.to_ascii_uppercase();
    let units = h.units.unwrap_or(Decimal::ZERO);
    let transfer_out = kind == "TRANSFER" && h.action.as_deref() == Some("OUT");
    let signed = if kind.starts_with("SELL") || transfer_out {
        -units.abs()
    } else if kind.starts_with("BUY") || kind == "REINVEST" {
        units.abs()
    } else {
        units
    };
    let total = entry.amount;
    let cost = h.unit_price.and_then(|p| exact_product(signed, p).map(|c| (p, c)));
    let security = |units: Decimal, cost: Option<(Decimal, Decimal)>| Posting {
        account: security_account.clone(),
        units,
        commodity: Cow::Owned(symbol.clone()),
        cost: cost.map(|c| c.0),
        total_cost: cost.map(|c| c.1.abs()),
        cost_currency: Cow::Borrowed(if cost.is_some() { cur } else { "" }),
    };
    let income_account = |fallback: &'b str| -> Cow<'b, str> {
        Cow::Borrowed(match h.income_type.as_deref() {
            Some("DIV") => &d.dividends,
            Some("INTEREST") => &d.interest,
            Some("CGLONG" | "CGSHORT") => &d.gains,
            _ => fallback,
        })
    };
    let trade = kind.starts_with("BUY") || kind.starts_with("SELL");
    match (kind.as_str(), cost) {
        (_, Some((price, value))) if trade && !signed.is_zero() => {
            out.push(security(signed, Some((price, value))));
            out.push(money(Cow::Borrowed(cash), total));
            if let Some(rest) = total.checked_add(value).map(|s| -s)
                && !rest.is_zero()
            {
                out.push(money(Cow::Borrowed(&d.fees), rest));
            }
        }
        ("REINVEST", Some((price, value))) if !signed.is_zero() => {
            out.push(security(signed, Some((price, value))));
            out.push(money(income_account(&d.dividends), -value));
        }
        ("INCOME", _) => {
            out.push(money(Cow::Borrowed(cash), total));
            let fallback = book.map.counter_account(name, memo, total);
            out.push(money(income_account(fallback), -total));
        }
        ("INVEXPENSE" | "MARGININTEREST", _) => {
            out.push(money(Cow::Borrowed(cash), total));
            out.push(money(Cow::Borrowed(&d.fees), -total));
        }
        _ => {
            if !signed.is_zero() {
                out.push(security(signed, None));
                out.push(Posting {
                    account: Cow::Borrowed(&d.transfers),
                    units: -signed,
                    commodity: Cow::Owned(symbol.clone()),
                    cost: None,
                    total_cost: None,
                    cost_currency: Cow::Borrowed(""),
                });
            }
            // Reinvested income never reaches the cash account.
            let total = if kind == "REINVEST" { Decimal::ZERO } else { total };
            if !total.is_zero() || out.is_empty() {
                out.push(money(Cow::Borrowed(cash), total));
                // A trade without a usable price goes through the transfers account.
                let counter = if trade || kind == "REINVEST" {
                    d.transfers.as_str()
                } else {
                    book.map.counter_account(name, memo, total)
                };
                out.push(money(Cow::Borrowed(counter), -total));
            }
        }
    }
}

/// `units × price` when every tool computes it exactly: a price not below zero, and a
/// product of at most 28 significant digits with all its decimals (beancount multiplies
/// with Python's 28-digit decimals, hledger rounds to the larger number of decimals).
fn exact_product(units: Decimal, price: Decimal) -> Option<Decimal> {
    if price.is_sign_negative() && !price.is_zero() {
        return None;
    }
    let p = units.checked_mul(price)?;
    let digits = p.mantissa().unsigned_abs().checked_ilog10().map_or(1, |l| l + 1);
    (p.scale() == units.scale() + price.scale() && digits <= 28 && p.scale() <= 28).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::journal::{AccountRef, Holding};
    use chrono::NaiveDate;

    fn sum(ps: &[Posting<'_>], commodity: &str) -> Decimal {
        ps.iter()
            .map(|p| match p.cost {
                Some(c) if p.cost_currency == commodity => p.units * c,
                Some(_) => Decimal::ZERO,
                None if p.commodity == commodity => p.units,
                None => Decimal::ZERO,
            })
            .sum()
    }

    fn journal_with(kind: &str, units: &str, price: Option<&str>, total: &str) -> Journal<'static> {
        let mut j = Journal::new();
        let a = j.account(AccountRef::new(
            AccountKind::Investment,
            "F",
            "9",
            Some(Cow::Borrowed("USD")),
        ));
        let mut e =
            Entry::new(a, NaiveDate::from_ymd_opt(2024, 1, 2).unwrap(), total.parse().unwrap());
        let mut h = Holding::new(kind.to_owned());
        h.ticker = Some(Cow::Borrowed("VTI"));
        h.units = Some(units.parse().unwrap());
        h.unit_price = price.map(|p| p.parse().unwrap());
        h.income_type = Some(Cow::Borrowed("DIV"));
        e.holding = Some(Box::new(h));
        j.add_entry(e);
        j
    }

    #[test]
    fn every_kind_of_investment_transaction_balances() {
        for (kind, units, price, total, n) in [
            ("BUYSTOCK", "10", Some("123.45"), "-1239.50", 3),
            ("SELLSTOCK", "-10", Some("123.45"), "1229.50", 3),
            ("SELLMF", "10", Some("1"), "10", 2),
            ("REINVEST", "1.5", Some("20.001"), "-30.0015", 2),
            ("INCOME", "0", None, "12.34", 2),
            ("TRANSFER", "5", None, "0", 2),
            ("INVEXPENSE", "0", None, "-3", 2),
            ("BUYOPT", "1", None, "-100", 4),
        ] {
            let j = journal_with(kind, units, price, total);
            let map = AccountMap::default();
            let book = Book::new(&j, &map);
            let mut out = Vec::new();
            postings(&book, &j.entries()[0], &mut out);
            assert_eq!(out.len(), n, "{kind}: {out:?}");
            assert_eq!(sum(&out, "USD"), Decimal::ZERO, "{kind}: {out:?}");
            assert_eq!(sum(&out, "VTI"), Decimal::ZERO, "{kind}: {out:?}");
        }
    }

    #[test]
    fn only_exact_products_are_costs() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(exact_product(d("10"), d("123.45")), Some(d("1234.50")));
        assert_eq!(exact_product(d("1"), d("-1")), None);
        assert_eq!(exact_product(d("4820.26390702075100"), d("4533.508051253512")), None);
    }

    #[test]
    fn a_sell_holds_negative_units_and_its_commission_goes_to_fees() {
        let j = journal_with("SELLSTOCK", "10", Some("100"), "990");
        let map = AccountMap::default();
        let book = Book::new(&j, &map);
        let mut out = Vec::new();
        postings(&book, &j.entries()[0], &mut out);
        assert_eq!(out[0].account, "Assets:Investment:9:VTI");
        assert_eq!(out[0].units, Decimal::from(-10));
        assert_eq!(out[1].account, "Assets:Investment:9:Cash");
        assert_eq!(out[2].account, "Expenses:Investment:Fees");
        assert_eq!(out[2].units, Decimal::from(10));
    }
}
