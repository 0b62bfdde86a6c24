//! The account map (`--accounts MAP.toml`): the name of each bank account, and payee rules
//! choosing the counter-account.
//!
//! ```toml
//! # The currency of statements that name none (OFC files); default XXX.
//! currency = "USD"
//!
//! [defaults]                       # every key optional; these are the defaults
//! bank = "Assets:Bank"             # + ":<ACCTID>"
//! credit_card = "Liabilities:CreditCard"
//! investment = "Assets:Investment"
//! loan = "Liabilities:Loan"
//! expense = "Expenses:Uncategorized"   # counter-account of money going out
//! income = "Income:Uncategorized"      # counter-account of money coming in
//! opening = "Equity:Opening-Balances"
//! fees = "Expenses:Investment:Fees"
//! dividends = "Income:Investment:Dividends"
//! interest = "Income:Investment:Interest"
//! gains = "Income:Investment:Gains"
//! transfers = "Equity:Transfers"
//!
//! [[account]]
//! id = "123456789"                 # ACCTID, as written
//! currency = "USD"                 # optional: only this currency's statements
//! name = "Assets:Checking"
//!
//! [[rule]]                         # first match wins
//! pattern = "(?i)^amazon"          # a regular expression (Rust `regex` syntax)
//! on = "name"                      # name, memo or either (default)
//! account = "Expenses:Shopping"
//! ```
//!
//! Investment accounts hold each security in `<name>:<SYMBOL>` and cash in `<name>:Cash`.

use std::fmt;

use regex::Regex;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::export::journal::AccountRef;
use crate::export::names::{account_component, is_beancount_account};
use crate::model::AccountKind;

/// An error in an account map: where (the TOML key or line) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountsError {
    message: String,
}

impl fmt::Display for AccountsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AccountsError {}

/// Which text a payee rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleField {
    /// `NAME` (or the payee's name).
    Name,
    /// `MEMO`.
    Memo,
    /// Either.
    #[default]
    Either,
}

/// One payee rule: transactions whose name or memo the pattern matches go to `account`.
#[derive(Debug, Clone)]
pub struct PayeeRule {
    /// The pattern.
    pub pattern: Regex,
    /// What it looks at.
    pub on: RuleField,
    /// The counter-account.
    pub account: String,
}

/// The names of the accounts everything not mapped goes to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Defaults {
    /// Prefix of bank accounts.
    pub bank: String,
    /// Prefix of credit-card accounts.
    pub credit_card: String,
    /// Prefix of investment accounts.
    pub investment: String,
    /// Prefix of loan accounts.
    pub loan: String,
    /// Counter-account of money going out.
    pub expense: String,
    /// Counter-account of money coming in.
    pub income: String,
    /// Counter-account of opening balances.
    pub opening: String,
    /// Commissions, fees and the rest of a trade's total beyond units × price.
    pub fees: String,
    /// Dividends (income type `DIV`, and reinvested income).
    pub dividends: String,
    /// Interest (income type `INTEREST`).
    pub interest: String,
    /// Capital gains distributions (`CGLONG`, `CGSHORT`).
    pub gains: String,
    /// Securities moved in or out without a price (`TRANSFER`, splits).
    pub transfers: String,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            bank: "Assets:Bank".into(),
            credit_card: "Liabilities:CreditCard".into(),
            investment: "Assets:Investment".into(),
            loan: "Liabilities:Loan".into(),
            expense: "Expenses:Uncategorized".into(),
            income: "Income:Uncategorized".into(),
            opening: "Equity:Opening-Balances".into(),
            fees: "Expenses:Investment:Fees".into(),
            dividends: "Income:Investment:Dividends".into(),
            interest: "Income:Investment:Interest".into(),
            gains: "Income:Investment:Gains".into(),
            transfers: "Equity:Transfers".into(),
        }
    }
}

/// A bank account's name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountName {
    /// `ACCTID`, as written.
    pub id: String,
    /// Only the statements in this currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// The account's name.
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    pattern: String,
    #[serde(default)]
    on: RuleField,
    account: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMap {
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    defaults: Defaults,
    #[serde(default)]
    account: Vec<AccountName>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

/// Account names and payee rules.
#[derive(Debug, Clone, Default)]
pub struct AccountMap {
    /// The currency of statements that name none.
    pub currency: Option<String>,
    /// The default names.
    pub defaults: Defaults,
    /// Named accounts.
    pub accounts: Vec<AccountName>,
    /// Payee rules, in order.
    pub rules: Vec<PayeeRule>,
}

impl AccountMap {
    /// Reads a map from TOML text. Every account name must be one beancount accepts (a root
    /// among Assets, Liabilities, Equity, Income, Expenses; components starting with a
    /// capital or a digit, of letters, digits and `-`), so the same map serves every format.
    ///
    /// ```
    /// use ofxkit::export::accounts::AccountMap;
    /// let map = AccountMap::from_toml("[[rule]]\npattern = \"(?i)rent\"\naccount = \"Expenses:Rent\"\n").unwrap();
    /// assert_eq!(map.counter_account(Some("RENT JAN"), None, (-5).into()), "Expenses:Rent");
    /// assert_eq!(map.counter_account(Some("SHOP"), None, (-5).into()), "Expenses:Uncategorized");
    /// assert_eq!(map.counter_account(Some("SHOP"), None, 5.into()), "Income:Uncategorized");
    /// let bad = AccountMap::from_toml("[defaults]\nbank = \"Bank\"\n").unwrap_err();
    /// assert!(bad.to_string().contains("defaults.bank"), "{bad}");
    /// ```
    pub fn from_toml(text: &str) -> Result<AccountMap, AccountsError> {
        let raw: RawMap = toml::from_str(text).map_err(|e| AccountsError {
            message: ofxkit_syntax::escape_controls(e.message()).into_owned()
                + &e.span().map(|s| format!(" (at byte {})", s.start)).unwrap_or_default(),
        })?;
        let d = &raw.defaults;
        let check = |what: &str, name: &str| -> Result<(), AccountsError> {
            // A prefix gets one more component, so a bare root is fine there.
            let full = if what.starts_with("defaults.")
                && matches!(
                    what,
                    "defaults.bank"
                        | "defaults.credit_card"
                        | "defaults.investment"
                        | "defaults.loan"
                ) {
                format!("{name}:X")
            } else {
                name.to_owned()
            };
            if is_beancount_account(&full) {
                Ok(())
            } else {
                Err(AccountsError {
                    message: format!(
                        "{what}: \"{}\" is not an account name every format accepts (Assets, \
                         Liabilities, Equity, Income or Expenses, then components starting with \
                         a capital or a digit, of letters, digits and -)",
                        ofxkit_syntax::shown(name)
                    ),
                })
            }
        };
        for (what, name) in [
            ("defaults.bank", &d.bank),
            ("defaults.credit_card", &d.credit_card),
            ("defaults.investment", &d.investment),
            ("defaults.loan", &d.loan),
            ("defaults.expense", &d.expense),
            ("defaults.income", &d.income),
            ("defaults.opening", &d.opening),
            ("defaults.fees", &d.fees),
            ("defaults.dividends", &d.dividends),
            ("defaults.interest", &d.interest),
            ("defaults.gains", &d.gains),
            ("defaults.transfers", &d.transfers),
        ] {
            check(what, name)?;
        }
        for (i, a) in raw.account.iter().enumerate() {
            check(&format!("account[{i}].name"), &a.name)?;
        }
        let mut rules = Vec::with_capacity(raw.rule.len());
        for (i, r) in raw.rule.into_iter().enumerate() {
            check(&format!("rule[{i}].account"), &r.account)?;
            let pattern = regex::RegexBuilder::new(&r.pattern)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| AccountsError {
                    message: format!(
                        "rule[{i}].pattern: {}",
                        ofxkit_syntax::escape_controls(&e.to_string())
                    ),
                })?;
            rules.push(PayeeRule { pattern, on: r.on, account: r.account });
        }
        Ok(AccountMap {
            currency: raw.currency,
            defaults: raw.defaults,
            accounts: raw.account,
            rules,
        })
    }

    /// The currency of an account's amounts: the statement's, else the map's, else `XXX`.
    pub fn currency<'s>(&'s self, a: &'s AccountRef<'_>) -> &'s str {
        a.currency
            .as_deref()
            .filter(|c| !c.is_empty())
            .or(self.currency.as_deref())
            .unwrap_or("XXX")
    }

    /// The name of a statement's account: the map's entry for its id (and currency), else
    /// the default prefix of its kind with the id as last component.
    pub fn account_name(&self, a: &AccountRef<'_>) -> String {
        let currency = self.currency(a);
        let named = self
            .accounts
            .iter()
            .find(|m| m.id == a.account_id && m.currency.as_deref().is_none_or(|c| c == currency));
        if let Some(m) = named {
            return m.name.clone();
        }
        let prefix = match a.kind {
            AccountKind::Bank => &self.defaults.bank,
            AccountKind::CreditCard => &self.defaults.credit_card,
            AccountKind::Investment => &self.defaults.investment,
            AccountKind::Loan => &self.defaults.loan,
        };
        format!("{prefix}:{}", account_component(&a.account_id))
    }

    /// The counter-account of a transaction: the first rule that matches its name or memo,
    /// else the default expense account for an amount below zero, the income account
    /// otherwise.
    pub fn counter_account(&self, name: Option<&str>, memo: Option<&str>, amount: Decimal) -> &str {
        for r in &self.rules {
            let hit = |t: Option<&str>| t.is_some_and(|t| r.pattern.is_match(t));
            let matched = match r.on {
                RuleField::Name => hit(name),
                RuleField::Memo => hit(memo),
                RuleField::Either => hit(name) || hit(memo),
            };
            if matched {
                return &r.account;
            }
        }
        if amount.is_sign_negative() && !amount.is_zero() {
            &self.defaults.expense
        } else {
            &self.defaults.income
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn accounts_are_named_by_id_and_currency_else_by_kind() {
        let map = AccountMap::from_toml(
            "currency = \"CAD\"\n\
             [defaults]\ncredit_card = \"Liabilities:Cards\"\n\
             [[account]]\nid = \"1\"\ncurrency = \"USD\"\nname = \"Assets:US\"\n\
             [[account]]\nid = \"1\"\nname = \"Assets:Other\"\n",
        )
        .unwrap();
        let usd = AccountRef::new(AccountKind::Bank, "f", "1", Some(Cow::Borrowed("USD")));
        let eur = AccountRef::new(AccountKind::Bank, "f", "1", Some(Cow::Borrowed("EUR")));
        let card = AccountRef::new(AccountKind::CreditCard, "f", "4111 **", None);
        assert_eq!(map.account_name(&usd), "Assets:US");
        assert_eq!(map.account_name(&eur), "Assets:Other");
        assert_eq!(map.account_name(&card), "Liabilities:Cards:4111---");
        assert_eq!(map.currency(&card), "CAD");
        assert_eq!(AccountMap::default().currency(&card), "XXX");
    }

    #[test]
    fn the_first_matching_rule_wins_on_its_field() {
        let map = AccountMap::from_toml(
            "[[rule]]\npattern = \"COFFEE\"\non = \"memo\"\naccount = \"Expenses:Coffee\"\n\
             [[rule]]\npattern = \"(?i)shop\"\naccount = \"Expenses:Shop\"\n\
             [[rule]]\npattern = \"COFFEE\"\non = \"name\"\naccount = \"Expenses:Other\"\n",
        )
        .unwrap();
        let d = Decimal::from(-3);
        assert_eq!(map.counter_account(Some("COFFEE"), None, d), "Expenses:Other");
        assert_eq!(map.counter_account(Some("COFFEE"), Some("COFFEE"), d), "Expenses:Coffee");
        assert_eq!(map.counter_account(None, Some("a Shop"), d), "Expenses:Shop");
        assert_eq!(map.counter_account(None, None, Decimal::ZERO), "Income:Uncategorized");
    }

    #[test]
    fn bad_maps_are_refused_saying_where() {
        for (text, expected) in [
            ("[[rule]]\npattern = \"(\"\naccount = \"Expenses:X\"\n", "rule[0].pattern"),
            ("[[rule]]\npattern = \"x\"\naccount = \"expenses:x\"\n", "rule[0].account"),
            ("[[account]]\nid = \"1\"\nname = \"Assets:My Bank\"\n", "account[0].name"),
            ("colour = 1\n", "unknown field"),
            ("[defaults]\nincome = \"Income\"\n", "defaults.income"),
            ("currency = \n", "at byte"),
        ] {
            let e = AccountMap::from_toml(text).unwrap_err().to_string();
            assert!(e.contains(expected), "{text}: {e}");
        }
    }
}
