//! The entries every accounting output is written from: transactions with their account,
//! balances, corrections applied, duplicates left out.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::codes::Coded;
use crate::codes::ofx::CorrectAction;
use crate::export::existing::Existing;
use crate::model::{AccountKind, Model, Statement, StatementKind};

/// The account a statement is about, as the output keys it: the institution (FI `FID`, else
/// `ORG`, else `BANKID`, else `BROKERID`), the kind, the bank and branch (or broker) ids, the account id and
/// the statement's currency. Identifiers are kept exactly as written.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountRef<'a> {
    /// Bank, credit card, investment or loan.
    pub kind: AccountKind,
    /// The institution: sign-on `FI/FID`, else `FI/ORG`, else `BANKID`, else `BROKERID`
    /// (empty when none).
    pub institution: Cow<'a, str>,
    /// `BANKID`.
    pub bank_id: Cow<'a, str>,
    /// `BRANCHID`, or `BROKERID` for investment accounts.
    pub branch_id: Cow<'a, str>,
    /// `ACCTID`.
    pub account_id: Cow<'a, str>,
    /// `CURDEF` (OFC statements have none).
    pub currency: Option<Cow<'a, str>>,
}

impl<'a> AccountRef<'a> {
    /// An account reference.
    pub fn new(
        kind: AccountKind,
        institution: impl Into<Cow<'a, str>>,
        account_id: impl Into<Cow<'a, str>>,
        currency: Option<Cow<'a, str>>,
    ) -> Self {
        AccountRef {
            kind,
            institution: institution.into(),
            bank_id: Cow::Borrowed(""),
            branch_id: Cow::Borrowed(""),
            account_id: account_id.into(),
            currency,
        }
    }

    /// The same with the bank and branch (or broker) ids.
    pub fn with_bank(
        mut self,
        bank_id: impl Into<Cow<'a, str>>,
        branch_id: impl Into<Cow<'a, str>>,
    ) -> Self {
        self.bank_id = bank_id.into();
        self.branch_id = branch_id.into();
        self
    }
}

/// What an investment transaction moves besides cash: a security's units, at a price.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding<'a> {
    /// The aggregate's name: `BUYSTOCK`, `SELLMF`, `INCOME`, `REINVEST`, `TRANSFER`, ….
    pub kind: Cow<'a, str>,
    /// `SECID/UNIQUEID`, as written.
    pub security_id: Option<Cow<'a, str>>,
    /// The ticker the `SECLIST` gives the security, when it does.
    pub ticker: Option<Cow<'a, str>>,
    /// `UNITS`.
    pub units: Option<Decimal>,
    /// `UNITPRICE`.
    pub unit_price: Option<Decimal>,
    /// `INCOMETYPE` (`DIV`, `INTEREST`, `CGLONG`, `CGSHORT`, `MISC`).
    pub income_type: Option<Cow<'a, str>>,
    /// `BUYTYPE`, `SELLTYPE`, `TFERACTION` (`IN`, `OUT`), … as written.
    pub action: Option<Cow<'a, str>>,
}

impl<'a> Holding<'a> {
    /// A holding of the kind `kind` (`BUYSTOCK`, …) with nothing else known.
    pub fn new(kind: impl Into<Cow<'a, str>>) -> Self {
        Holding {
            kind: kind.into(),
            security_id: None,
            ticker: None,
            units: None,
            unit_price: None,
            income_type: None,
            action: None,
        }
    }
}

/// One transaction to write.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Index of its account in [`Journal::accounts`].
    pub account: usize,
    /// The calendar date the bank wrote (`DTPOSTED`; `DTTRADE` for investment transactions).
    pub date: NaiveDate,
    /// `TRNAMT`, or an investment transaction's `TOTAL` (zero when it has none).
    pub amount: Decimal,
    /// `TRNTYPE`, or the investment aggregate's name.
    pub trntype: Option<Cow<'a, str>>,
    /// `FITID`.
    pub fitid: Option<Cow<'a, str>>,
    /// `NAME` (or the `PAYEE`'s name; for investments the security's name).
    pub name: Option<Cow<'a, str>>,
    /// `MEMO`.
    pub memo: Option<Cow<'a, str>>,
    /// `CHECKNUM`.
    pub check_number: Option<Cow<'a, str>>,
    /// `CORRECTFITID`.
    pub correct_fitid: Option<Cow<'a, str>>,
    /// `CORRECTACTION`: `REPLACE` or `DELETE`.
    pub correct_action: Option<Cow<'a, str>>,
    /// The units and price of an investment transaction.
    pub holding: Option<Holding<'a>>,
}

impl<'a> Entry<'a> {
    /// An entry of account `account` on `date` for `amount`, with nothing else known.
    pub fn new(account: usize, date: NaiveDate, amount: Decimal) -> Self {
        Entry {
            account,
            date,
            amount,
            trntype: None,
            fitid: None,
            name: None,
            memo: None,
            check_number: None,
            correct_fitid: None,
            correct_action: None,
            holding: None,
        }
    }
}

/// A balance the bank gave (`LEDGERBAL`; OFC `LEDGER` at the statement's end): what the
/// account holds at the end of `date`, the transactions of that day included.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceAssertion {
    /// Index of its account in [`Journal::accounts`].
    pub account: usize,
    /// The calendar date of `DTASOF`.
    pub date: NaiveDate,
    /// `BALAMT`.
    pub amount: Decimal,
}

/// The balance an account is opened with so that its first balance assertion holds: the
/// balance less the transactions written up to its date.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    /// Index of its account in [`Journal::accounts`].
    pub account: usize,
    /// The day of the account's first entry or first balance, whichever comes first.
    pub date: NaiveDate,
    /// The amount.
    pub amount: Decimal,
}

/// What [`Journal::finish`] left out or changed, counted.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JournalTotals {
    /// Entries written.
    pub written: usize,
    /// Transactions with no date or no amount (not written).
    pub incomplete: usize,
    /// Transactions a later `REPLACE` replaced or a `DELETE` removed.
    pub corrected: usize,
    /// `REPLACE`/`DELETE` corrections whose transaction is not in the journal (a `REPLACE`
    /// is written as it is, a `DELETE` only counted).
    pub unmatched_corrections: usize,
    /// Transactions whose `ofxid` was already written earlier in the same output.
    pub duplicates: usize,
    /// Transactions whose `ofxid` the existing journal already holds.
    pub existing: usize,
}

/// What [`Journal::finish`] does besides applying corrections.
#[derive(Debug, Clone, Copy, Default)]
pub struct FinishOptions<'e> {
    /// Leave out the transactions this journal already holds (by `ofxid`), and do not open
    /// again (or give an opening balance to) the accounts and commodities it declares.
    pub existing: Option<&'e Existing>,
}

/// Entries, balances and accounts to write, from one or more files or from the ledger.
#[derive(Debug, Clone, Default)]
pub struct Journal<'a> {
    accounts: Vec<AccountRef<'a>>,
    index: HashMap<AccountRef<'a>, usize>,
    entries: Vec<Entry<'a>>,
    balances: Vec<BalanceAssertion>,
    openings: Vec<Opening>,
    totals: JournalTotals,
    known_accounts: HashSet<String>,
    known_commodities: HashSet<String>,
}

impl<'a> Journal<'a> {
    /// An empty journal.
    pub fn new() -> Self {
        Journal::default()
    }

    /// The accounts, in the order first met.
    pub fn accounts(&self) -> &[AccountRef<'a>] {
        &self.accounts
    }

    /// The entries, in the order added (after [`finish`](Self::finish): those to write).
    pub fn entries(&self) -> &[Entry<'a>] {
        &self.entries
    }

    /// The balance assertions.
    pub fn balances(&self) -> &[BalanceAssertion] {
        &self.balances
    }

    /// The opening balances ([`finish`](Self::finish) works them out).
    pub fn openings(&self) -> &[Opening] {
        &self.openings
    }

    /// What [`finish`](Self::finish) left out, counted.
    pub fn totals(&self) -> JournalTotals {
        self.totals
    }

    /// True when the existing journal given to [`finish`](Self::finish) already declares
    /// (or posts to) the account `name`.
    pub fn is_known_account(&self, name: &str) -> bool {
        self.known_accounts.contains(name)
    }

    /// True when the existing journal already declares the commodity `symbol`.
    pub fn is_known_commodity(&self, symbol: &str) -> bool {
        self.known_commodities.contains(symbol)
    }

    /// The index of `account`, added when new.
    pub fn account(&mut self, account: AccountRef<'a>) -> usize {
        if let Some(&i) = self.index.get(&account) {
            return i;
        }
        let i = self.accounts.len();
        self.accounts.push(account.clone());
        self.index.insert(account, i);
        i
    }

    /// Adds an entry (its `account` an index [`account`](Self::account) gave).
    pub fn add_entry(&mut self, entry: Entry<'a>) {
        self.entries.push(entry);
    }

    /// Counts a transaction that could not be written (no date or no amount).
    pub fn add_incomplete(&mut self) {
        self.totals.incomplete += 1;
    }

    /// Adds a balance assertion.
    pub fn add_balance(&mut self, balance: BalanceAssertion) {
        self.balances.push(balance);
    }

    /// Adds every statement of `model`: bank, card and investment transactions, and each
    /// bank or card statement's `LEDGERBAL`.
    pub fn add_model(&mut self, model: &Model<'a>) {
        let fi = model.signon.as_ref().and_then(|s| s.institution.as_ref());
        let institution = fi.and_then(|i| i.fid.filter(|f| !f.is_empty()).or(i.org));
        // Without an FI: the bank id, else the broker id.
        for statement in &model.statements {
            self.add_statement(institution, statement, model);
        }
    }

    fn add_statement(
        &mut self,
        institution: Option<&'a str>,
        s: &Statement<'a>,
        model: &Model<'a>,
    ) {
        let a = s.account.as_ref();
        let kind = a.map(|a| a.kind).unwrap_or(match s.kind {
            StatementKind::Bank => AccountKind::Bank,
            StatementKind::CreditCard => AccountKind::CreditCard,
            StatementKind::Investment => AccountKind::Investment,
        });
        let bank_id = a.and_then(|a| a.bank_id).unwrap_or_default();
        let key = AccountRef {
            kind,
            institution: Cow::Borrowed(
                institution
                    .filter(|i| !i.is_empty())
                    .or(Some(bank_id).filter(|b| !b.is_empty()))
                    .or(a.and_then(|a| a.broker_id))
                    .unwrap_or(""),
            ),
            bank_id: Cow::Borrowed(bank_id),
            branch_id: Cow::Borrowed(a.and_then(|a| a.branch_id.or(a.broker_id)).unwrap_or("")),
            account_id: Cow::Borrowed(a.and_then(|a| a.account_id).unwrap_or("")),
            currency: s.currency.map(Cow::Borrowed),
        };
        let account = self.account(key);
        for t in &s.transactions {
            let (Some(date), Some(amount)) = (t.date_posted.as_ref(), t.amount.as_ref()) else {
                self.totals.incomplete += 1;
                continue;
            };
            self.entries.push(Entry {
                account,
                date: date.value.naive_date(),
                amount: amount.value,
                trntype: t.trntype.as_ref().map(|c| Cow::Owned(c.as_str().to_owned())),
                fitid: t.fitid.map(Cow::Borrowed),
                name: t.display_name().map(Cow::Borrowed),
                memo: t.memo.clone(),
                check_number: t.check_number.map(Cow::Borrowed),
                correct_fitid: t.correct_fitid.map(Cow::Borrowed),
                correct_action: t.correct_action.as_ref().map(correction_name),
                holding: None,
            });
        }
        for t in &s.investment_transactions {
            let Some(date) = t.date_trade.as_ref() else {
                self.totals.incomplete += 1;
                continue;
            };
            let id = t.security.as_ref().and_then(|s| s.unique_id);
            let security = id.and_then(|id| {
                model
                    .securities
                    .iter()
                    .find(|s| s.id.as_ref().and_then(|i| i.unique_id) == Some(id))
            });
            self.entries.push(Entry {
                account,
                date: date.value.naive_date(),
                amount: t.total.as_ref().map_or(Decimal::ZERO, |a| a.value),
                trntype: Some(Cow::Borrowed(t.kind)),
                fitid: t.fitid.map(Cow::Borrowed),
                name: security.and_then(|s| s.name.or(s.ticker)).or(id).map(Cow::Borrowed),
                memo: t.memo.map(Cow::Borrowed),
                check_number: None,
                correct_fitid: None,
                correct_action: None,
                holding: Some(Holding {
                    kind: Cow::Borrowed(t.kind),
                    security_id: id.map(Cow::Borrowed),
                    ticker: security.and_then(|s| s.ticker).map(Cow::Borrowed),
                    units: t.units.as_ref().map(|a| a.value),
                    unit_price: t.unit_price.as_ref().map(|a| a.value),
                    income_type: t.income_type.as_ref().map(|c| Cow::Owned(c.as_str().to_owned())),
                    action: t.action.map(Cow::Borrowed),
                }),
            });
        }
        if matches!(s.kind, StatementKind::Bank | StatementKind::CreditCard)
            && let Some(b) = s.ledger_balance.as_ref()
            && let Some(amount) = b.amount.as_ref()
            && let Some(date) = b.as_of.as_ref().or(s.end.as_ref())
        {
            self.balances.push(BalanceAssertion {
                account,
                date: date.value.naive_date(),
                amount: amount.value,
            });
        }
    }

    /// The key ledger-autosync gives a transaction: `INSTITUTION.ACCTID.FITID` (the
    /// identifiers as written); `None` without a `FITID`.
    pub fn ofxid(&self, entry: &Entry<'_>) -> Option<String> {
        let fitid = entry.fitid.as_deref()?;
        let a = self.accounts.get(entry.account)?;
        Some(format!("{}.{}.{}", a.institution, a.account_id, fitid))
    }

    /// Applies the corrections, leaves out what was written already (here or in the
    /// existing journal), and works out the opening balances.
    pub fn finish(mut self, options: &FinishOptions<'_>) -> Journal<'a> {
        // Decided on borrowed keys first (no text copied per entry), then filtered.
        let mut keep = vec![false; self.entries.len()];
        {
            let entries = &self.entries;
            let accounts = &self.accounts;
            // (account, FITID) → the entry kept with it.
            let mut by_fitid: HashMap<(usize, &str), usize> = HashMap::new();
            // (institution, ACCTID, FITID): the ofxid, without writing it out.
            let mut seen: HashSet<(&str, &str, &str)> = HashSet::new();
            for (i, e) in entries.iter().enumerate() {
                let action = e.correct_action.as_deref();
                if let (Some(action @ ("REPLACE" | "DELETE")), Some(target)) =
                    (action, e.correct_fitid.as_deref())
                {
                    match by_fitid.remove(&(e.account, target)) {
                        Some(at) => {
                            if let Some(k) = keep.get_mut(at) {
                                *k = false;
                            }
                            self.totals.corrected += 1;
                        }
                        None => self.totals.unmatched_corrections += 1,
                    }
                    if action == "DELETE" {
                        continue;
                    }
                }
                if let (Some(fitid), Some(a)) = (e.fitid.as_deref(), accounts.get(e.account)) {
                    if let Some(x) = options.existing {
                        let id = format!("{}.{}.{}", a.institution, a.account_id, fitid);
                        if x.has_ofxid(&id) {
                            self.totals.existing += 1;
                            continue;
                        }
                    }
                    if !seen.insert((&a.institution, &a.account_id, fitid)) {
                        self.totals.duplicates += 1;
                        continue;
                    }
                    by_fitid.insert((e.account, fitid), i);
                }
                if let Some(k) = keep.get_mut(i) {
                    *k = true;
                }
            }
        }
        let entries = std::mem::take(&mut self.entries);
        self.entries = entries.into_iter().zip(keep).filter_map(|(e, k)| k.then_some(e)).collect();
        self.totals.written = self.entries.len();
        if let Some(x) = options.existing {
            self.known_accounts = x.accounts().clone();
            self.known_commodities = x.commodities().clone();
        }
        self.openings = self.work_out_openings();
        self
    }

    /// For each account with a balance: the balance of its earliest assertion less the
    /// entries up to that day.
    fn work_out_openings(&self) -> Vec<Opening> {
        let mut first: HashMap<usize, &BalanceAssertion> = HashMap::new();
        for b in &self.balances {
            first
                .entry(b.account)
                .and_modify(|f| {
                    if b.date < f.date {
                        *f = b;
                    }
                })
                .or_insert(b);
        }
        let mut out: Vec<Opening> = first
            .into_values()
            .map(|b| {
                let mine = self.entries.iter().filter(|e| e.account == b.account);
                let before: Decimal =
                    mine.clone().filter(|e| e.date <= b.date).map(|e| e.amount).sum();
                let date = mine.map(|e| e.date).min().map_or(b.date, |d| d.min(b.date));
                Opening { account: b.account, date, amount: b.amount - before }
            })
            .collect();
        out.sort_by_key(|o| o.account);
        out
    }
}

fn correction_name(c: &Coded<CorrectAction>) -> Cow<'static, str> {
    Cow::Owned(c.as_str().to_owned())
}
